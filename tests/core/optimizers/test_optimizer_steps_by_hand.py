"""Single optimizer steps worked by hand, and other pytrees."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from core import optimizers as opt

# --- single steps worked by hand ---------------------------------------------------------


def steps_of(tx, params, grads):
    state, out = tx.init(params), []
    for g in grads:
        u, state = tx.update(jnp.asarray(g, jnp.float32), state, params)
        out.append(np.asarray(u))
    return out


def test_sgd_by_hand():
    # p = 1, g = 0.5, wd = 0.2: g' = 0.5 + 0.2 * 1 = 0.7; update = -0.1 * 0.7 = -0.07
    (u,) = steps_of(opt.sgd(0.1, weight_decay=0.2), jnp.float32(1.0), [0.5])
    assert u == pytest.approx(-0.07, rel=1e-6)


def test_momentum_with_dampening_by_hand():
    # mu = 0.9, tau = 0.5, lr = 0.1, g = 1 then 2.
    # step 0: b = g = 1 (torch's first step: no dampening)       -> update -0.1
    # step 1: b = 0.9 * 1 + (1 - 0.5) * 2 = 1.9                     -> update -0.19
    u = steps_of(opt.momentum(0.1, momentum=0.9, dampening=0.5), jnp.float32(0.0), [1.0, 2.0])
    assert u == pytest.approx([-0.1, -0.19], rel=1e-6)


def test_nesterov_by_hand():
    # mu = 0.9, lr = 0.1, g = 1 then 2.
    # step 0: b = 1;             direction 1 + 0.9 * 1 = 1.9    -> update -0.19
    # step 1: b = 0.9 + 2 = 2.9; direction 2 + 0.9 * 2.9 = 4.61 -> update -0.461
    u = steps_of(opt.nesterov(0.1, momentum=0.9), jnp.float32(0.0), [1.0, 2.0])
    assert u == pytest.approx([-0.19, -0.461], rel=1e-6)


def test_adagrad_by_hand():
    # lr = 1, lr_decay = 0.5, eps = 0, g = 3 then 4.
    # step 0: s = 9,  clr = 1 / (1 + 0 * 0.5) = 1:   update -1 * 3 / 3 = -1
    # step 1: s = 25, clr = 1 / (1 + 1 * 0.5) = 2/3: update -(2/3) * 4 / 5 = -8/15
    u = steps_of(opt.adagrad(1.0, lr_decay=0.5, eps=0.0), jnp.float32(0.0), [3.0, 4.0])
    assert u == pytest.approx([-1.0, -8 / 15], rel=1e-6)


def test_rmsprop_with_momentum_by_hand():
    # alpha = 0.75, eps = 0, mu = 0.5, lr = 0.1, g = 2 then 1.
    # step 0: v = 0.25 * 4 = 1;            b = 2 / 1 = 2           -> update -0.2
    # step 1: v = 0.75 * 1 + 0.25 * 1 = 1; b = 0.5 * 2 + 1 / 1 = 2 -> update -0.2
    #   (without momentum step 1 would be -0.1)
    tx = opt.rmsprop(0.1, alpha=0.75, eps=0.0, momentum=0.5)
    assert steps_of(tx, jnp.float32(0.0), [2.0, 1.0]) == pytest.approx([-0.2, -0.2], rel=1e-6)


def test_adam_by_hand():
    # beta1 = 0.5, beta2 = 0.75, eps = 0, lr = 0.1, g = 1 then 3.
    # step 0: m = 0.5, v = 0.25; m_hat = 0.5 / 0.5 = 1, v_hat = 0.25 / 0.25 = 1 -> update -0.1
    # step 1: m = 0.25 + 1.5 = 1.75, v = 0.1875 + 2.25 = 2.4375
    #         m_hat = 1.75 / (1 - 0.25) = 7/3, v_hat = 2.4375 / (1 - 0.5625) = 39/7
    #         update = -0.1 * (7/3) / sqrt(39/7)
    tx = opt.adam(0.1, beta1=0.5, beta2=0.75, eps=0.0)
    u = steps_of(tx, jnp.float32(0.0), [1.0, 3.0])
    assert u == pytest.approx([-0.1, -0.1 * (7 / 3) / math.sqrt(39 / 7)], rel=1e-6)


def test_adam_first_step_has_length_lr_in_every_coordinate():
    # Bias correction makes m_hat = g and v_hat = g^2 at step 0: the step is -lr * sign(g).
    (u,) = steps_of(opt.adam(0.01, eps=0.0), jnp.zeros(3), [[1e-4, -5.0, 300.0]])
    np.testing.assert_allclose(u, [-0.01, 0.01, -0.01], rtol=1e-6)


def test_works_on_other_pytrees():
    point = jnp.asarray([1.0, -2.0])
    tx = opt.adam(0.1)
    u, state = tx.update(2 * point, tx.init(point), point)
    assert u.shape == (2,) and state.count == 1
    tree = (jnp.ones(3), {"x": jnp.float32(2.0)})
    tx = opt.nesterov(0.1)
    u, _ = tx.update(tree, tx.init(tree), tree)
    assert jax.tree_util.tree_structure(u) == jax.tree_util.tree_structure(tree)
