"""One row of the experiment schema: how a setting is named, typed, defaulted and bounded.

`Field.parse` turns raw text (a URL value, a CLI flag, a lesson line) into the setting's type
or raises `ExperimentError` naming the field and its allowed range; `Field.format` writes the
canonical text back. The table of fields itself is `core.schema.experiment.FIELDS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

MAX_TEXT_LENGTH = 200  # a typed formula, or any text setting


class ExperimentError(ValueError):
    """A value in an experiment description is missing, malformed or out of range."""


@dataclass(frozen=True)
class Field:
    """One row of the schema: how a setting is named, typed, defaulted and bounded."""

    name: str
    kind: str  # "str", "choice", "float", "int", "point", "bool"
    default: Any
    group: str  # "experiment", "param" (optimizer hyperparameter), "schedule", "view"
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False  # the bound itself is excluded
    hi_open: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""  # one line for a learner, plain text (the UI shows it as a control's help)
    label: str = ""  # a control's label for a learner; the name itself if empty
    each: Field | None = None  # kind "rates": the field each rate is parsed by

    @property
    def title(self) -> str:
        """What a control for this setting is labelled: its label, else its name."""
        return self.label or self.name

    def parse(self, text: Any) -> Any:
        """Turn a raw value (usually a string) into this field's type, or raise ExperimentError."""
        if self.kind in ("str", "choice"):
            value = str(text).strip()
            if self.kind == "choice" and self.choices and value not in self.choices:
                raise ExperimentError(
                    f"{self.name} must be one of {', '.join(self.choices)}; got {value!r}."
                )
            if len(value) > MAX_TEXT_LENGTH:
                raise ExperimentError(
                    f"{self.name} is {len(value)} characters long; at most "
                    f"{MAX_TEXT_LENGTH} are allowed."
                )
            return value
        if self.kind == "bool":
            value = str(text).strip().lower()
            if value in ("1", "true", "yes", "on"):
                return True
            if value in ("0", "false", "no", "off", ""):
                return False
            raise ExperimentError(f"{self.name} must be 1 or 0; got {text!r}.")
        if self.kind == "names":  # a comma-separated subset of the choices, e.g. sgd,adam
            names = [n.strip() for n in str(text).split(",") if n.strip()]
            bad = [n for n in names if n not in self.choices]
            if bad or not names or len(set(names)) != len(names):
                raise ExperimentError(
                    f"{self.name} must be distinct names from {', '.join(self.choices)}, "
                    f"separated by commas; got {str(text)[:60]!r}."
                )
            return tuple(names)
        if self.kind == "rates":  # optimizer:rate pairs, e.g. sgd:0.01,adam:0.1
            rates = {}
            for item in str(text).split(","):
                name, sep, value = item.partition(":")
                name = name.strip()
                if not sep or name not in self.choices or name in rates:
                    raise ExperimentError(
                        f"{self.name} must be pairs like sgd:0.01,adam:0.1 with names from "
                        f"{', '.join(self.choices)}; got {item.strip()[:40]!r}."
                    )
                try:
                    rates[name] = self.each.parse(value)
                except ExperimentError as error:
                    raise ExperimentError(f"In {self.name}, {name}'s rate: {error}") from None
            return rates
        if self.kind == "point":
            parts = text if isinstance(text, list | tuple) else str(text).split(",")
            if len(parts) != 2:
                raise ExperimentError(f"{self.name} must be two numbers 'x,y'; got {text!r}.")
            x, y = (_number(self.name, p) for p in parts)
            for v in (x, y):
                self._check_range(v)
            return (x, y)
        number = _number(self.name, text)
        if self.kind == "int":
            if number != int(number):
                raise ExperimentError(f"{self.name} must be a whole number; got {text!r}.")
            number = int(number)
        self._check_range(number)
        return number

    def _check_range(self, v: float) -> None:
        low_bad = self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo))
        high_bad = self.hi is not None and (v > self.hi or (self.hi_open and v == self.hi))
        if low_bad or high_bad:
            raise ExperimentError(f"{self.name} must be {self.range_text()}; got {_fmt(v)}.")

    def range_text(self) -> str:
        """The allowed range in words, e.g. 'between 1e-07 and 100' or 'at least 0 and below 1'."""
        if self.lo is not None and self.hi is not None:
            lo_word = "above" if self.lo_open else "at least"
            hi_word = "below" if self.hi_open else "at most"
            return f"{lo_word} {_fmt(self.lo)} and {hi_word} {_fmt(self.hi)}"
        if self.lo is not None:
            return f"{'above' if self.lo_open else 'at least'} {_fmt(self.lo)}"
        if self.hi is not None:
            return f"{'below' if self.hi_open else 'at most'} {_fmt(self.hi)}"
        return "a finite number"

    def format(self, value: Any) -> str:
        """The canonical string form, as written into a URL or a lesson."""
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "point":
            return f"{_fmt(value[0])},{_fmt(value[1])}"
        if self.kind == "names":
            return ",".join(value)
        if self.kind == "rates":
            return ",".join(f"{name}:{_fmt(rate)}" for name, rate in value.items())
        if self.kind in ("float", "int"):
            return _fmt(value)
        return str(value)


def _number(name: str, text: Any) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ExperimentError(f"{name} must be a number; got {str(text)[:40]!r}.") from None
    if not math.isfinite(value):
        raise ExperimentError(f"{name} must be a finite number; got {str(text)[:40]!r}.")
    return value


def _fmt(v: float) -> str:
    """Shortest round-tripping text for a number: 0.05, 1e-05, 100, 2.5."""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v))
    return repr(float(v))
