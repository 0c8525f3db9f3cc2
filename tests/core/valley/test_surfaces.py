"""Loss surfaces against references nobody here wrote: the published formulas (re-typed in numpy
from Surjanovic & Bingham's Virtual Library of Simulation Experiments, VLSE,
https://www.sfu.ca/~ssurjano/optimization.html, and Himmelblau 1972), published minima, and
the calculus of minima (zero gradient, positive-definite Hessian) checked in float64."""

from __future__ import annotations

import json
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from core.valley.formula import compile_formula
from core.valley.surfaces import (
    SURFACES,
    Minimum,
    Surface,
    SurfaceError,
    get_surface,
)

# Reference formulas, typed from the sources independently of core/surfaces.
REFERENCE = {
    "bowl": lambda x, y: x**2 + y**2,
    "ravine": lambda x, y: 0.5 * x**2 + 50 * y**2,
    "saddle": lambda x, y: x**2 - y**2,
    "booth": lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    "matyas": lambda x, y: 0.26 * (x**2 + y**2) - 0.48 * x * y,
    "rosenbrock": lambda x, y: 100 * (y - x**2) ** 2 + (x - 1) ** 2,
    "beale": lambda x, y: sum(
        (c - x + x * y**i) ** 2 for i, c in ((1, 1.5), (2, 2.25), (3, 2.625))
    ),
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "three_hump_camel": lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    "six_hump_camel": lambda x, y: (
        (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
    ),
    "styblinski_tang": lambda x, y: sum(0.5 * (t**4 - 16 * t**2 + 5 * t) for t in (x, y)),
    "goldstein_price": lambda x, y: (
        (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2))
        * (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2))
    ),
    "rastrigin": lambda x, y: 20 + sum(t**2 - 10 * np.cos(2 * np.pi * t) for t in (x, y)),
}

# Published minima: (surface, x, y, value, decimals published). VLSE unless noted.
PUBLISHED = [
    ("booth", 1, 3, 0, 6),
    ("matyas", 0, 0, 0, 6),
    ("rosenbrock", 1, 1, 0, 6),
    ("beale", 3, 0.5, 0, 6),
    ("goldstein_price", 0, -1, 3, 6),
    ("rastrigin", 0, 0, 0, 6),
    ("three_hump_camel", 0, 0, 0, 6),
    ("six_hump_camel", 0.0898, -0.7126, -1.0316, 4),
    ("six_hump_camel", -0.0898, 0.7126, -1.0316, 4),
    # Himmelblau (1972), as usually quoted to six decimals.
    ("himmelblau", 3.0, 2.0, 0, 6),
    ("himmelblau", -2.805118, 3.131312, 0, 6),
    ("himmelblau", -3.779310, -3.283186, 0, 6),
    ("himmelblau", 3.584428, -1.848126, 0, 6),
    # VLSE gives x_i = -2.903534 and f = -39.16599 d, i.e. -78.33198 for d = 2 (rounded).
    ("styblinski_tang", -2.903534, -2.903534, -78.332, 3),
]

COUNTS = {  # (global, local) minima listed in the domain
    "six_hump_camel": (2, 4),
    "himmelblau": (4, 0),
    "styblinski_tang": (1, 3),
    "three_hump_camel": (1, 2),
    "goldstein_price": (1, 3),
    "rastrigin": (1, 120),
    "saddle": (0, 0),
}


def _grad_hess64(fn, xs, ys):
    """Values, gradients and Hessians of fn at the points (xs, ys), in float64 (x64 enabled
    only locally)."""
    with jax.enable_x64(True):
        f = lambda p: fn(p[0], p[1])
        p = jnp.stack([jnp.asarray(xs, jnp.float64), jnp.asarray(ys, jnp.float64)], axis=-1)
        vals, grads, hess = jax.jit(jax.vmap(lambda q: (f(q), jax.grad(f)(q), jax.hessian(f)(q))))(
            p.reshape(-1, 2)
        )
        return np.asarray(vals), np.asarray(grads), np.asarray(hess)


