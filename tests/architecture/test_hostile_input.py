"""Hostile and broken input through the whole engine path: the URL, `core.resolve`, the CLI.

The parser itself is fuzzed in tests/core/valley/test_formula.py (10,000 generated strings:
any text, token soup, grammar expressions). Here the same hostility goes through the paths a
browser or a terminal reaches: `decode` of a query string (fuzzed), `core.resolve` and
`custom_surface` of a
typed formula (fuzzed with valid-but-nasty expressions), the CLI; and one table of extreme
settings is checked to be refused the same way by the URL and by the CLI (the page is checked
against the same table in tests/ui/test_hostile_ui.py).
"""

from __future__ import annotations

import math
import os
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core
from core import cli
from core.schema.experiment import (
    FIELD,
    FIELDS,
    MAX_FORMULA_LENGTH,
    Experiment,
    ExperimentError,
    decode,
    encode,
)
from core.valley.resolver import resolve

# (URL key, raw value, other settings needed for it to matter, words the refusal must contain)
EXTREME = [
    ("lr", "0", {}, "lr must be at least 1e-07"),
    ("lr", "-0.1", {}, "lr must be at least 1e-07"),
    ("lr", "nan", {}, "lr must be a finite number"),
    ("lr", "inf", {}, "lr must be a finite number"),
    ("lr", "1e6", {}, "at most 100"),
    ("lr", "0.1; rm -rf /", {}, "lr must be a number"),
    ("steps", "0", {}, "steps must be at least 1"),
    ("steps", "1000000000", {}, "at most 10000"),
    ("steps", "2.5", {}, "steps must be a whole number"),
    ("start", "abc", {}, "start must be two numbers"),
    ("start", "nan,1", {}, "start must be a finite number"),
    ("start", "1,2,3", {}, "start must be two numbers"),
    ("start", "1e9,0", {}, "start must be at least -10000"),
    ("momentum", "1", {"optimizer": "momentum"}, "momentum must be at least 0 and below 1"),
    ("momentum", "1.5", {"optimizer": "nesterov"}, "below 1"),
    ("beta1", "1", {"optimizer": "adam"}, "beta1 must be at least 0 and below 1"),
    ("beta2", "1", {"optimizer": "adam"}, "beta2 must be at least 0 and below 1"),
    ("alpha", "1", {"optimizer": "rmsprop"}, "alpha must be at least 0 and below 1"),
    ("eps", "-1e-8", {"optimizer": "adam"}, "eps must be above 0"),
    ("eps", "0", {"optimizer": "adam"}, "eps must be above 0"),
]
IDS = [f"{k}={v}" for k, v, _, _ in EXTREME]


@pytest.mark.parametrize(("key", "raw", "extra", "words"), EXTREME, ids=IDS)
def test_extreme_settings_in_the_url_become_a_notice_and_the_default(key, raw, extra, words):
    exp, _, notices = decode({**extra, key: raw})
    assert len(notices) == 1 and words in notices[0]
    assert "instead" in notices[0]  # says what is used in its place
    spec = FIELD[key]
    if spec.group == "param":
        assert key not in exp.params
    else:
        assert getattr(exp, key) == spec.default
    resolve(exp)  # what remains runs
    with pytest.raises(ExperimentError, match=words.split(" must")[0]):
        decode({**extra, key: raw}, strict=True)


def _cli_args(key, raw, extra):
    args = ["simulate", "--surface", "bowl", "--lr", "0.1", "--steps", "20"]
    if "optimizer" in extra:
        args += ["--optimizer", extra["optimizer"]]
    if FIELD[key].group == "param":
        return [*args, "--param", f"{key}={raw}"]
    return [*args, f"--{key}={raw}"]  # argparse: the last --lr/--steps/--start wins


@pytest.mark.parametrize(("key", "raw", "extra", "words"), EXTREME, ids=IDS)
def test_extreme_settings_in_the_cli_exit_2_with_one_line(key, raw, extra, words, capsys):
    status = cli.main([*_cli_args(key, raw, extra), "--json"])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]


def test_a_start_outside_the_surface_is_refused_by_resolve_and_the_cli(capsys):
    exp, _, notices = decode({"surface": "bowl", "start": "99,0"})
    assert not notices  # the schema cannot know the surface's area; resolve does
    with pytest.raises(ExperimentError, match="outside the plotted area"):
        resolve(exp)
    assert cli.main(["simulate", "--surface", "bowl", "--lr", "0.1", "--start", "99,0"]) == 2
    assert "outside the plotted area" in capsys.readouterr().err


