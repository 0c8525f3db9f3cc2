"""Schedule arguments resolved: defaults from the catalog, each checked against its one range.

What each schedule is (its arguments, their ranges and defaults) is `core.catalog.schedules`;
this module only applies it: ``resolve`` fills the missing arguments and refuses bad ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.catalog import schedules as catalog
from core.catalog.schedules import AFTER, Range

SCHEDULES: tuple[str, ...] = catalog.NAMES
TITLES: dict[str, str] = catalog.TITLES
PARAMS: dict[str, tuple[str, ...]] = {n: s.arguments for n, s in catalog.SCHEDULES.items()}

__all__ = ["AFTER", "PARAMS", "SCHEDULES", "TITLES", "ScheduleError", "check_name", "resolve"]

_RATE = Range(0)  # the learning rate itself, as resolve accepts it
_STEPS = Range(1, whole=True)


class ScheduleError(ValueError):
    """A schedule name or argument that cannot be used; the message says what is allowed."""


def check_name(name: str) -> None:
    if name not in catalog.SCHEDULES:
        raise ScheduleError(f"Unknown schedule {name!r}; valid schedules: {', '.join(SCHEDULES)}")


def _number(name: str, arg: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ScheduleError(f"{name}: {arg} must be a number, not {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ScheduleError(f"{name}: {arg} must be a number (got {value!r})") from None


def _choice(name: str, arg: str, value: Any) -> float:
    """A choice argument (``after``) encoded as its index, a float the kernel can trace."""
    choices = catalog.ARGUMENTS[arg].choices
    if value not in choices and value not in range(len(choices)):
        raise ScheduleError(f"{name}: {arg} must be one of {', '.join(choices)} (got {value!r})")
    return float(choices.index(value) if isinstance(value, str) else value)


def resolve(
    name: str, lr: float, steps: int, params: Mapping[str, float | str]
) -> dict[str, float]:
    """Every argument of schedule ``name`` for a run of ``steps`` steps at rate ``lr``, checked.

    Missing arguments take the catalog's defaults, in the schedule's order (a default may
    depend on the arguments before it: cyclic's step_size_down on step_size_up). Returns
    floats in ``PARAMS`` order; ``after`` is encoded as its index in ``AFTER`` (0 constant,
    1 cosine). Raises ScheduleError naming the argument and its allowed range.
    """
    check_name(name)
    schedule = catalog.SCHEDULES[name]
    lr_value = _number(name, "lr", lr)
    if not _RATE.holds(lr_value):
        raise ScheduleError(f"{name}: lr must be {_RATE.describe()} (got {lr!r})")
    if isinstance(steps, bool) or not _STEPS.holds(_number(name, "steps", steps)):
        raise ScheduleError(f"{name}: steps must be {_STEPS.describe()} (got {steps!r})")
    unknown = sorted(set(params) - set(schedule.arguments))
    if unknown:
        valid = ", ".join(schedule.arguments) or "none"
        raise ScheduleError(
            f"Unknown argument(s) {', '.join(unknown)} for schedule {name!r}; valid: {valid}"
        )
    out: dict[str, float] = {}
    for arg, default in schedule.defaults.items():
        value = params[arg] if arg in params else default(lr_value, int(steps), out)
        spec = catalog.ARGUMENTS[arg]
        if spec.range is None:
            out[arg] = _choice(name, arg, value)
            continue
        number = _number(name, arg, value)
        if not spec.range.holds(number):
            raise ScheduleError(
                f"{name}: {arg} must be {spec.range.describe(number)} (got {value!r})"
            )
        out[arg] = number
    if name == "warmup" and out["after"] == 1 and out["total_steps"] <= out["warmup_steps"]:
        raise ScheduleError(
            f"warmup: total_steps must be > warmup_steps for the cosine decay after warm-up "
            f"(got total_steps={out['total_steps']:g}, warmup_steps={out['warmup_steps']:g})"
        )
    return out
