"""Custom surfaces under hostile or badly scaled formulas: the wiggle check (a picture and a slope
that disagree are refused with a message), minima of badly scaled formulas (against minima
worked by hand and Himmelblau's published ones), and one compile per new formula.

References nobody here wrote: the minima of quadratics and of the double well by hand,
Himmelblau's four minima (Himmelblau 1972, as listed by VLSE,
https://www.sfu.ca/~ssurjano/optimization.html), and the trapezoid rule's error for sin(k*x)."""

from __future__ import annotations

import math
import re
from collections import Counter

import jax
import jax.monitoring
import jax.numpy as jnp
import numpy as np
import pytest

from core.valley.formula import FormulaError, compile_formula
from core.valley.surfaces import SURFACES, SurfaceError, custom_surface, find_minima
from tests.paths import REPO

LESSONS = REPO / "lessons"


def _lesson_formulas() -> list[str]:
    found = {
        m.strip()
        for path in sorted(LESSONS.glob("*.md"))
        for m in re.findall(r"^formula:(.*)$", path.read_text(encoding="utf-8"), re.M)
    }
    return sorted(f for f in found if f)


# ------------------------------------------------------------------------------------------
# Too wiggly (or too steep for its range) to draw or to walk.


@pytest.mark.parametrize(
    "formula",
    [
        "sin(1e12*x)*sin(1e12*y)",  # float32 noise: every run diverges at step 0
        "sin(1000*x)*y",
        "sin(1000*x*y)",
        "cos(1e6*x) + y^2",
        "x^2 + y^2 + 0.1*sin(50*x)*sin(50*y)",  # ripples as steep as the bowl, 2.5 points a period
        "sin(1e12*x)*exp(-x^2 - y^2)",  # noise on most of the area, fading out
    ],
)
def test_wiggly_formulas_are_refused_with_a_message(formula):
    with pytest.raises(SurfaceError) as info:
        custom_surface(formula)
    message = str(info.value)
    assert message.startswith("The formula is too wiggly to draw or to walk: on ")
    share = int(re.search(r"on (\d+)% of the plotting area", message).group(1))
    assert 25 < share <= 100
    x, y = (float(v) for v in re.search(r"e\.g\. at x=(\S+), y=(\S+)\)", message).groups())
    assert -5 <= x <= 5 and -5 <= y <= 5
    assert "sin(1000*x)" in message or "cos(1000*x)" in message  # the hint names the culprit


def test_a_flat_surface_with_float32_dust_in_its_slope_is_flat_not_wiggly():
    # log(cos(1e-12*y^2)) is 0 to float32 while autodiff gives slopes near 1e-23.
    with pytest.raises(SurfaceError, match="doesn't depend on x or y"):
        custom_surface("log(cos(1e-12*y^2)) + 0*x")


def test_too_steep_for_its_range_is_refused_by_the_magnitude_checks():
    with pytest.raises(FormulaError, match="too large"):  # the parser caps numbers at 1e12
        custom_surface("1e20*x^2")
    with pytest.raises(SurfaceError, match="too steep to draw"):
        custom_surface("1e12*1e8*x^2")


def test_the_wiggle_limit_is_about_four_grid_points_per_period():
    # The check's grid has 200 steps of 0.05 over [-5, 5]. For sin(k*x) the trapezoid rule
    # overshoots the rise over a step by tan(u)/u with u = k*0.05/2; the 25% tolerance is
    # crossed at u ~ 0.84, k ~ 34: 3.7 points per period.
    for k in (3, 10, 20, 30):
        custom_surface(f"sin({k}*x)*sin({k}*y)")
    for k in (40, 60, 400):
        with pytest.raises(SurfaceError, match="too wiggly"):
            custom_surface(f"sin({k}*x)*sin({k}*y)")


