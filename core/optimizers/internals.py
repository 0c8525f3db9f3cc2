"""Named per-coordinate quantities inside an optimizer's state, for the "internals" view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp

from .adaptive import adagrad_rate, adam_scales
from .base import tree_map


def _lift(x: Any, leaf: Any) -> Any:
    """Give a per-step value (count, lr, a hyperparameter) trailing axes to broadcast on a leaf.

    A stacked state has leading axes (e.g. time, or learning rate x time) shared by ``count``
    and every leaf; a leaf adds the parameter's own axes after them.
    """
    x = jnp.asarray(x)
    return x.reshape(x.shape + (1,) * (jnp.ndim(leaf) - x.ndim))


def state_quantities(
    name: str, state: Any, learning_rate_t: Any, hyper: Mapping[str, Any], scales: Any = None
) -> dict[str, Any]:
    """Per-coordinate quantities of ``state``, the state returned by the update of some step t.

    ``learning_rate_t`` is the learning rate used by that step (for a stacked state, an array
    over the leading axes, or a scalar). ``state.count`` is then t + 1. Missing entries of
    ``hyper`` take the optimizer's defaults. Everything broadcasts, so a state stacked along
    leading axes (``lax.scan`` outputs, vmaps) gives stacked quantities.

    ``effective_lr`` is the factor multiplying the (first-moment) gradient in that step:
    Adagrad ``lr / (1 + t*lr_decay) / (sqrt(sum_sq) + eps)``; RMSprop ``lr / (sqrt(v) + eps)``
    (with momentum it multiplies g inside the buffer); Adam
    ``lr / (1 - beta1^(t+1)) / (sqrt(v) / sqrt(1 - beta2^(t+1)) + eps)``. For Adam,
    ``scales`` may pass that step's ``adam_scales`` already computed (as given to its update).
    """
    from . import HYPERPARAMS  # the registry imports this module

    if name not in HYPERPARAMS:
        raise ValueError(f"Unknown optimizer {name!r}; valid: {', '.join(HYPERPARAMS)}")
    h = {**HYPERPARAMS[name], **hyper}
    # A fresh state (count 0) reports the factor its first step would use.
    count = jnp.maximum(state.count, 1)

    if name in ("momentum", "nesterov"):
        return {"velocity": state.velocity}
    if name == "adagrad":

        def adagrad_eff(s):
            clr = adagrad_rate(_lift(learning_rate_t, s), _lift(count, s) - 1, h["lr_decay"])
            return clr / (jnp.sqrt(s) + _lift(h["eps"], s))

        return {"sum_sq": state.sum_sq, "effective_lr": tree_map(adagrad_eff, state.sum_sq)}
    if name == "rmsprop":
        eff = tree_map(
            lambda v: _lift(learning_rate_t, v) / (jnp.sqrt(v) + _lift(h["eps"], v)),
            state.square_avg,
        )
        return {"square_avg": state.square_avg, "effective_lr": eff}
    if name == "adam":

        def adam_eff(v):
            if scales is None:
                step_size, bc2_sqrt = adam_scales(
                    _lift(learning_rate_t, v),
                    _lift(count, v),
                    _lift(h["beta1"], v),
                    _lift(h["beta2"], v),
                )
            else:
                step_size, bc2_sqrt = (_lift(x, v) for x in scales)
            return step_size / (jnp.sqrt(v) / bc2_sqrt + _lift(h["eps"], v))

        return {
            "exp_avg": state.exp_avg,
            "exp_avg_sq": state.exp_avg_sq,
            "effective_lr": tree_map(adam_eff, state.exp_avg_sq),
        }
    return {}
