"""The blindfold walk's logic (`core.valley.blindfold`) against closed forms worked by hand:
a step is p - rate * grad f(p), the goal is a share of the start's gap, the walk stops where
the engine calls a run diverged and at its limit, and the best fixed rate on a quadratic is
2 / (smallest + largest curvature)."""

from __future__ import annotations

import numpy as np
import pytest

from core.schema.experiment import Experiment, ExperimentError
from core.valley import blindfold as bf
from core.valley.resolver import escape_box
from core.valley.surfaces import SURFACES, custom_surface

BOWL = SURFACES["bowl"]  # x^2 + y^2: gradient (2x, 2y), curvature 2 both ways


def test_a_step_is_the_point_minus_rate_times_the_gradient():
    walk = bf.begin(BOWL, (-3.0, 2.5))
    assert walk.losses[0] == pytest.approx(9 + 6.25)
    np.testing.assert_allclose(walk.grads[0], (-6.0, 5.0), rtol=1e-6)
    after = bf.advance(walk, BOWL, 0.2)
    # By hand: (-3, 2.5) - 0.2 * (-6, 5) = (-1.8, 1.5).
    np.testing.assert_allclose(after.points[-1], (-1.8, 1.5), rtol=1e-6)
    assert after.losses[-1] == pytest.approx(1.8**2 + 1.5**2, rel=1e-6)
    assert after.rates == (0.2,) and after.steps == 1 and after.status == bf.WALKING
    np.testing.assert_allclose(bf.gradient_step((1.0, -2.0), 0.1, (4.0, 10.0)), (0.6, -3.0))


def test_on_a_rotated_quadratic_the_step_uses_its_gradient_by_hand():
    # f = (x + y)^2 + 3 (x - y)^2: grad = (2(x+y) + 6(x-y), 2(x+y) - 6(x-y)).
    surface = custom_surface("(x + y)^2 + 3*(x - y)^2")
    x, y, rate = 1.0, -2.0, 0.05
    grad = np.array([2 * (x + y) + 6 * (x - y), 2 * (x + y) - 6 * (x - y)])
    after = bf.advance(bf.begin(surface, (x, y)), surface, rate)
    np.testing.assert_allclose(after.points[-1], np.array([x, y]) - rate * grad, rtol=1e-5)


def test_the_goal_is_the_set_share_of_the_start_gap_and_ends_the_walk():
    walk = bf.begin(BOWL, (-3.0, 2.5), tol=0.01)
    assert walk.goal.floor == 0.0 and walk.goal.target == pytest.approx(0.1525)
    # Rate 0.4 multiplies the distance by |1 - 2 * 0.4| = 0.2, the loss by 0.04, each step:
    # 15.25 -> 0.61 -> 0.0244 (below 0.1525) : the bottom after two steps, not one.
    one = bf.advance(walk, BOWL, 0.4)
    assert one.status == bf.WALKING and one.losses[-1] == pytest.approx(0.61, rel=1e-5)
    two = bf.advance(one, BOWL, 0.4)
    assert two.status == bf.REACHED and two.steps == 2
    assert bf.advance(two, BOWL, 0.4) is two  # a finished walk takes no more steps
    # Rate 0.5 lands on the bottom in one step; a start at the bottom is already there.
    assert bf.advance(walk, BOWL, 0.5).status == bf.REACHED
    assert bf.begin(BOWL, (0.0, 0.0)).status == bf.REACHED


def test_leaving_the_valley_stops_the_walk_and_says_where_it_went():
    walk = bf.begin(BOWL, (-3.0, 2.5))
    # Rate 30: (1 - 60) * (-3, 2.5) = (177, -147.5), outside the escape box (+-40).
    gone = bf.advance(walk, BOWL, 30.0)
    assert escape_box(BOWL.domain) == (-40.0, 40.0, -40.0, 40.0)
    assert gone.status == bf.LEFT and gone.steps == 1 and len(gone.points) == 1
    np.testing.assert_allclose(gone.escape, (177.0, -147.5), rtol=1e-5)
    assert "diverged" in bf.ENDINGS[bf.LEFT]
    # A rate of 1.2 overshoots (factor -1.4) but stays inside the box: still walking.
    assert bf.advance(walk, BOWL, 1.2).status == bf.WALKING


