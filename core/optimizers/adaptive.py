"""Optimizers with a per-coordinate step size: Adagrad, RMSprop and Adam (torch.optim's rules).

Each function's docstring writes its update rule (`core.catalog.optimizers` reads it there);
each ``*_internals`` gives the per-coordinate quantities its state holds after a step.
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
    bias_correction,
    check_range,
    lift,
    rate_at,
    tree_map,
    zero_count,
)


class AdagradState(NamedTuple):
    count: jax.Array
    sum_sq: Params  # running sum of squared gradients


class RMSpropState(NamedTuple):
    count: jax.Array
    square_avg: Params  # moving average of squared gradients
    momentum_buffer: Params  # stays zero when momentum == 0


class AdamState(NamedTuple):
    count: jax.Array
    exp_avg: Params  # first moment m
    exp_avg_sq: Params  # second moment v


def adagrad_rate(lr: Scalar, count: jax.Array, lr_decay: Scalar) -> jax.Array:
    """Adagrad's decayed rate for the step that starts at ``count`` (torch's ``clr``)."""
    return lr / (1 + count * lr_decay)


def adagrad(
    learning_rate: LearningRate,
    lr_decay: Scalar = 0.0,
    weight_decay: Scalar = 0.0,
    initial_accumulator_value: Scalar = 0.0,
    eps: Scalar = 1e-10,
) -> GradientTransformation:
    r"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients.

    Update rule (:math:`\delta` the lr_decay, :math:`s_{\mathrm{init}}` the
    initial_accumulator_value)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) + \lambda\,\theta_t \\
        s_t = s_{t-1} + g_t^2,\quad s_{-1} = s_{\mathrm{init}} \\
        \tilde\eta_t = \frac{\eta_t}{1 + t\,\delta} \\
        \theta_{t+1} = \theta_t - \tilde\eta_t\, \frac{g_t}{\sqrt{s_t} + \epsilon}
        \end{gathered}

    References: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
    Stochastic Optimization" (JMLR 2011); PyTorch ``torch.optim.Adagrad``,
    https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html
    """
    for key, value in (
        ("lr_decay", lr_decay),
        ("weight_decay", weight_decay),
        ("initial_accumulator_value", initial_accumulator_value),
        ("eps", eps),
    ):
        check_range("adagrad", key, value, 0.0)

    def init(params: Params) -> AdagradState:
        sum_sq = tree_map(lambda p: jnp.full_like(p, initial_accumulator_value), params)
        return AdagradState(count=zero_count(), sum_sq=sum_sq)

    def update(grads, state: AdagradState, params=None):
        g = add_weight_decay(grads, params, weight_decay)
        clr = adagrad_rate(rate_at(learning_rate, state.count), state.count, lr_decay)
        sum_sq = tree_map(lambda s, d: s + d * d, state.sum_sq, g)
        updates = tree_map(lambda d, s: (-clr * d) / (jnp.sqrt(s) + eps), g, sum_sq)
        return updates, AdagradState(count=state.count + 1, sum_sq=sum_sq)

    return GradientTransformation(init, update)


def rmsprop(
    learning_rate: LearningRate,
    alpha: Scalar = 0.99,
    eps: Scalar = 1e-8,
    weight_decay: Scalar = 0.0,
    momentum: Scalar = 0.0,
) -> GradientTransformation:
    r"""RMSprop (non-centred): divide the gradient by a moving RMS of recent gradients.

    Update rule (:math:`\alpha` the smoothing constant, :math:`\mu` the momentum; with
    :math:`\mu = 0` the buffer is just :math:`g_t / (\sqrt{v_t} + \epsilon)`)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) + \lambda\,\theta_t \\
        v_t = \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2,\quad v_{-1} = 0 \\
        b_t = \mu\, b_{t-1} + \frac{g_t}{\sqrt{v_t} + \epsilon},\quad b_{-1} = 0 \\
        \theta_{t+1} = \theta_t - \eta_t\, b_t
        \end{gathered}

    References: Hinton, Srivastava & Swersky, "Neural Networks for Machine Learning", lecture 6e
    (2012); PyTorch ``torch.optim.RMSprop`` (centered=False),
    https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html
    """
    check_range("rmsprop", "alpha", alpha, 0.0, 1.0)
    for key, value in (("eps", eps), ("weight_decay", weight_decay), ("momentum", momentum)):
        check_range("rmsprop", key, value, 0.0)

    def init(params: Params) -> RMSpropState:
        zeros = tree_map(jnp.zeros_like, params)
        return RMSpropState(count=zero_count(), square_avg=zeros, momentum_buffer=zeros)

    def update(grads, state: RMSpropState, params=None):
        g = add_weight_decay(grads, params, weight_decay)
        lr = rate_at(learning_rate, state.count)
        square_avg = tree_map(lambda v, d: alpha * v + (1 - alpha) * d * d, state.square_avg, g)
        buffer = tree_map(
            lambda b, d, v: momentum * b + d / (jnp.sqrt(v) + eps),
            state.momentum_buffer,
            g,
            square_avg,
        )
        updates = tree_map(lambda b: -lr * b, buffer)
        return updates, RMSpropState(state.count + 1, square_avg, buffer)

    return GradientTransformation(init, update)


