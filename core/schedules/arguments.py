"""Schedule names, their arguments (torch's names), defaults and validation: ``resolve``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from core.schema.experiment import SCHEDULE_NAMES

# The names are the URL schema's (core.schema.experiment stays free of JAX, so it holds the list).
SCHEDULES: tuple[str, ...] = SCHEDULE_NAMES

TITLES: dict[str, str] = {
    "constant": "Constant",
    "step": "Step decay",
    "exponential": "Exponential decay",
    "linear": "Linear ramp",
    "cosine": "Cosine annealing",
    "cyclic": "Cyclic (triangular)",
    "onecycle": "One-cycle",
    "warmup": "Linear warm-up",
}

PARAMS: dict[str, tuple[str, ...]] = {
    "constant": (),
    "step": ("step_size", "gamma"),
    "exponential": ("gamma",),
    "linear": ("start_factor", "end_factor", "total_iters"),
    "cosine": ("T_max", "eta_min"),
    "cyclic": ("base_lr", "max_lr", "step_size_up", "step_size_down"),
    "onecycle": ("max_lr", "total_steps", "pct_start", "div_factor", "final_div_factor"),
    "warmup": ("warmup_steps", "after", "eta_min", "total_steps"),
}

# What "warmup" does once warmed up; resolve() encodes it as its index (a float).
AFTER: tuple[str, ...] = ("constant", "cosine")


class ScheduleError(ValueError):
    """A schedule name or argument that cannot be used; the message says what is allowed."""


class _Range(NamedTuple):
    low: float
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    whole: bool = False

    def holds(self, v: float) -> bool:
        above = v > self.low if self.low_open else v >= self.low
        below = self.high is None or (v < self.high if self.high_open else v <= self.high)
        return math.isfinite(v) and above and below and (not self.whole or v == int(v))

    def describe(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        text = f"{kind} {'>' if self.low_open else '>='} {self.low:g}"
        if self.high is not None:
            text += f" and {'<' if self.high_open else '<='} {self.high:g}"
        return text


_WHOLE = _Range(1, whole=True)
_POSITIVE = _Range(0, low_open=True)
_RANGES: dict[str, _Range] = {
    "step_size": _WHOLE,
    "gamma": _POSITIVE,
    "start_factor": _Range(0, 1, low_open=True),
    "end_factor": _Range(0, 1),
    "total_iters": _WHOLE,
    "T_max": _WHOLE,
    "eta_min": _Range(0),
    "base_lr": _POSITIVE,
    "max_lr": _POSITIVE,
    "step_size_up": _WHOLE,
    "step_size_down": _WHOLE,
    "total_steps": _WHOLE,
    "pct_start": _Range(0, 1, low_open=True, high_open=True),
    "div_factor": _POSITIVE,
    "final_div_factor": _POSITIVE,
    "warmup_steps": _WHOLE,
}


def check_name(name: str) -> None:
    if name not in PARAMS:
        raise ScheduleError(f"Unknown schedule {name!r}; valid schedules: {', '.join(SCHEDULES)}")


def _defaults(name: str, lr: float, steps: int) -> dict[str, float | str]:
    """torch's defaults where torch has them, else defaults scaled to the run's length.

    CyclicLR's torch default step_size_up = 2000 exceeds most runs here: we use steps // 8, so
    a run shows four full cycles. LinearLR decays from the rate to zero over the whole run.
    Defaults that follow the rate (cyclic base_lr and max_lr, onecycle max_lr) are proportional
    to it; core.valley.sweeps relies on that to sweep rates in one call.
    """
    up = max(1, steps // 8)
    return {
        "constant": {},
        "step": {"step_size": max(1, steps // 4), "gamma": 0.1},
        "exponential": {"gamma": 0.99},
        # A decay over the whole run (torch's own defaults, 1/3 -> 1 over 5 steps, are a
        # warm-up too short to see here; the values still equal LinearLR's for these args).
        "linear": {"start_factor": 1.0, "end_factor": 0.0, "total_iters": steps},
        "cosine": {"T_max": steps, "eta_min": 0.0},
        "cyclic": {"base_lr": lr / 10, "max_lr": lr, "step_size_up": up, "step_size_down": up},
        "onecycle": {
            "max_lr": lr,
            "total_steps": steps,
            "pct_start": 0.3,
            "div_factor": 25.0,
            "final_div_factor": 1e4,
        },
        "warmup": {
            "warmup_steps": max(1, steps // 10),
            "after": "constant",
            "eta_min": 0.0,
            "total_steps": steps,
        },
    }[name]


def _number(name: str, arg: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ScheduleError(f"{name}: {arg} must be a number, not {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ScheduleError(f"{name}: {arg} must be a number (got {value!r})") from None


def resolve(
    name: str, lr: float, steps: int, params: Mapping[str, float | str]
) -> dict[str, float]:
    """Every argument of schedule ``name`` for a run of ``steps`` steps at rate ``lr``, checked.

    Missing arguments take their defaults (see ``_defaults``). Returns floats in ``PARAMS``
    order; ``after`` is encoded as its index in ``AFTER`` (0 constant, 1 cosine).
    Raises ScheduleError naming the argument and its allowed range.
    """
    check_name(name)
    lr_value = _number(name, "lr", lr)
    if not _Range(0).holds(lr_value):
        raise ScheduleError(f"{name}: lr must be {_Range(0).describe()} (got {lr!r})")
    if isinstance(steps, bool) or not _WHOLE.holds(_number(name, "steps", steps)):
        raise ScheduleError(f"{name}: steps must be {_WHOLE.describe()} (got {steps!r})")
    unknown = sorted(set(params) - set(PARAMS[name]))
    if unknown:
        valid = ", ".join(PARAMS[name]) or "none"
        raise ScheduleError(
            f"Unknown argument(s) {', '.join(unknown)} for schedule {name!r}; valid: {valid}"
        )
    merged = {**_defaults(name, lr_value, int(steps)), **params}
    out: dict[str, float] = {}
    for arg in PARAMS[name]:
        value = merged[arg]
        if arg == "after":
            if value not in AFTER and value not in (0, 1):
                raise ScheduleError(
                    f"{name}: after must be one of {', '.join(AFTER)} (got {value!r})"
                )
            out[arg] = float(AFTER.index(value) if isinstance(value, str) else value)
            continue
        number = _number(name, arg, value)
        if not _RANGES[arg].holds(number):
            raise ScheduleError(f"{name}: {arg} must be {_RANGES[arg].describe()} (got {value!r})")
        out[arg] = number
    if name == "warmup" and out["after"] == 1 and out["total_steps"] <= out["warmup_steps"]:
        raise ScheduleError(
            f"warmup: total_steps must be > warmup_steps for the cosine decay after warm-up "
            f"(got total_steps={out['total_steps']:g}, warmup_steps={out['warmup_steps']:g})"
        )
    return out