def test_a_smaller_plotting_area_resolves_what_the_default_one_cannot():
    with pytest.raises(SurfaceError, match="too wiggly"):
        custom_surface("sin(100*x) + y^2")
    s = custom_surface("sin(100*x) + y^2", domain=((-0.5, 0.5), (-0.5, 0.5)))
    assert s.minima and all(m.value == pytest.approx(-1 + m.y**2, abs=1e-5) for m in s.minima)


@pytest.mark.parametrize(
    "formula",
    [
        "x^2 + 10*(1 - cos(2*pi*x))",  # rastrigin-like, 20 grid points a period
        "0.5*x^2 + 5*y^2",
        "(x^2 - 1)^2 + y^2",  # a double well
        "exp(x^2) + y^2",  # steep walls, smooth
        "1e12*x^2 + y^2",  # badly scaled, smooth
        "1e6 + x^2 + y^2",  # float32 rounding of the values, not wiggles
        "tanh(1000*x) + 0.01*y^2",  # a cliff one grid step wide
        "abs(x) + abs(y)",  # kinks
        "tan(x)*tanh(y)",  # poles: steep, not wiggly
        "x^2 + 1e-3*sin(1000*x)",  # ripples too small to matter on most of the area
    ],
)
def test_smooth_steep_or_kinked_formulas_are_accepted(formula):
    s = custom_surface(formula)
    assert s.contains(*s.start)


@pytest.mark.parametrize("name", list(SURFACES))
def test_every_built_in_formula_passes_and_gives_the_listed_minima(name):
    built_in = SURFACES[name]
    s = custom_surface(built_in.formula, built_in.domain)
    assert len(s.minima) == len(built_in.minima)
    for m in built_in.minima:
        near = min(s.minima, key=lambda n: math.hypot(n.x - m.x, n.y - m.y))
        assert math.hypot(near.x - m.x, near.y - m.y) < 1e-3, (m, near)
        assert near.is_global == m.is_global


@pytest.mark.parametrize("formula", _lesson_formulas())
def test_every_lesson_formula_passes(formula):
    """Accepted, with its minima found; only a plane (the steady slope of the momentum lesson)
    has none to find: its curvature is zero everywhere."""
    s = custom_surface(formula)
    if not s.minima:
        hessian = jax.hessian(lambda p: s.fn(p[0], p[1]))
        for point in ((-4.0, -4.0), (0.0, 0.0), (1.3, -2.7), (4.0, 4.0)):
            assert np.abs(np.asarray(hessian(jnp.array(point)))).max() == 0, (formula, point)


def test_lessons_have_formulas_to_check():
    assert len(_lesson_formulas()) >= 8


# ------------------------------------------------------------------------------------------
# Minima of badly scaled formulas.


def _at(minima, x, y, tol):
    return any(math.hypot(m.x - x, m.y - y) < tol for m in minima)


@pytest.mark.parametrize(
    "formula", ["1e12*x^2 + y^2", "x^2 + 1e-6*y^2", "1e-6*x^2 + 1e6*y^2", "1e12*(x - 1)^2 + y^2"]
)
def test_a_badly_scaled_bowl_has_exactly_one_minimum(formula):
    s = custom_surface(formula)
    x0 = 1.0 if "(x - 1)" in formula else 0.0
    assert len(s.minima) == 1, s.minima
    m = s.minima[0]
    assert m.is_global and (m.x, m.y) == pytest.approx((x0, 0.0), abs=1e-6)
    assert m.value == pytest.approx(0.0, abs=1e-6)


def test_find_minima_on_a_badly_scaled_function_directly():
    found = find_minima(lambda x, y: 1e12 * x**2 + y**2, ((-5.0, 5.0), (-5.0, 5.0)))
    assert [(m.x, m.y) for m in found] == [pytest.approx((0.0, 0.0), abs=1e-6)]


