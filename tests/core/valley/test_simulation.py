"""Trajectories against closed-form results on quadratics, and clean divergence."""

import numpy as np
import pytest

from core.schema.experiment import Experiment
from core.valley import kernel
from core.valley.simulation import simulate

# f = x^2 + 3 y^2: curvatures 2 and 6. Gradient descent multiplies each coordinate's distance
# to the minimum by (1 - a * curvature) every step, so the whole path is known in closed form.
QUAD = Experiment(surface="custom", formula="x^2 + 3*y^2", start=(2.0, -1.0), steps=40)


def test_gradient_descent_path_equals_the_closed_form():
    a = 0.1
    run = simulate(QUAD.replace(lr=a))
    t = np.arange(41)
    expected = np.stack([2.0 * (1 - 2 * a) ** t, -1.0 * (1 - 6 * a) ** t], axis=1)
    np.testing.assert_allclose(run.path, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(
        run.loss, expected[:, 0] ** 2 + 3 * expected[:, 1] ** 2, rtol=1e-5, atol=1e-7
    )
    np.testing.assert_allclose(run.grad, expected * [2.0, 6.0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(run.lr, np.full(40, a), rtol=1e-7)


def test_heavy_ball_path_equals_its_recurrence():
    # PyTorch's momentum: v <- b v + g, p <- p - a v, written out independently in float64.
    a, b = 0.05, 0.8
    run = simulate(QUAD.replace(optimizer="momentum", lr=a, params={"momentum": b}))
    p, v, points = np.array([2.0, -1.0]), np.zeros(2), [np.array([2.0, -1.0])]
    for _ in range(40):
        g = np.array([2.0, 6.0]) * p
        v = b * v + g
        p = p - a * v
        points.append(p)
    np.testing.assert_allclose(run.path, np.array(points), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(run.state["velocity"][-1], v, rtol=1e-4, atol=1e-6)


def test_adam_path_equals_optax_adam_in_a_scan():
    # optax's Adam (eps outside the root, no eps_root) is torch's rule: a reference nobody
    # here wrote, run step by step on Rosenbrock from the same float32 start.
    import jax
    import jax.numpy as jnp
    import optax

    exp = Experiment(surface="rosenbrock", optimizer="adam", lr=0.01, steps=300, start=(-1.5, 2))
    run = simulate(exp)
    tx = optax.adam(0.01, b1=0.9, b2=0.999, eps=1e-8)
    loss = lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

    def step(carry, _):
        p, s = carry
        u, s = tx.update(jax.grad(loss)(p), s, p)
        p = optax.apply_updates(p, u)
        return (p, s), p

    p0 = jnp.array([-1.5, 2.0], jnp.float32)
    _, path = jax.lax.scan(step, (p0, tx.init(p0)), None, length=300)
    np.testing.assert_allclose(run.path[1:], np.asarray(path), rtol=1e-4, atol=1e-5)
    assert np.linalg.norm(run.path[-1] - run.path[0]) > 0.2  # a real walk, not a standstill


def test_steps_and_shapes():
    run = simulate(QUAD.replace(steps=73, optimizer="adam"))
    assert run.path.shape == (74, 2) and run.loss.shape == (74,) and run.grad.shape == (74, 2)
    assert run.lr.shape == (73,) and run.diverged_at is None
    for values in run.state.values():
        assert values.shape == (73, 2)


def test_divergence_stops_cleanly_and_reports_the_step():
    run = simulate(QUAD.replace(lr=0.5, steps=500))  # a*L = 3 > 2
    assert run.diverged_at is not None
    assert len(run.path) == run.diverged_at + 1
    for values in (run.path, run.loss, run.grad, run.lr):
        assert np.all(np.isfinite(values))
    # |y_t| = 2^t (|1 - 6a| = 2): the move from point t leaves the escape box, 10 half-widths
    # = 50 from the centre of the [-5, 5] domain, once 2^(t+1) > 50, i.e. at t = 5.
    assert run.surface.domain == ((-5.0, 5.0), (-5.0, 5.0))
    assert run.diverged_at == int(np.ceil(np.log2(50.0))) - 1
    # Steps count from 1 (step t reaches point t): the move from point 5 is step 6.
    assert run.outcome.status == "diverged" and run.outcome.step == run.diverged_at + 1
    # Where that step went, by the closed form: x_t = 2 (1 - 2a)^t, y_t = -(1 - 6a)^t.
    assert run.escape == pytest.approx((0.0, -64.0))
    assert run.escape_loss == pytest.approx(3 * 64.0**2)


def test_overflow_to_nan_is_caught():
    run = simulate(Experiment(surface="custom", formula="exp(x^2)", lr=5.0, steps=50))
    assert run.outcome.status == "diverged"
    assert np.all(np.isfinite(run.path)) and np.all(np.isfinite(run.loss))


def test_ten_thousand_steps():
    run = simulate(QUAD.replace(lr=1e-4, steps=10_000))
    assert run.path.shape == (10_001, 2)
    np.testing.assert_allclose(run.path[-1, 0], 2.0 * (1 - 2e-4) ** 10_000, rtol=1e-3)


def test_changing_traced_values_does_not_recompile():
    base = QUAD.replace(optimizer="momentum", schedule="step")
    simulate(base)
    fn = kernel.judged_kernel.cache_info()
    for exp in [
        base.replace(lr=0.01),
        base.replace(lr=0.0123, start=(1.0, 1.0)),
        base.replace(params={"momentum": 0.5, "weight_decay": 0.01}),
        base.replace(schedule_args={"step_size": 7, "gamma": 0.5}),
        base.replace(steps=50),  # the same bucket of scan lengths
    ]:
        simulate(exp)
    assert kernel.judged_kernel.cache_info().currsize == fn.currsize
    compiled = kernel.judged_kernel(
        simulate(base).surface.fn, "momentum", "step", kernel.bucket(40), ("gamma", "step_size")
    )
    assert compiled._cache_size() == 1


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_every_optimizer_runs_and_reaches_the_bowl_minimum(optimizer):
    lr = {"adagrad": 0.5, "rmsprop": 0.01, "adam": 0.05}.get(optimizer, 0.05)
    run = simulate(QUAD.replace(optimizer=optimizer, lr=lr, steps=2000))
    assert run.outcome.status == "converged", run.outcome
    assert np.linalg.norm(run.path[-1]) < 0.02


def test_schedule_rates_are_recorded():
    run = simulate(QUAD.replace(schedule="step", schedule_args={"step_size": 10, "gamma": 0.5}))
    np.testing.assert_allclose(run.lr[:10], 0.05)
    np.testing.assert_allclose(run.lr[10:20], 0.025)
    np.testing.assert_allclose(run.lr[30:40], 0.05 * 0.125)