def test_the_public_core_resolve_stays_the_function():
    import core.valley.resolver as module  # what core.cli, ui.cache and the tests all do

    assert module.resolve is resolve
    assert callable(core.resolve) and core.resolve is resolve


# -- injection through the formula, on every path that takes one -----------------------------

SENTINEL = "/tmp/gradient-valley-hostile-sentinel"
INJECTIONS = [
    f"__import__('os').system('touch {SENTINEL}')",
    f"open('{SENTINEL}','w')",
    "x.__class__.__mro__",
    "(lambda: 1)()",
    "[x for x in (1,)]",
    "{x: 1}",
    "9**9**9",
    "9^9^9",
    "x^(10^10)",
    "x^1e9",
    "(" * 500 + "x" + ")" * 500,
    "sin(" * 100 + "x" + ")" * 100,
    "-" * 1000 + "x",
    "x+" * 100 + "x",  # 201 characters
    "1" * 300,
    "getattr(x, 'real')",
    "x if y else 0",
    "exp(x)\n__import__('os')",
]


@pytest.mark.parametrize("formula", INJECTIONS, ids=range(len(INJECTIONS)))
def test_injection_is_refused_on_every_path_and_runs_nothing(formula, capsys):
    if os.path.exists(SENTINEL):
        os.remove(SENTINEL)
    t0 = time.perf_counter()
    exp, _, notices = decode({"surface": "custom", "formula": formula})
    if len(formula) > MAX_FORMULA_LENGTH:
        assert notices  # too long for the URL: refused before any parsing
    with pytest.raises(ValueError) as info:
        resolve(Experiment(surface="custom", formula=formula))
    assert str(info.value) and "Traceback" not in str(info.value)
    with pytest.raises(ValueError):
        core.custom_surface(formula)
    assert cli.main(["simulate", "--formula", formula, "--lr", "0.1"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert time.perf_counter() - t0 < 2.0
    assert not os.path.exists(SENTINEL)


# -- fuzz: the URL decoder takes any mapping of strings -------------------------------------

KEYS = st.one_of(st.sampled_from([f.name for f in FIELDS]), st.text(max_size=12))
RAW = st.one_of(
    st.text(max_size=60),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.tuples(st.floats(), st.floats()).map(lambda t: f"{t[0]},{t[1]}"),
    st.sampled_from(["", " ", "1e-7", "100", "10000", "0.999999", "1", "custom", "adam"]),
)


@settings(max_examples=2000, deadline=None, database=None)
@given(st.dictionaries(KEYS, RAW, max_size=8))
def test_any_query_decodes_to_an_in_range_experiment(query):
    exp, view, notices = decode(query)
    assert all(isinstance(n, str) and n for n in notices)
    if exp.surface != "custom":  # a stray formula: see the xfail test below
        exp = exp.replace(formula="")
    # Everything kept is in range: it re-encodes and re-decodes to itself without notices.
    again, view2, notices2 = decode(encode(exp, view))
    assert (again, view2, notices2) == (exp, view, [])
    for spec in FIELDS:
        if spec.group == "experiment" and spec.kind in ("float", "int"):
            assert math.isfinite(getattr(exp, spec.name))
    try:
        decode(query, strict=True)
    except ExperimentError as error:
        assert str(error)


def test_a_formula_without_surface_custom_is_reported():
    exp, _, notices = decode({"surface": "valley", "formula": "x^2"})
    assert any("formula" in n for n in notices)
    assert decode(encode(exp))[0] == exp


# -- fuzz: formulas that parse go through the surface checks to a finite run ----------------


def _nasty_expressions():
    leaves = st.sampled_from(["x", "y", "2", "0.5", "1e12", "1e-12", "pi", "0"])

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^"]), inner).map(
                lambda t: f"({t[0]}){t[1]}({t[2]})"
            ),
            st.tuples(st.sampled_from(["exp", "log", "sqrt", "tan", "sin", "abs"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
        )

    return st.recursive(leaves, extend, max_leaves=6)


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_nasty_expressions())
def test_formulas_either_give_a_surface_and_a_finite_run_or_a_message(formula):
    try:
        surface = core.custom_surface(formula)
    except ValueError as error:  # FormulaError or SurfaceError, with words a student can act on
        assert len(str(error)) > 20
        return
    run = core.simulate(Experiment(surface="custom", formula=formula, lr=0.01, steps=50))
    assert np.isfinite(run.path).all() and np.isfinite(run.loss).all()
    assert np.isfinite(run.grad).all() and np.isfinite(run.lr).all()
    for m in surface.minima:
        assert all(math.isfinite(v) for v in (m.x, m.y, m.value))