def test_catalogue():
    assert len(SURFACES) >= 12
    assert next(iter(SURFACES)) == "valley"
    required = {"valley", "ravine", "bowl", "booth", "rosenbrock", "himmelblau", "beale"}
    required |= {"six_hump_camel", "saddle", "rastrigin", "styblinski_tang", "cliff"}
    assert required <= set(SURFACES)
    for name, s in SURFACES.items():
        assert isinstance(s, Surface) and s.name == name and s.title and s.latex and s.story
        assert get_surface(name) is s


def test_unknown_surface_lists_the_valid_names():
    with pytest.raises(SurfaceError, match="Unknown surface 'nope'") as info:
        get_surface("nope")
    assert "valley" in str(info.value) and "rastrigin" in str(info.value)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_fn_matches_the_published_formula(name):
    s = SURFACES[name]
    (x0, x1), (y0, y1) = s.domain
    x, y = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
    want = REFERENCE[name](x, y)
    got = s.value(x, y)
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5 * np.abs(want).max())


@pytest.mark.parametrize("name", list(SURFACES))
def test_formula_text_compiles_to_the_same_surface(name):
    s = SURFACES[name]
    (x0, x1), (y0, y1) = s.domain
    x, y = np.meshgrid(np.linspace(x0, x1, 23), np.linspace(y0, y1, 23))
    want = s.value(x, y)
    got = np.asarray(compile_formula(s.formula)(jnp.asarray(x), jnp.asarray(y)))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())


@pytest.mark.parametrize("name", list(SURFACES))
def test_minima_are_minima_in_float64(name):
    """jit(vmap(grad, hessian)) of fn, at the start and at every listed minimum, in float64."""
    s = SURFACES[name]
    points = [(*s.start, math.nan), *((m.x, m.y, m.value) for m in s.minima)]
    xs, ys, want = (np.array([p[i] for p in points], dtype=np.float64) for i in range(3))
    values, grads, hessians = _grad_hess64(s.fn, xs, ys)
    assert np.all(np.isfinite(values[0])) and np.all(np.isfinite(grads[0]))
    assert np.all(np.isfinite(hessians[0]))
    for m, value, grad, hess in zip(s.minima, values[1:], grads[1:], hessians[1:], strict=True):
        assert s.contains(m.x, m.y), m
        eig = np.linalg.eigvalsh(hess)
        # Zero slope: the remaining gradient would move the point by under 1e-9.
        assert np.linalg.norm(grad) <= 1e-9 * np.abs(eig).max(), (m, grad)
        assert eig[0] > 0, (m, hess)  # positive definite
        assert value == pytest.approx(m.value, abs=1e-12 * max(1.0, abs(m.value)))
    if name in REFERENCE and s.minima:  # the listed values, from the reference formula
        np.testing.assert_allclose(REFERENCE[name](xs[1:], ys[1:]), want[1:], rtol=0, atol=1e-10)


@pytest.mark.parametrize("name", list(SURFACES))
def test_global_minima_are_the_lowest(name):
    s = SURFACES[name]
    if not s.minima:
        return
    low = min(m.value for m in s.minima)
    for m in s.minima:
        assert m.is_global == (m.value <= low + 1e-9), m
    # And nothing on a fine grid is lower than the global minimum.
    (x0, x1), (y0, y1) = s.domain
    x, y = np.meshgrid(np.linspace(x0, x1, 301), np.linspace(y0, y1, 301))
    assert s.value(x, y).min() >= low - 1e-4 * max(1.0, abs(low))


@pytest.mark.parametrize(("name", "x", "y", "value", "decimals"), PUBLISHED)
def test_published_minima_agree(name, x, y, value, decimals):
    s = SURFACES[name]
    m = min(s.minima, key=lambda m: math.hypot(m.x - x, m.y - y))
    tol = 10.0**-decimals  # one unit in the last place: some sources truncate, some round
    assert abs(m.x - x) <= tol and abs(m.y - y) <= tol, m
    assert abs(m.value - value) <= tol, m
    assert m.is_global


@pytest.mark.parametrize(("name", "counts"), COUNTS.items())
def test_minima_counts(name, counts):
    minima = SURFACES[name].minima
    assert (sum(m.is_global for m in minima), sum(not m.is_global for m in minima)) == counts


