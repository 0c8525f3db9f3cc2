"""Outcome labels agree with the closed-form theory of quadratics; critical rates are exact."""

import numpy as np
import pytest

from core.schema.experiment import Experiment
from core.valley.resolver import surface_of
from core.valley.simulation import simulate
from core.valley.sweeps import sweep
from core.valley.theory import analyze, best_rates, critical_lr, critical_rates

# f = 0.5 x^2 + 25 y^2: curvatures l = 1 and L = 50 (condition number 50).
RAVINE = Experiment(surface="custom", formula="0.5*x^2 + 25*y^2", start=(4.0, 1.0), steps=3000)
L = 50.0


def test_hessian_and_critical_rates_of_a_quadratic():
    (a,) = analyze(surface_of(RAVINE), momentum=0.9)
    np.testing.assert_allclose(a.eigenvalues, [1.0, 50.0], rtol=1e-5)
    assert a.condition_number == pytest.approx(50.0, rel=1e-5)
    assert a.critical_lr["sgd"] == pytest.approx(2 / 50, rel=1e-5)
    assert a.critical_lr["momentum"] == pytest.approx(2 * 1.9 / 50, rel=1e-5)
    assert a.critical_lr["nesterov"] == pytest.approx(3.8 / (2.8 * 50), rel=1e-5)
    assert a.best_lr["sgd"] == pytest.approx(2 / 51, rel=1e-5)
    # Polyak's optimal heavy ball for l = 1, L = 50.
    r = np.sqrt(50.0)
    assert a.best_lr["momentum"]["lr"] == pytest.approx(4 / (r + 1) ** 2, rel=1e-5)
    assert a.best_lr["momentum"]["momentum"] == pytest.approx(((r - 1) / (r + 1)) ** 2, rel=1e-5)
    assert a.steep_direction() == "y"


def test_critical_lr_follows_the_optimizer_and_weight_decay():
    assert critical_lr(RAVINE) == pytest.approx(0.04, rel=1e-5)
    assert critical_lr(RAVINE.replace(optimizer="adam")) is None
    with_decay = RAVINE.replace(params={"weight_decay": 10.0})
    assert critical_lr(with_decay) == pytest.approx(2 / 60, rel=1e-5)
    assert critical_rates(0.0, 0.9)["sgd"] is None and best_rates(0.0, 1.0)["sgd"] is None


@pytest.mark.parametrize("aL", [0.3, 0.9])
def test_gradient_descent_below_one_over_L_converges_without_overshoot(aL):
    out = simulate(RAVINE.replace(lr=aL / L)).outcome
    assert out.status == "converged"
    assert "overshoot" not in out.flags and "oscillation" not in out.flags


@pytest.mark.parametrize("aL", [1.2, 1.5, 1.9])
def test_gradient_descent_between_one_and_two_converges_with_oscillation(aL):
    out = simulate(RAVINE.replace(lr=aL / L)).outcome
    assert out.status == "converged"
    assert {"overshoot", "oscillation"} <= set(out.flags)


@pytest.mark.parametrize("aL", [2.05, 2.5, 4.0])
def test_gradient_descent_above_two_diverges(aL):
    out = simulate(RAVINE.replace(lr=aL / L)).outcome
    assert out.status == "diverged"
    assert "steep y direction" in out.explanation


@pytest.mark.parametrize(
    ("optimizer", "factor", "status"),
    [
        ("momentum", 0.95, "converged"),
        ("momentum", 1.05, "diverged"),
        ("nesterov", 0.95, "converged"),
        ("nesterov", 1.05, "diverged"),
    ],
)
def test_momentum_methods_diverge_exactly_beyond_their_critical_rate(optimizer, factor, status):
    exp = RAVINE.replace(optimizer=optimizer, params={"momentum": 0.9}, steps=5000)
    lr = factor * critical_lr(exp)
    assert simulate(exp.replace(lr=lr)).outcome.status == status


def test_a_sweep_labels_every_rate_as_theory_says():
    lrs = np.geomspace(1e-4, 1.0, 200)
    result = sweep(RAVINE, ["sgd"], lrs).results["sgd"]
    aL = lrs * L
    # Away from the knife edge, and fast enough for the shallow direction (curvature 1) to
    # arrive within tolerance in 3000 steps: (1 - a)^3000 * 4 < 0.014 needs aL > 0.1.
    clear = (np.abs(aL - 2) > 0.05) & (aL > 0.2)
    expected = np.where(aL > 2, "diverged", "converged")
    np.testing.assert_array_equal(result["status"][clear], expected[clear])
    # Very small rates are still descending when the steps run out.
    assert set(result["status"][aL < 1e-2]) == {"too_slow"}


def test_too_slow_oscillating_and_stalled():
    slow = simulate(RAVINE.replace(lr=1e-5, steps=100)).outcome
    assert slow.status == "too_slow" and "larger rate" in slow.explanation
    bouncing = simulate(RAVINE.replace(lr=1.99 / L, steps=60)).outcome
    assert bouncing.status == "oscillating"
    saddle = Experiment(surface="custom", formula="x^2 - y^2", start=(1.0, 0.0), lr=0.1, steps=300)
    stalled = simulate(saddle).outcome
    assert stalled.status == "stalled" and "saddle" in stalled.explanation
    away = simulate(saddle.replace(start=(1.0, 0.01))).outcome
    assert away.status == "diverged" and "no bottom" in away.explanation


def test_local_minimum_flag():
    # A tilted double well: the right-hand well at x ~ +0.96 is local, the left one global.
    well = Experiment(surface="custom", formula="(x^2 - 1)^2 + 0.3*x + y^2", lr=0.01, steps=3000)
    right = simulate(well.replace(start=(1.5, 0.5))).outcome
    left = simulate(well.replace(start=(-1.5, 0.5))).outcome
    assert right.status == left.status == "converged"
    assert "local_minimum" in right.flags and not right.minimum.is_global
    assert "local_minimum" not in left.flags and left.minimum.is_global
    assert "local minimum" in right.explanation


def test_slow_progress_on_an_ill_conditioned_floor_is_too_slow_not_stalled():
    # 0.5 x^2 + 25 y^2 at aL = 1.5: the steep y direction zig-zags and dies out fast, while x
    # shrinks by only 1 - 0.03 per step, still far from the floor after 60 steps.
    out = simulate(RAVINE.replace(lr=1.5 / L, steps=60)).outcome
    assert out.status == "too_slow"
    assert "oscillation" in out.flags and "zig-zags" in out.explanation
    # The same shallow creep without zig-zag.
    creep = simulate(RAVINE.replace(lr=0.1 / L, steps=200)).outcome
    assert creep.status == "too_slow" and "too short" in creep.explanation


def test_a_nearly_flat_stretch_is_named():
    plateau = Experiment(
        surface="custom", formula="0.01*tanh(x) + y^2", start=(4.0, 0.0), lr=0.1, steps=50
    )
    out = simulate(plateau).outcome
    assert out.status in ("too_slow", "stalled")
    assert "flat" in out.explanation