def adam_scales(lr: Scalar, count_after: jax.Array, beta1: Scalar, beta2: Scalar):
    """Adam's step size ``lr / (1 - beta1^t)`` and ``sqrt(1 - beta2^t)``, t = 1-based step.

    Elementwise: given arrays of rates and step numbers it tabulates a whole run at once.
    """
    step_size = lr / bias_correction(beta1, count_after)
    return step_size, jnp.sqrt(bias_correction(beta2, count_after))


def adam_step_table(lr: Scalar, count_after: jax.Array, hyper) -> tuple:
    """The catalog's ``step_table`` of Adam (and AdamW): `adam_scales` of each step."""
    return adam_scales(lr, count_after, hyper["beta1"], hyper["beta2"])


def adam(
    learning_rate: LearningRate,
    beta1: Scalar = 0.9,
    beta2: Scalar = 0.999,
    eps: Scalar = 1e-8,
    weight_decay: Scalar = 0.0,
) -> GradientTransformation:
    r"""Adam: momentum on the gradient, RMSprop-style scaling, both bias-corrected.

    Update rule (weight decay is L2, added to the gradient as in ``torch.optim.Adam``; not
    AdamW)::

        \begin{gathered}
        g_t = \nabla f(\theta_t) + \lambda\,\theta_t \\
        m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t,\quad
        v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2,\quad m_{-1} = v_{-1} = 0 \\
        \hat m_t = \frac{m_t}{1 - \beta_1^{\,t+1}},\quad
        \hat v_t = \frac{v_t}{1 - \beta_2^{\,t+1}} \\
        \theta_{t+1} = \theta_t - \eta_t\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
        \end{gathered}

    References: Kingma & Ba, "Adam: A Method for Stochastic Optimization" (ICLR 2015); PyTorch
    ``torch.optim.Adam``, https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
    """
    check_range("adam", "beta1", beta1, 0.0, 1.0, high_open=True)
    check_range("adam", "beta2", beta2, 0.0, 1.0, high_open=True)
    check_range("adam", "eps", eps, 0.0)
    check_range("adam", "weight_decay", weight_decay, 0.0)

    def init(params: Params) -> AdamState:
        zeros = tree_map(jnp.zeros_like, params)
        return AdamState(count=zero_count(), exp_avg=zeros, exp_avg_sq=zeros)

    def update(grads, state: AdamState, params=None, *, scales=None):
        """``scales``: this step's ``adam_scales``, if the caller tabulated them for a whole run
        (one vectorised pass instead of two scalar ``expm1`` per step); None computes them."""
        g = add_weight_decay(grads, params, weight_decay)
        count = state.count + 1
        if scales is None:
            scales = adam_scales(rate_at(learning_rate, state.count), count, beta1, beta2)
        # m moves towards g by (1 - beta1): torch's lerp, written the way torch evaluates it.
        exp_avg = tree_map(lambda m, d: m + (1 - beta1) * (d - m), state.exp_avg, g)
        exp_avg_sq = tree_map(lambda v, d: beta2 * v + (1 - beta2) * d * d, state.exp_avg_sq, g)
        step_size, bc2_sqrt = scales
        # Each coordinate's effective rate (what the internals view shows), times m.
        effective = tree_map(lambda v: step_size / (jnp.sqrt(v) / bc2_sqrt + eps), exp_avg_sq)
        updates = tree_map(lambda e, m: -e * m, effective, exp_avg)
        return updates, AdamState(count=count, exp_avg=exp_avg, exp_avg_sq=exp_avg_sq)

    return GradientTransformation(init, update)


# --- internals: per-coordinate quantities after a step (count = t + 1, at least 1) ----------
# effective_lr is the factor multiplying the (first-moment) gradient in that step.


def adagrad_internals(state: AdagradState, lr_t, hyper, count, scales=None) -> dict:
    """sum_sq, and the effective rate ``lr / (1 + t*lr_decay) / (sqrt(sum_sq) + eps)``."""

    def effective(s):
        clr = adagrad_rate(lift(lr_t, s), lift(count, s) - 1, hyper["lr_decay"])
        return clr / (jnp.sqrt(s) + lift(hyper["eps"], s))

    return {"sum_sq": state.sum_sq, "effective_lr": tree_map(effective, state.sum_sq)}


def rmsprop_internals(state: RMSpropState, lr_t, hyper, count, scales=None) -> dict:
    """square_avg, and ``lr / (sqrt(v) + eps)`` (with momentum it multiplies g in the buffer)."""
    effective = tree_map(
        lambda v: lift(lr_t, v) / (jnp.sqrt(v) + lift(hyper["eps"], v)), state.square_avg
    )
    return {"square_avg": state.square_avg, "effective_lr": effective}


def adam_internals(state: AdamState, lr_t, hyper, count, scales=None) -> dict:
    """The moments, and ``lr / (1 - beta1^(t+1)) / (sqrt(v) / sqrt(1 - beta2^(t+1)) + eps)``.

    ``scales``: that step's entry of `adam_step_table`, if already computed."""

    def effective(v):
        if scales is None:
            step_size, bc2_sqrt = adam_scales(
                lift(lr_t, v), lift(count, v), lift(hyper["beta1"], v), lift(hyper["beta2"], v)
            )
        else:
            step_size, bc2_sqrt = (lift(x, v) for x in scales)
        return step_size / (jnp.sqrt(v) / bc2_sqrt + lift(hyper["eps"], v))

    return {
        "exp_avg": state.exp_avg,
        "exp_avg_sq": state.exp_avg_sq,
        "effective_lr": tree_map(effective, state.exp_avg_sq),
    }