def test_the_walk_stops_at_its_step_limit():
    walk = bf.begin(BOWL, (-3.0, 2.5))
    for _ in range(bf.WALK_LIMIT):
        walk = bf.advance(walk, BOWL, 1e-6)  # far too short to arrive
    assert walk.status == bf.LIMIT and walk.steps == bf.WALK_LIMIT


def test_a_bad_rate_is_refused_with_the_schemas_words():
    walk = bf.begin(BOWL, (-3.0, 2.5))
    for bad in ("abc", "", "nan", "-1", "1e9"):
        with pytest.raises(ExperimentError, match="lr"):
            bf.advance(walk, BOWL, bad)


def test_a_surface_without_a_minimum_has_no_goal():
    saddle = SURFACES["saddle"]
    walk = bf.begin(saddle, saddle.start)
    assert walk.goal.target is None and not walk.goal.reached(-1e30)
    assert bf.reference(Experiment(surface="saddle"), saddle, saddle.start, walk.goal) is None


@pytest.mark.parametrize(
    ("name", "low", "top"),
    [("bowl", 2.0, 2.0), ("ravine", 1.0, 100.0), ("valley", 1.0, 10.0)],  # their docstrings
)
def test_the_best_fixed_rate_on_a_quadratic_is_two_over_the_curvature_sum(name, low, top):
    assert bf.theory_rate(SURFACES[name]) == pytest.approx(2 / (low + top), rel=1e-5)


def test_the_best_fixed_rate_of_a_typed_quadratic_by_hand():
    # 0.5 x^2 + 2 y^2 + x y: Hessian [[1, 1], [1, 4]], eigenvalues (5 -+ sqrt 13) / 2.
    surface = custom_surface("0.5*x^2 + 2*y^2 + x*y")
    low, top = (5 - np.sqrt(13)) / 2, (5 + np.sqrt(13)) / 2
    assert bf.theory_rate(surface) == pytest.approx(2 / (low + top), rel=1e-4)  # = 2/5
    assert bf.theory_rate(SURFACES["rosenbrock"]) is None  # not a quadratic: the sweep decides


def test_the_reference_on_the_bowl_lands_in_one_step_at_rate_one_half():
    walk = bf.begin(BOWL, (-3.0, 2.5))
    ref = bf.reference(Experiment(surface="bowl"), BOWL, (-3.0, 2.5), walk.goal)
    assert ref.how == "theory" and ref.rate == pytest.approx(0.5) and ref.steps == 1
    np.testing.assert_allclose(ref.path, [(-3.0, 2.5), (0.0, 0.0)], atol=1e-6)


def test_elsewhere_the_reference_rate_is_the_fastest_of_the_sweep():
    from core.schema.rate_grid import LR_GRID
    from core.valley.simulation import simulate

    surface = SURFACES["himmelblau"]
    walk = bf.begin(surface, surface.start)
    ref = bf.reference(Experiment(surface="himmelblau"), surface, surface.start, walk.goal)
    assert ref.how == "sweep" and ref.rate in LR_GRID and ref.steps is not None

    def steps_at(rate):  # each rate's own run, one at a time: none is faster than the pick
        run = simulate(Experiment(surface="himmelblau", lr=rate, steps=ref.steps))
        return bf.steps_to_goal(run.loss, walk.goal.target)

    assert steps_at(ref.rate) == ref.steps
    for rate in LR_GRID[::4]:
        hit = steps_at(rate)
        assert hit is None or hit >= ref.steps


def test_steps_to_goal_ignores_points_after_the_walker_left():
    assert bf.steps_to_goal([5.0, 2.0, 0.5, 0.1], 0.6) == 2
    assert bf.steps_to_goal([5.0, 2.0, 0.5], 0.6, good=[True, False, True]) is None
    assert bf.steps_to_goal([5.0, np.nan, 0.1], 0.6) == 2  # NaN never counts as arrived
    assert bf.steps_to_goal([5.0], None) is None
