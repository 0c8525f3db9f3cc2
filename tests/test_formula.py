"""The formula parser: values against numpy expressions written independently, precedence,
every error with its position, hostile input, limits, and property tests that any string either
parses or raises FormulaError."""

from __future__ import annotations

import math
import re
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from core.valley.formula import (
    Binary,
    Call,
    FormulaError,
    Name,
    Number,
    Unary,
    compile_formula,
    parse,
    to_latex,
    to_text,
)

# Points away from every singularity of the table below.
XS = np.array([0.3, -1.7, 2.5, 0.9], dtype=np.float64)
YS = np.array([1.1, 0.4, -2.2, 3.0], dtype=np.float64)

# (formula, the same thing in numpy, written by hand from the usual mathematical reading)
VALID = [
    ("x", lambda x, y: x),
    ("3", lambda x, y: 3.0 + 0 * x),
    ("x + y", lambda x, y: x + y),
    ("x - y - 1", lambda x, y: (x - y) - 1),
    ("x / y / 2", lambda x, y: (x / y) / 2),
    ("x * y / 2", lambda x, y: (x * y) / 2),
    ("1 + 2 * x", lambda x, y: 1 + (2 * x)),
    ("-x^2", lambda x, y: -(x**2)),
    ("-x**2", lambda x, y: -(x**2)),
    ("(-x)^2", lambda x, y: (-x) ** 2),
    ("2^3^2 + 0*x", lambda x, y: 2.0 ** (3.0**2) + 0 * x),
    ("x^-2", lambda x, y: x**-2.0),
    ("2^-x", lambda x, y: 2.0 ** (-x)),
    ("abs(x)^abs(y)^0.5", lambda x, y: np.abs(x) ** (np.abs(y) ** 0.5)),
    ("2 * -x", lambda x, y: 2 * (-x)),
    ("x - -y", lambda x, y: x - (-y)),
    ("--x", lambda x, y: x),
    ("+x", lambda x, y: x),
    ("-(x + y)", lambda x, y: -(x + y)),
    ("sin(pi/2) + 0*x", lambda x, y: 1.0 + 0 * x),
    ("sin(x) + cos(y)", lambda x, y: np.sin(x) + np.cos(y)),
    ("tan(x) * tanh(y)", lambda x, y: np.tan(x) * np.tanh(y)),
    ("exp(-x^2 - y^2)", lambda x, y: np.exp(-(x**2) - y**2)),
    ("log(abs(x) + 1)", lambda x, y: np.log(np.abs(x) + 1)),
    ("sqrt(x^2 + y^2)", lambda x, y: np.sqrt(x**2 + y**2)),
    ("e^x", lambda x, y: np.e**x),
    ("1e-3*x + 2.5E2*y", lambda x, y: 0.001 * x + 250 * y),
    (".5*x + 1.*y", lambda x, y: 0.5 * x + 1.0 * y),
    ("  x\t*\n y ", lambda x, y: x * y),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2),
    ("(1 - x)^2 + 100*(y - x^2)^2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2),
    ("x^2/2^2", lambda x, y: (x**2) / 4),
    ("x*(y)", lambda x, y: x * y),
]


@pytest.mark.parametrize(("text", "reference"), VALID, ids=[t for t, _ in VALID])
def test_values_match_independent_numpy(text, reference):
    f = compile_formula(text)
    got = np.asarray(f(jnp.asarray(XS, jnp.float32), jnp.asarray(YS, jnp.float32)))
    with np.errstate(all="ignore"):
        want = reference(XS, YS)
    mask = np.isfinite(want)
    np.testing.assert_allclose(got[mask], want[mask], rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2^3^2", 512.0),  # right-associative: 2^(3^2)
        ("(2^3)^2", 64.0),
        ("2**3**2", 512.0),
        ("-2^2", -4.0),  # power binds tighter than the sign on its left
        ("(-2)^2", 4.0),
        ("2^-1", 0.5),
        ("-2^-2", -0.25),
        ("8/2/2", 2.0),  # left-associative
        ("8-2-2", 4.0),
        ("2+3*4", 14.0),
        ("(2+3)*4", 20.0),
        ("2*3^2", 18.0),
        ("sin(pi/2)", 1.0),
        ("cos(pi)", -1.0),
        ("log(e)", 1.0),
        ("sqrt(16)", 4.0),
        ("abs(-3)", 3.0),
        ("exp(0)", 1.0),
        ("1e12", 1e12),
    ],
)
def test_constants_worked_by_hand(text, value):
    assert float(compile_formula(text)(0.0, 0.0)) == pytest.approx(value, rel=1e-6)


