"""The formula parser under generated input (hypothesis): any text parses or raises
FormulaError, and grammar expressions round-trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.valley.formula import (
    FormulaError,
    parse,
    to_latex,
    to_text,
)

# ------------------------------------------------------------------------------------------
# Property tests: any string at all either parses or raises FormulaError, quickly.

FAST = settings(
    max_examples=4000,
    deadline=1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


def _parse_or_formula_error(text: str) -> None:
    try:
        node = parse(text)
    except FormulaError as err:
        assert err.position is None or 0 <= err.position <= len(text)
        assert str(err)
    else:
        assert to_text(node) and to_latex(node)


@FAST
@given(st.text(max_size=250))
def test_any_text_parses_or_raises_formula_error(text):
    _parse_or_formula_error(text)


TOKENS = [
    "x", "y", "pi", "e", "1", "2.5", "1e-3", "100", "1e13", ".", "+", "-", "*", "/", "^", "**",
    "(", ")", "sin(", "log(", "sqrt(", "tanh(", " ", ",", "foo", "=", "'", "9", "E", "é",
]  # fmt: skip


@settings(FAST, max_examples=3500)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_token_soup_parses_or_raises_formula_error(text):
    _parse_or_formula_error(text)


def _expressions():
    leaves = st.sampled_from(["x", "y", "pi", "e", "2", "0.5", "3", "1e-2"])

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^"]), inner).map(
                lambda t: f"{t[0]}{t[1]}{t[2]}"
            ),
            inner.map(lambda s: f"({s})"),
            inner.map(lambda s: f"-{s}"),
            st.tuples(st.sampled_from(["sin", "cos", "exp", "tanh", "abs"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=2500, deadline=1000, database=None)
@given(_expressions())
def test_grammar_expressions_round_trip(text):
    try:
        node = parse(text)
    except FormulaError as err:  # e.g. a long constant exponent chain, or a too-long text
        assert "exponent" in str(err) or "too" in str(err)
        return
    assert to_text(parse(to_text(node))) == to_text(node)
