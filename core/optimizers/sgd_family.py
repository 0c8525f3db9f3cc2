"""Plain SGD and its two momentum variants (heavy ball and Nesterov), as in torch.optim.SGD.

Each function's docstring writes its update rule; `core.catalog.optimizers` reads it from there.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from .base import (
    GradientTransformation,
    LearningRate,
    Params,
    Scalar,
    add_weight_decay,
    check_range,
    rate_at,
    tree_map,
    zero_count,
)


class SGDState(NamedTuple):
    count: jax.Array  # int32: steps taken so far


class MomentumState(NamedTuple):
    count: jax.Array
    velocity: Params  # torch's momentum_buffer


def sgd(learning_rate: LearningRate, weight_decay: Scalar = 0.0) -> GradientTransformation:
    r"""Stochastic gradient descent: step against the gradient, scaled by the learning rate.

    Update rule (t is the 0-based step, :math:`\eta_t` the learning rate of step t,
    :math:`\lambda` the weight decay)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) + \lambda\,\theta_t \\
        \theta_{t+1} = \theta_t - \eta_t\, g_t
        \end{gathered}

    Reference: PyTorch ``torch.optim.SGD`` (momentum=0),
    https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
    """
    check_range("sgd", "weight_decay", weight_decay, 0.0)

    def init(params: Params) -> SGDState:
        del params
        return SGDState(count=zero_count())

    def update(grads, state: SGDState, params=None):
        g = add_weight_decay(grads, params, weight_decay)
        lr = rate_at(learning_rate, state.count)
        updates = tree_map(lambda d: -lr * d, g)
        return updates, SGDState(count=state.count + 1)

    return GradientTransformation(init, update)


def _momentum_transform(learning_rate, mu, dampening, weight_decay, nesterov: bool):
    """Shared body of heavy-ball and Nesterov momentum (torch.optim.SGD with momentum)."""
    name = "nesterov" if nesterov else "momentum"
    check_range(name, "momentum", mu, 0.0)
    check_range(name, "dampening", dampening, 0.0, 1.0)
    check_range(name, "weight_decay", weight_decay, 0.0)
    # torch keeps no buffer at all when momentum == 0, so dampening must not act then.
    keep = 1 - dampening * (mu != 0)

    def init(params: Params) -> MomentumState:
        return MomentumState(count=zero_count(), velocity=tree_map(jnp.zeros_like, params))

    def update(grads, state: MomentumState, params=None):
        g = add_weight_decay(grads, params, weight_decay)
        lr = rate_at(learning_rate, state.count)
        # Step 0: torch sets the buffer to the gradient itself (no dampening). The buffer starts
        # at zero, so a weight of exactly 1 on g at step 0 reproduces that bit for bit.
        weight = jnp.where(state.count == 0, 1.0, keep)
        velocity = tree_map(lambda b, d: mu * b + weight * d, state.velocity, g)
        if nesterov:
            updates = tree_map(lambda d, b: -lr * (d + mu * b), g, velocity)
        else:
            updates = tree_map(lambda b: -lr * b, velocity)
        return updates, MomentumState(count=state.count + 1, velocity=velocity)

    return GradientTransformation(init, update)


def momentum(
    learning_rate: LearningRate,
    momentum: Scalar = 0.9,
    dampening: Scalar = 0.0,
    weight_decay: Scalar = 0.0,
) -> GradientTransformation:
    r"""Heavy-ball momentum: a velocity that accumulates past gradients.

    Update rule (:math:`\mu` the momentum, :math:`\tau` the dampening)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) + \lambda\,\theta_t \\
        b_t = \begin{cases} g_t & t = 0 \\ \mu\, b_{t-1} + (1 - \tau)\, g_t & t > 0 \end{cases} \\
        \theta_{t+1} = \theta_t - \eta_t\, b_t
        \end{gathered}

    References: Polyak, "Some methods of speeding up the convergence of iteration methods"
    (1964); PyTorch ``torch.optim.SGD(momentum=mu, dampening=tau)``,
    https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
    """
    return _momentum_transform(learning_rate, momentum, dampening, weight_decay, nesterov=False)


def nesterov(
    learning_rate: LearningRate,
    momentum: Scalar = 0.9,
    dampening: Scalar = 0.0,
    weight_decay: Scalar = 0.0,
) -> GradientTransformation:
    r"""Nesterov momentum: step along the gradient plus a look-ahead by the velocity.

    Update rule (:math:`\mu` the momentum, :math:`\tau` the dampening)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) + \lambda\,\theta_t \\
        b_t = \begin{cases} g_t & t = 0 \\ \mu\, b_{t-1} + (1 - \tau)\, g_t & t > 0 \end{cases} \\
        \theta_{t+1} = \theta_t - \eta_t\,(g_t + \mu\, b_t)
        \end{gathered}

    This is PyTorch's ``torch.optim.SGD(momentum=mu, nesterov=True)``; torch refuses a non-zero
    dampening with Nesterov, here it is allowed and enters the buffer exactly as for heavy ball.

    References: Nesterov, "A method for solving the convex programming problem with convergence
    rate O(1/k^2)" (1983); Sutskever, Martens, Dahl & Hinton, "On the importance of
    initialization and momentum in deep learning" (ICML 2013); PyTorch docs,
    https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
    """
    return _momentum_transform(learning_rate, momentum, dampening, weight_decay, nesterov=True)


def momentum_internals(state: MomentumState, lr_t, hyper, count, scales=None) -> dict:
    """What the momentum view shows: the velocity (torch's momentum buffer) after the step."""
    del lr_t, hyper, count, scales
    return {"velocity": state.velocity}


nesterov_internals = momentum_internals  # the same buffer; only the step reads it differently
