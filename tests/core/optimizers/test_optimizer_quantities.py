"""The optimizers' internal quantities (effective rate, moments) and their shapes."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from core import optimizers as opt
from tests.optimizer_problem import (
    P0,
    SHAPES,
    jax_grad,
)

# --- state_quantities ---------------------------------------------------------------------


def _stacked_run(tx, lrs, steps=12):
    """Run a scan and keep, per step, the grads, the updates and the state after the step."""
    params = {k: jnp.asarray(v) for k, v in P0.items()}

    def body(carry, t):
        p, s = carry
        g = jax_grad(p, t)
        u, s = tx.update(g, s, p)
        return (jax.tree_util.tree_map(jnp.add, p, u), s), (g, u, s)

    _, (grads, updates, states) = jax.lax.scan(body, (params, tx.init(params)), jnp.arange(steps))
    return grads, updates, states


def _schedule(count):
    return 0.05 / (1.0 + 0.1 * count)


@pytest.mark.parametrize(
    ("name", "hyper", "moment"),
    [
        ("adagrad", {"lr_decay": 0.1, "initial_accumulator_value": 0.2}, "grad"),
        ("rmsprop", {"alpha": 0.9}, "grad"),
        ("adam", {"beta1": 0.8, "beta2": 0.95, "eps": 1e-6}, "exp_avg"),
    ],
)
def test_effective_lr_times_moment_is_the_update(name, hyper, moment):
    grads, updates, states = _stacked_run(opt.make(name, _schedule, **hyper), None)
    lr_t = _schedule(jnp.arange(12))
    q = opt.state_quantities(name, states, lr_t, hyper)
    first = grads if moment == "grad" else states.exp_avg
    for k in P0:
        assert q["effective_lr"][k].shape == (12, *SHAPES[k])
        np.testing.assert_allclose(
            -q["effective_lr"][k] * first[k], updates[k], rtol=2e-5, atol=1e-7
        )


def test_state_quantities_names_and_shapes_on_stacked_states():
    expected = {
        "sgd": set(),
        "momentum": {"velocity"},
        "nesterov": {"velocity"},
        "adagrad": {"sum_sq", "effective_lr"},
        "rmsprop": {"square_avg", "effective_lr"},
        "adam": {"exp_avg", "exp_avg_sq", "effective_lr"},
        "adamw": {"exp_avg", "exp_avg_sq", "effective_lr"},
    }
    for name, keys in expected.items():
        _, _, states = _stacked_run(opt.make(name, 0.01), None, steps=7)
        q = opt.state_quantities(name, states, 0.01, {})
        assert set(q) == keys, name
        for quantity in q.values():
            for k in P0:
                assert quantity[k].shape == (7, *SHAPES[k])


def test_state_quantities_broadcast_over_two_leading_axes():
    # A vmap over 3 learning rates of a 5-step scan: leaves are (3, 5, ...), lr is (3, 5).
    lrs = jnp.asarray([0.01, 0.1, 1.0])
    states = jax.vmap(lambda lr: _stacked_run(opt.adam(lr), None, steps=5)[2])(lrs)
    lr_t = jnp.broadcast_to(lrs[:, None], (3, 5))
    eff = opt.state_quantities("adam", states, lr_t, {})["effective_lr"]
    assert eff["w"].shape == (3, 5, 3, 4)
    # The same state at lr 1.0 and 0.01 has effective rates in ratio 100 (at the same state).
    single = opt.state_quantities("adam", states, 1.0, {})["effective_lr"]["w"]
    np.testing.assert_allclose(eff["w"][2], single[2], rtol=1e-6)
    np.testing.assert_allclose(eff["w"][0] * 100, single[0], rtol=1e-5)


def test_state_quantities_of_a_fresh_state_are_the_first_steps_factors():
    # count 0: the factor step 0 would use with the initial accumulators (t = 0 in the rules).
    p = jnp.zeros(2)
    q = opt.state_quantities(
        "adagrad",
        opt.adagrad(0.3, initial_accumulator_value=4.0).init(p),
        0.3,
        {"lr_decay": 1.0, "initial_accumulator_value": 4.0},
    )
    np.testing.assert_allclose(q["effective_lr"], 0.3 / (2.0 + 1e-10), rtol=1e-6)  # 0.3 / sqrt(4)
    q = opt.state_quantities("adam", opt.adam(0.1).init(p), 0.1, {"eps": 1e-2})
    # v = 0: lr / (1 - beta1^1) / eps = 0.1 / 0.1 / 0.01 = 100
    np.testing.assert_allclose(q["effective_lr"], 100.0, rtol=1e-5)


def test_adam_with_tabulated_scales_takes_the_same_steps():
    # The kernel tabulates adam_scales for a whole run and passes each step its entry; that
    # must be the very update (and effective rate) the optimizer computes on its own.
    lr, b1, b2 = 0.03, 0.8, 0.99
    tx = opt.adam(lr, beta1=b1, beta2=b2, weight_decay=0.01)
    hyper = {"beta1": b1, "beta2": b2}
    table = opt.adam_scales(lr, np.arange(1, 21), b1, b2)
    p = jnp.array([1.0, -2.0])
    own, given = tx.init(p), tx.init(p)
    for t in range(20):
        g = jnp.array([np.sin(t), np.cos(3 * t)], jnp.float32)
        u_own, own = tx.update(g, own, p)
        scales = (table[0][t], table[1][t])
        u_given, given = tx.update(g, given, p, scales=scales)
        np.testing.assert_allclose(u_given, u_own, rtol=1e-6)
        q_own = opt.state_quantities("adam", own, lr, hyper)["effective_lr"]
        q_given = opt.state_quantities("adam", given, lr, hyper, scales)["effective_lr"]
        np.testing.assert_allclose(q_given, q_own, rtol=1e-6)
        p = p + u_own
