"""Typed formulas that must be refused: each error names the offending part; hostile input,
code evaluation and oversized input are refused."""

from __future__ import annotations

import re

import numpy as np
import pytest

from core.valley.formula import (
    Binary,
    FormulaError,
    Name,
    compile_formula,
    parse,
)
from tests.paths import REPO

# Points away from every singularity of the table below.

ERRORS = [
    # (text, position, fragment, words the message must contain)
    ("", None, "", "The formula is empty."),
    ("   ", None, "", "The formula is empty."),
    ("2x", 1, "x", "Missing operator between '2' and 'x' at position 1: write 2*x."),
    ("x y", 2, "y", "write x*y"),
    ("x(y+1)", 1, "(", "Missing operator between 'x' and '('"),
    ("(x)(y)", 3, "(", "Missing operator"),
    ("2 3", 2, "3", "Missing operator"),
    (
        "x + foo",
        4,
        "foo",
        "Unknown name 'foo' at position 4: use x, y, pi, e or a function: sin, "
        "cos, tan, exp, log, sqrt, abs, tanh.",
    ),
    ("(x+y))", 5, ")", "Unexpected ')' at position 5."),
    ("sin(x) + (y", 9, "(", "Missing ')' to close the '(' at position 9."),
    ("x +", 2, "+", "Something is missing after '+' at position 2"),
    ("x ^", 2, "^", "Something is missing after '^'"),
    ("*x", 0, "*", "Unexpected '*' at position 0."),
    ("x***y", 3, "*", "Unexpected '*' at position 3."),
    ("x + / y", 4, "/", "Unexpected '/' at position 4."),
    ("()", 1, ")", "Empty brackets at position 0"),
    ("sin()", 0, "sin", "needs one argument"),
    ("sin x", 0, "sin", "write sin(...)"),
    ("sin", 0, "sin", "needs brackets"),
    ("sin(x, y)", 5, ",", "exactly one argument"),
    ("x^1000", 2, "1000", "between -100 and 100"),
    ("9**9**9", 3, "9**9", "between -100 and 100"),
    ("2^(-101)", 2, "(-101)", "between -100 and 100"),
    ("x^log(-1)", 2, "log(-1)", "undefined"),
    ("1e13*x", 0, "1e13", "at most 1e12"),
    ("1e400", 0, "1e400", "at most 1e12"),
    ("X", 0, "X", "names are lower-case: write x"),
    ("Sin(x)", 0, "Sin", "write sin"),
    ("xy", 0, "xy", "write x*y"),
    ("sinx", 0, "sinx", "write sin(x)"),
    ("x2", 0, "x2", "write x^2 or x*2"),
    ("x = 1", 2, "=", "Unexpected character '=' at position 2"),
    ("π*x", 0, "π", "write pi"),
    ("x²", 1, "²", "write ^2"),
    ("[x]", 0, "[", "round brackets"),
    ("x.real", 1, ".", "attributes"),
    ("x;y", 1, ";", "Unexpected character ';' at position 1."),
]


@pytest.mark.parametrize(
    ("text", "position", "fragment", "words"), ERRORS, ids=[e[0] for e in ERRORS]
)
def test_errors_name_the_offending_part(text, position, fragment, words):
    with pytest.raises(FormulaError) as info:
        parse(text)
    err = info.value
    assert err.position == position
    assert err.fragment == fragment
    assert words in str(err)
    if position is not None:  # the position really points at the fragment
        assert text[position : position + len(fragment)] == fragment


INJECTIONS = [
    "__import__('os').system('ls')",
    "__import__",
    "x.real",
    "x.__class__",
    "lambda: 1",
    "[i for i in range(10)]",
    "'abc'",
    '"x"',
    "x, y",
    "x; y",
    "x = 1",
    "exec('1')",
    "eval",
    "open",
    "os.system",
    "x if y else 1",
    "not x",
    "x and y",
    "x @ y",
    "x % 2",
    "x // 2",
    "x & y",
    "~x",
    "x < y",
    "x\\y",
    "{x}",
    "x$",
    "ｘ",  # full-width letter
    "é",
    "x\x00",
    "1_000",
    "0x10",
    "1j",
    "inf",
    "nan",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_hostile_input_is_refused(text):
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert info.value.fragment  # names what it refused
    assert info.value.fragment in text


def test_no_code_evaluation_in_the_parser_source():
    package = REPO.joinpath("core", "valley", "formula")
    source = "\n".join(p.read_text() for p in sorted(package.glob("*.py")))
    assert "def parse(" in source and "def _tokenize(" in source
    for pattern in (
        r"\beval\(",
        r"\bexec\(",
        r"\bcompile\(",
        r"import ast",
        r"literal_eval",
        r"(import|from) sympy",
    ):
        assert not re.search(pattern, source), pattern


def test_length_limit():
    ok = "+".join(["x"] * 100)  # 199 characters
    assert len(ok) == 199 and isinstance(parse(ok), Binary)
    assert isinstance(parse(" " * 199 + "x"), Name)  # exactly 200
    with pytest.raises(FormulaError, match="too long") as info:
        parse(" " * 200 + "x")
    assert info.value.position == 200


def test_depth_limit():
    assert parse("(" * 30 + "x" + ")" * 30) == Name("x")
    with pytest.raises(FormulaError, match="nested too deeply") as info:
        parse("(" * 31 + "x" + ")" * 31)
    assert info.value.position == 30
    assert parse("-" * 30 + "x")
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse("-" * 31 + "x")
    assert parse("sin(" * 30 + "x" + ")" * 30)
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse("sin(" * 31 + "x" + ")" * 31)
    with pytest.raises(FormulaError, match="nested too deeply"):
        parse("^".join(["x"] * 40))


def test_exponent_and_number_limits():
    assert parse("x^100") and parse("x^-100") and parse("x^(50*2)") and parse("x^y")
    assert parse("2^x^2")  # not constant: allowed, jnp handles overflow
    with pytest.raises(FormulaError):
        parse("x^100.5")
    assert parse("1e12") and parse("1000000000000")
    with pytest.raises(FormulaError):
        parse("1000000000001")
    # Constant bases are not limited, but their exponents are.
    assert np.isinf(float(compile_formula("1e12^100")(0.0, 0.0)))