def test_double_well_has_both_minima_and_they_stay_two():
    s = custom_surface("(x^2-1)^2 + y^2")
    assert len(s.minima) == 2 and all(m.is_global for m in s.minima)
    assert _at(s.minima, -1, 0, 1e-5) and _at(s.minima, 1, 0, 1e-5)
    # Without y the wells are two valley floors of equal depth: still two, not merged.
    floors = custom_surface("(x^2-1)^2 + 0*y")
    assert len(floors.minima) == 2
    assert _at(floors.minima, -1, 0, 1e-4) and _at(floors.minima, 1, 0, 1e-4)


def test_himmelblau_typed_as_a_formula_has_its_four_published_minima():
    s = custom_surface("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    published = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    assert len(s.minima) == 4
    for x, y in published:
        assert _at(s.minima, x, y, 1e-4), (x, y, s.minima)
    assert all(m.is_global and m.value == pytest.approx(0, abs=1e-6) for m in s.minima)


def test_a_floor_of_minima_is_shown_once_per_valley_nearest_the_centre():
    # x^2 + 10*(1 - cos(2*pi*x)) does not depend on y: its minima are lines. Where the slope
    # 2x + 20*pi*sin(2*pi*x) vanishes near each integer n with |n| <= 5, one point at y = 0.
    s = custom_surface("x^2 + 10*(1 - cos(2*pi*x))")
    assert len(s.minima) == 11
    f = compile_formula("x^2 + 10*(1 - cos(2*pi*x))")
    for m in s.minima:
        assert m.y == 0.0
        n = round(m.x)
        assert abs(m.x - n) < 0.03 and 2 * m.x + 20 * math.pi * math.sin(2 * math.pi * m.x) == (
            pytest.approx(0, abs=1e-3)
        )
        assert m.value == pytest.approx(float(f(m.x, 0.0)), rel=1e-5, abs=1e-6)
    assert [m.x for m in s.minima if m.is_global] == [0.0]
    # A tilted valley floor: one minimum, at the point of the line x + 0.3*y = 0 nearest
    # the centre.
    (m,) = custom_surface("(x + 0.3*y)^2").minima
    assert abs(m.x + 0.3 * m.y) < 1e-4 and math.hypot(m.x, m.y) < 0.5


def test_no_spurious_minima_on_a_plateau_or_a_saddle():
    assert custom_surface("x^2 - y^2").minima == ()
    assert custom_surface("-(x^2) - 1e12*y^2").minima == ()
    s = custom_surface("x^3 + y^2")
    assert s.minima == ()


def test_minima_are_stationary_in_float64():
    """Every reported minimum of some badly scaled formulas, re-checked by hand-derived
    gradients in float64 numpy."""
    cases = {
        "1e12*x^2 + y^2": lambda x, y: (2e12 * x, 2 * y, 2e12, 2.0),
        "x^2 + 1e-6*y^2": lambda x, y: (2 * x, 2e-6 * y, 2.0, 2e-6),
        "(x^2-1)^2 + y^2": lambda x, y: (4 * x * (x * x - 1), 2 * y, 12 * x * x - 4, 2.0),
    }
    for formula, grad_hess in cases.items():
        for m in custom_surface(formula).minima:
            gx, gy, hxx, hyy = grad_hess(np.float64(m.x), np.float64(m.y))
            # the Newton step that remains is below 1e-5 of the domain
            assert math.hypot(gx / hxx, gy / hyy) < 1e-4, (formula, m)


# ------------------------------------------------------------------------------------------
# Cost: one compile per new formula (times are measured in benchmarks, never asserted).


def test_a_new_formula_costs_one_compile():
    events: list[str] = []

    def listen(event, duration, **kwargs):
        events.append(event)

    jax.monitoring.register_event_duration_secs_listener(listen)
    try:
        custom_surface("(x^2 + y - 11)^2 + (x + y^2 - 7)^2 + 0.123456")
        custom_surface("0.5*x^2 + 5*y^2 + 0.654321")
    finally:
        jax.monitoring.unregister_event_duration_listener(listen)
    assert Counter(events)["/jax/core/compile/backend_compile_duration"] == 2
