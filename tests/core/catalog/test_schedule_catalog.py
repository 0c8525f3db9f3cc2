"""The schedule catalog is the one source: the schema, resolve and the imports agree with it.

Each argument's range is written once (`core.catalog.schedules`); the URL schema (and with it
the widgets and the CLI, which parse through it) and `core.schedules.resolve` must accept and
refuse exactly the same values. Before the catalog they disagreed (gamma = 3 passed resolve
and failed the schema).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from core import schedules as S
from core.catalog import schedules as catalog
from core.schema.experiment import FIELD, SCHEDULE_NAMES, ExperimentError


def _schedule_with(arg: str) -> str:
    return next(n for n, s in catalog.SCHEDULES.items() if arg in s.arguments)


def _probes(r: catalog.Range) -> list[float]:
    """Values on, just inside and just outside each end of the range, and far beyond."""
    ends = [r.low, r.upper] if r.upper is not None else [r.low, 1e12]
    out = [0.0, -1.0, 3.0, 1e9]
    for end in ends:
        out += [end, end - 1, end + 1] if r.whole else [end, end * (1 - 1e-6) - 1e-9, end * 1.01]
    return out


RANGED = [a for a in catalog.ARGUMENTS.values() if a.range is not None]


@pytest.mark.parametrize("arg", RANGED, ids=[a.name for a in RANGED])
def test_schema_and_resolve_accept_the_same_values(arg):
    name = _schedule_with(arg.name)
    for value in _probes(arg.range):
        try:
            FIELD[arg.name].parse(repr(value))
            schema_ok = True
        except ExperimentError:
            schema_ok = False
        try:
            S.resolve(name, 0.1, 1000, {arg.name: value})
            resolve_ok = True
        except S.ScheduleError as error:
            resolve_ok = False
            assert arg.name in str(error)
        assert schema_ok == resolve_ok == arg.range.holds(value), (arg.name, value)


def test_a_capped_value_is_refused_with_its_cap():
    with pytest.raises(S.ScheduleError, match=r"gamma must be a number > 0 and <= 2 \(got 3\)"):
        S.resolve("exponential", 0.1, 100, {"gamma": 3})
    with pytest.raises(ExperimentError, match="gamma must be above 0 and at most 2"):
        FIELD["gamma"].parse("3")


def test_names_titles_and_arguments_derive_from_the_catalog():
    assert SCHEDULE_NAMES == S.SCHEDULES == tuple(catalog.SCHEDULES)
    assert FIELD["after"].choices == S.AFTER == catalog.ARGUMENTS["after"].choices
    for name, entry in catalog.SCHEDULES.items():
        assert S.PARAMS[name] == entry.arguments and S.formula_latex(name) == entry.formula
        for arg in entry.arguments:
            words = catalog.ARGUMENTS[arg]
            assert FIELD[arg].group == "schedule" and FIELD[arg].title == words.label


@pytest.mark.parametrize("name", list(catalog.SCHEDULES))
def test_follows_rate_names_exactly_the_defaults_proportional_to_the_rate(name):
    one, two = S.resolve(name, 0.1, 200, {}), S.resolve(name, 0.2, 200, {})
    proportional = {k for k in one if one[k] and two[k] == pytest.approx(2 * one[k])}
    assert proportional == set(catalog.SCHEDULES[name].follows_rate)


def _loaded_after(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_schema_loads_neither_jax_nor_the_schedules_package():
    loaded = _loaded_after("core.schema.experiment")
    assert not {m for m in loaded if m == "jax" or m.startswith(("jax.", "core.schedules"))}


def test_the_schedules_package_reads_the_catalog_not_the_schema():
    loaded = _loaded_after("core.schedules")
    assert "core.catalog.schedules" in loaded
    assert not {m for m in loaded if m.startswith("core.schema")}
