"""The real-model page's settings as one table, read from and written to its URL.

The page has two parts: a real two-parameter valley (a straight line fitted to the diabetes
data) and a small network (a range test, then training). Each part has its own settings; a link
holds the part and that part's settings that differ from their defaults. Every value goes
through `core.schema.fields.Field`, so a link gets the same checks and messages as the experiment
schema (`core.schema.experiment.FIELDS`). Numbers on a slider's grid are "choice" fields whose
choices
are the grid written out; `value_of` turns them back into numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.catalog.range_test import RULES  # the range test's suggestions
from core.schema.experiment import OPTIMIZER_NAMES, SCHEDULE_NAMES
from core.schema.fields import ExperimentError, Field

PARTS = ("valley", "network")
ALL = "all"  # the whole training set: full-batch descent


def _grid(values) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _f(name, kind, default, group, lo=None, hi=None, choices=(), h=""):
    return Field(name, kind, default, group, lo, hi, choices=choices, help=h)


PART = Field("part", "choice", "valley", "part", choices=PARTS)
PRESENT = Field("present", "bool", False, "view", help="presentation mode: large type")
FIELDS: dict[str, tuple[Field, ...]] = {
    "valley": (
        _f("scale", "bool", True, "valley", h="standardise the feature"),
        _f("lr", "float", 0.3, "valley", 1e-5, 10.0, h="learning rate (snapped to the slider)"),
        _f("batch", "choice", "16", "valley", choices=(*_grid((1, 2, 4, 8, 16, 32, 64, 128)), ALL)),
        _f("seeds", "int", 8, "valley", 1, 16, h="mini-batch runs drawn at once"),
        _f("steps", "choice", "200", "valley", choices=_grid((50, 100, 200, 500, 1000, 2000))),
    ),
    "network": (
        _f("optimizer", "choice", "sgd", "network", choices=OPTIMIZER_NAMES),
        _f("batch", "choice", "64", "network", choices=_grid((16, 32, 64, 128, 256))),
        _f("seed", "int", 0, "network", 0, 2**31 - 1),
        _f("start_lr", "float", 1e-7, "network", 1e-9, 1.0, h="range test: first rate"),
        _f("end_lr", "float", 10.0, "network", 1e-6, 1e3, h="range test: last rate"),
        _f("num_steps", "int", 100, "network", 20, 400, h="range test: steps"),
        _f("suggestion", "choice", "minimum", "network", choices=RULES),
        _f("schedule", "choice", "constant", "network", choices=SCHEDULE_NAMES),
        _f("steps", "choice", "500", "network", choices=_grid((100, 200, 500, 1000, 2000, 5000))),
    ),
}


def defaults(part: str) -> dict[str, Any]:
    return {spec.name: spec.default for spec in FIELDS[part]}


def decode(values: Mapping[str, Any]) -> tuple[str, dict[str, Any], list[str]]:
    """(part, that part's settings and ``present``, notices) from a URL query; never raises.

    A bad value becomes a notice and its default; a key that belongs to no setting of the part
    is reported and ignored.
    """
    values = {k: (v[-1] if isinstance(v, list) and v else v) for k, v in values.items()}
    notices: list[str] = []
    part = PART.default
    if "part" in values:
        try:
            part = PART.parse(values["part"])
        except ExperimentError as error:
            notices.append(f"{error} Showing the {part} part instead.")
    specs = {spec.name: spec for spec in (*FIELDS[part], PRESENT)}
    settings = {**defaults(part), "present": False}
    for key, raw in values.items():
        if key == "part":
            continue
        spec = specs.get(key)
        if spec is None:
            notices.append(f"Unknown setting {str(key)[:40]!r} was ignored.")
            continue
        try:
            settings[key] = spec.parse(raw)
        except ExperimentError as error:
            notices.append(f"{error} Using the default {spec.format(spec.default)} instead.")
    if part == "network" and not settings["start_lr"] < settings["end_lr"]:
        start, end = (specs[name] for name in ("start_lr", "end_lr"))
        notices.append(
            f"start_lr must be below end_lr; using {start.format(start.default)} and "
            f"{end.format(end.default)} instead."
        )
        settings["start_lr"], settings["end_lr"] = start.default, end.default
    return part, settings, notices


def encode(part: str, settings: Mapping[str, Any]) -> dict[str, str]:
    """The URL query for ``part`` with ``settings``: only what differs from the defaults."""
    out = {} if part == PART.default else {"part": part}
    for spec in (*FIELDS[part], PRESENT):
        value = settings.get(spec.name, spec.default)
        if value != spec.default:
            out[spec.name] = spec.format(value)
    return out


def value_of(spec: Field, value: Any, whole_set: int) -> Any:
    """A setting as its widget holds it: grid choices as numbers, ``all`` as ``whole_set``."""
    if spec.kind != "choice" or not spec.choices[0].isdigit():
        return value
    return whole_set if value == ALL else int(value)


def setting_of(spec: Field, widget_value: Any, whole_set: int) -> Any:
    """The inverse of `value_of`: a widget's value as the setting's."""
    if spec.kind != "choice" or not spec.choices[0].isdigit():
        return widget_value
    return ALL if widget_value == whole_set and ALL in spec.choices else str(widget_value)
