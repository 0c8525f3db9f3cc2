"""The formula parser: values against numpy expressions written independently, precedence,
every error with its position, hostile input, limits, and property tests that any string either
parses or raises FormulaError."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from core.valley.formula import (
    Binary,
    Call,
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
