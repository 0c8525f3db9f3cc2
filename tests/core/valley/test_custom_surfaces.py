"""Custom surfaces from typed formulas: minima found numerically, the start rule, errors and
caching."""

from __future__ import annotations

import json
import math

import pytest

from core.valley.formula import FormulaError
from core.valley.surfaces import SURFACES, SurfaceError, custom_surface, find_minima

# ------------------------------------------------------------------------------------------
# Numerical minima, for typed formulas.


def _close(found, want, tol=1e-3):
    return all(any(math.hypot(m.x - w[0], m.y - w[1]) < tol for m in found) for w in want) and len(
        found
    ) == len(want)


@pytest.mark.parametrize("name", ["himmelblau", "six_hump_camel"])
def test_find_minima_recovers_the_listed_minima(name):
    s = SURFACES[name]
    found = find_minima(s.fn, s.domain)
    assert _close(found, [(m.x, m.y) for m in s.minima])
    assert {(round(m.x, 2), round(m.y, 2)) for m in found if m.is_global} == {
        (round(m.x, 2), round(m.y, 2)) for m in s.minima if m.is_global
    }


def test_custom_surface_finds_quadratic_minima():
    s = custom_surface("0.5*x^2 + 5*y^2")
    assert s.name == "custom" and s.formula == "0.5*x^2 + 5*y^2"
    assert len(s.minima) == 1 and s.minima[0].is_global
    assert (s.minima[0].x, s.minima[0].y) == pytest.approx((0, 0), abs=1e-5)
    s = custom_surface("(x-1)^2 + (y+2)^2")
    assert (s.minima[0].x, s.minima[0].y, s.minima[0].value) == pytest.approx((1, -2, 0), abs=1e-5)
    assert len(s.minima) == 1


def test_custom_surface_double_well_has_two_global_minima():
    s = custom_surface("(x^2-1)^2 + y^2")
    assert _close(s.minima, [(-1, 0), (1, 0)], tol=1e-4)
    assert all(m.is_global for m in s.minima)
    tilted = custom_surface("(x^2-1)^2 + 0.1*x + y^2")
    assert [m.is_global for m in tilted.minima] == [True, False]
    assert tilted.minima[0].x < 0  # the tilt makes the left well deeper


def test_custom_surface_start_rule():
    s = custom_surface("(x-1)^2 + (y+2)^2")
    # The inset corner farthest from the minimum at (1, -2): top-left (-4, 4).
    assert s.start == pytest.approx((-4.0, 4.0))
    assert s.contains(*s.start)
    s = custom_surface("(x+3)^2 + (y-3)^2", domain=((-5, 5), (-5, 5)))
    assert s.start == pytest.approx((4.0, -4.0))


def test_custom_surface_reports_no_minimum_for_a_saddle_and_json_works():
    s = custom_surface("x^2 - y^2")
    assert s.minima == ()
    json.dumps(s.to_json())


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("log(x)", "undefined (NaN/inf) on 50% of the plotting area, e.g. at x=0, y=0: log needs"),
        ("sqrt(x) + y", "sqrt needs an argument that is not negative"),
        ("x/0", "dividing by zero"),
        ("3", "doesn't depend on x or y"),
        ("0*x + 2", "doesn't depend on x or y"),
        ("sin(x)^2 + cos(x)^2 + 0*y", "doesn't depend on x or y"),
        ("exp(exp(x))", "too steep"),
        ("1e12*x^10", "too steep"),
    ],
)
def test_custom_surface_errors(formula, words):
    with pytest.raises(SurfaceError) as info:
        custom_surface(formula)
    assert words in str(info.value)


def test_custom_surface_syntax_errors_keep_their_position():
    with pytest.raises(FormulaError) as info:
        custom_surface("x^2 + 2y")
    assert info.value.position == 7


@pytest.mark.parametrize("domain", [((1, 0), (0, 1)), ((0, 1),), ((0, math.inf), (0, 1)), "ab"])
def test_custom_surface_bad_domain(domain):
    with pytest.raises(SurfaceError):
        custom_surface("x^2 + y^2", domain=domain)


def test_custom_surface_is_cached():
    assert custom_surface("x^2 + y^4") is custom_surface("x^2 + y^4", ((-5, 5), (-5, 5)))