def test_six_hump_local_minima_published_values():
    # VLSE's figure lists the local minima +-(1.7036, -0.7961) and +-(1.6071, 0.5687);
    # their values -0.2155 and 2.1043 follow from the formula.
    local = sorted((m for m in SURFACES["six_hump_camel"].minima if not m.is_global), key=abs_x)
    for m, (x, y, v) in zip(
        local,
        [(1.6071, 0.5687, 2.1043), (1.6071, 0.5687, 2.1043)]
        + [(1.7036, -0.7961, -0.2155), (1.7036, -0.7961, -0.2155)],
        strict=True,
    ):
        sign = 1 if abs(m.y - y) < 1e-3 else -1
        assert (m.x, m.y) == pytest.approx((sign * x, sign * y), abs=5e-5)
        assert m.value == pytest.approx(v, abs=5e-5)


def abs_x(m: Minimum) -> float:
    return abs(m.x)


def test_saddle_has_an_indefinite_hessian_and_no_minimum():
    s = SURFACES["saddle"]
    assert s.minima == ()
    _, grad, hess = _grad_hess64(s.fn, [0.0], [0.0])
    eig = np.linalg.eigvalsh(hess[0])
    assert np.allclose(grad, 0) and eig[0] < 0 < eig[1]


def _curvatures(name):
    """Hessian eigenvalues at the (first) minimum, by jax.hessian."""
    s = SURFACES[name]
    m = s.minima[0]
    _, _, hess = _grad_hess64(s.fn, [m.x], [m.y])
    return np.linalg.eigvalsh(hess[0])


def test_quadratics_have_the_documented_curvature():
    lo, hi = _curvatures("ravine")
    assert hi / lo >= 50
    assert 2 / hi == pytest.approx(0.02)  # the critical rate in the story
    lo, hi = _curvatures("valley")
    assert hi / lo == pytest.approx(10) and 2 / hi == pytest.approx(0.2)
    assert tuple(_curvatures("bowl")) == pytest.approx((2, 2))
    assert tuple(_curvatures("booth")) == pytest.approx((2, 18))
    assert tuple(_curvatures("matyas")) == pytest.approx((0.04, 1.0))


def test_valley_minimum_is_not_at_the_origin():
    m = SURFACES["valley"].minima[0]
    assert (m.x, m.y) != (0.0, 0.0)


def test_cliff_plateau_is_much_flatter_than_the_cliff():
    s = SURFACES["cliff"]
    slope = lambda x, y: float(jnp.linalg.norm(jnp.array(jax.grad(s.fn, argnums=(0, 1))(x, y))))
    cliff = slope(0.0, 0.0)
    for plateau in [s.start, (2.0, 0.0), (3.0, -1.0)]:
        assert cliff > 100 * slope(*plateau), plateau


@pytest.mark.parametrize("name", list(SURFACES))
def test_domains_contain_starts_and_minima(name):
    s = SURFACES[name]
    (x0, x1), (y0, y1) = s.domain
    assert x0 < x1 and y0 < y1
    assert s.contains(*s.start)
    assert all(s.contains(m.x, m.y) for m in s.minima)
    # The start is not already at a minimum.
    assert all(math.hypot(s.start[0] - m.x, s.start[1] - m.y) > 0.1 for m in s.minima)


@pytest.mark.parametrize("name", list(SURFACES))
def test_to_json(name):
    s = SURFACES[name]
    data = json.loads(json.dumps(s.to_json()))
    assert set(data) == {"name", "title", "formula", "domain", "minima", "start"}
    assert data["name"] == name and data["formula"] == s.latex
    assert s.fn(jnp.zeros((3, 1)), jnp.zeros(4)).shape == (3, 4)  # fn broadcasts
    assert data["domain"] == [list(s.domain[0]), list(s.domain[1])]
    assert data["start"] == list(s.start)
    assert len(data["minima"]) == len(s.minima)
    for d, m in zip(data["minima"], s.minima, strict=True):
        assert d == {"x": m.x, "y": m.y, "value": m.value, "global": m.is_global}


def test_value_is_numpy():
    s = SURFACES["bowl"]
    assert s.value(1.0, 2.0) == 5.0 and isinstance(s.value(1.0, 2.0), float)
    assert isinstance(s.value(np.ones(3), np.ones(3)), np.ndarray)


def test_surface_validates_its_start():
    with pytest.raises(SurfaceError, match="outside"):
        Surface("t", "t", "t", "t", ((0, 1), (0, 1)), (), (2.0, 0.5), lambda x, y: x)