def test_tree_shapes_for_precedence():
    one, two, three = Number(1.0), Number(2.0), Number(3.0)
    x, y = Name("x"), Name("y")
    assert parse("1+2*3") == Binary("+", one, Binary("*", two, three))
    assert parse("1-2-3") == Binary("-", Binary("-", one, two), three)
    assert parse("1^2^3") == Binary("^", one, Binary("^", two, three))
    assert parse("-x^2") == Unary("-", Binary("^", x, two))
    assert parse("x^-y") == Binary("^", x, Unary("-", y))
    assert parse("-x*y") == Binary("*", Unary("-", x), y)
    assert parse("sin(x)^2") == Binary("^", Call("sin", x), two)
    assert parse("(x)") == x


def test_compiled_function_is_jax_transformable():
    f = compile_formula("x^2*y + sin(y)")
    gx, gy = jax.grad(f, argnums=(0, 1))(3.0, 2.0)
    assert float(gx) == pytest.approx(12.0)  # d/dx = 2xy
    assert float(gy) == pytest.approx(9.0 + math.cos(2.0), rel=1e-6)  # x^2 + cos y
    hess = jax.hessian(lambda p: f(p[0], p[1]))(jnp.array([3.0, 2.0]))
    np.testing.assert_allclose(hess, [[4.0, 6.0], [6.0, -math.sin(2.0)]], rtol=1e-5)
    xs = jnp.linspace(-1, 1, 5)
    np.testing.assert_allclose(
        jax.jit(jax.vmap(f))(xs, xs), xs**3 + np.sin(xs), rtol=1e-5, atol=1e-6
    )
    # Integer powers have clean derivatives at 0 (no NaN from log(0)).
    assert float(jax.grad(compile_formula("x^2 + y^3"))(0.0, 0.0)) == 0.0
    assert float(jax.hessian(compile_formula("x^3"))(0.0, 1.0)) == 0.0


def test_broadcasting_and_constants_have_the_full_shape():
    f = compile_formula("x + 2*y")
    assert f(jnp.ones((3, 1)), jnp.ones(4)).shape == (3, 4)
    c = compile_formula("3")
    out = c(jnp.zeros((2, 5)), 0.0)
    assert out.shape == (2, 5) and np.all(np.asarray(out) == 3.0)
    assert compile_formula("y")(jnp.zeros(4), 1.0).shape == (4,)
    assert compile_formula("x")(2, 3).dtype == jnp.float32  # integers become floats


def test_float64_is_kept_when_enabled_locally():
    with jax.enable_x64(True):
        out = compile_formula("x/3")(jnp.float64(1.0), jnp.float64(0.0))
        assert out.dtype == jnp.float64
        assert float(out) == 1 / 3


def test_log_and_sqrt_follow_jnp_domains():
    assert np.isnan(float(compile_formula("log(x)")(-1.0, 0.0)))
    assert np.isnan(float(compile_formula("sqrt(x)")(-1.0, 0.0)))
    assert np.isinf(float(compile_formula("log(x)")(0.0, 0.0)))


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
    package = Path(__file__).resolve().parents[1].joinpath("core", "valley", "formula")
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


def test_text_and_latex_forms():
    cases = {
        "-x^2": ("-x^2", "-x^{2}"),
        "2^3^2": ("2^3^2", "2^{3^{2}}"),
        "(2^3)^2": ("(2^3)^2", r"\left(2^{3}\right)^{2}"),
        "(-x)^2": ("(-x)^2", r"\left(-x\right)^{2}"),
        "x - -y": ("x - (-y)", r"x - \left(-y\right)"),
        "x-(y-1)": ("x - (y - 1)", r"x - \left(y - 1\right)"),
        "+(x+y)*2": ("(x + y)*2", r"\left(x + y\right) \cdot 2"),
        "sin(pi*x)/2": ("sin(pi*x)/2", r"\frac{\sin\left(\pi \cdot x\right)}{2}"),
        "sqrt(abs(x))": ("sqrt(abs(x))", r"\sqrt{\left|x\right|}"),
        "log(x)": ("log(x)", r"\ln\left(x\right)"),
        "1e-05*x": ("1e-05*x", r"1 \times 10^{-5} \cdot x"),
        "2.50*x": ("2.5*x", r"2.5 \cdot x"),
    }
    for text, (plain, latex) in cases.items():
        node = parse(text)
        assert to_text(node) == plain, text
        assert to_latex(node) == latex, text


@pytest.mark.parametrize(("text", "_ref"), VALID, ids=[t for t, _ in VALID])
def test_canonical_text_parses_back_to_the_same_function(text, _ref):
    node = parse(text)
    again = parse(to_text(node))
    assert to_text(again) == to_text(node)
    a = np.asarray(compile_formula(text)(XS, YS))
    b = np.asarray(compile_formula(to_text(node))(XS, YS))
    np.testing.assert_array_equal(a, b)
