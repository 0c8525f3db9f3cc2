"""Shared plumbing for the optimizers: the optax-style interface and small numeric helpers.

Every optimizer is a pair of pure functions over an arbitrary pytree (a 2D point, an MLP's
weights, ...). ``update`` returns *updates*, already multiplied by ``-learning_rate``, so that
``params_new = params + updates`` (the optax convention).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

Params = Any
Grads = Any
Updates = Any
State = Any
Scalar = Any  # a Python number or a (possibly traced) jax scalar
LearningRate = Scalar | Callable[[jax.Array], Scalar]

tree_map = jax.tree_util.tree_map


class GradientTransformation(NamedTuple):
    """An optimizer: ``init(params) -> state`` and ``update(grads, state, params)``."""

    init: Callable[[Params], State]
    update: Callable[..., tuple[Updates, State]]


def zero_count() -> jax.Array:
    """The step counter of a fresh state: no step taken yet."""
    return jnp.zeros([], jnp.int32)


def rate_at(learning_rate: LearningRate, count: jax.Array) -> Scalar:
    """The learning rate for the step that starts at ``count`` (0-based): ``lr(t)``."""
    return learning_rate(count) if callable(learning_rate) else learning_rate


def lift(x: Any, leaf: Any) -> Any:
    """Give a per-step value (count, lr, a hyperparameter) trailing axes to broadcast on a leaf.

    A stacked state has leading axes (e.g. time, or learning rate x time) shared by ``count``
    and every leaf; a leaf adds the parameter's own axes after them.
    """
    x = jnp.asarray(x)
    return x.reshape(x.shape + (1,) * (jnp.ndim(leaf) - x.ndim))


def _is_python_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def add_weight_decay(grads: Grads, params: Params, weight_decay: Scalar) -> Grads:
    """L2 weight decay folded into the gradient, as torch does: ``g + wd * p``.

    A literal Python ``0`` is skipped (torch skips it too); a traced value is always applied.
    """
    if _is_python_number(weight_decay) and weight_decay == 0:
        return grads
    if params is None:
        raise ValueError("weight_decay needs the current params: call update(grads, state, params)")
    return tree_map(lambda g, p: g + weight_decay * p, grads, params)


def bias_correction(beta: Scalar, step: jax.Array) -> jax.Array:
    """``1 - beta**step`` computed as ``-expm1(step * log(beta))``.

    In float32 the naive form loses most digits when ``beta**step`` is close to 1 (early steps
    with beta2 = 0.999); this form keeps a relative error of a few ulp. A Python ``beta`` has its
    logarithm taken in double precision, like torch's Python-float arithmetic.
    """
    if _is_python_number(beta):
        log_beta = math.log(beta) if beta > 0 else -math.inf
    else:
        log_beta = jnp.log(beta)
    return -jnp.expm1(jnp.asarray(step, jnp.float32) * log_beta)


def check_range(
    optimizer: str,
    name: str,
    value: Any,
    low: float,
    high: float | None = None,
    *,
    high_open: bool = False,
) -> None:
    """Reject an out-of-range hyperparameter given as a Python number (as torch does).

    Traced values cannot be checked here; the caller validates them before tracing.
    """
    if not _is_python_number(value):
        return
    too_high = high is not None and (value >= high if high_open else value > high)
    if not math.isfinite(value) or value < low or too_high:
        upper = "" if high is None else (f" and < {high}" if high_open else f" and <= {high}")
        raise ValueError(f"{optimizer}: {name} must be >= {low}{upper} (got {value!r})")
