"""Optimizers in the optax style, with update rules identical to torch.optim's.

Each constructor returns a :class:`GradientTransformation` of pure functions over any pytree;
``update`` returns updates that already include ``-learning_rate``
(``params_new = params + updates``). ``learning_rate`` may be a float, a traced scalar or a
schedule ``count -> lr`` evaluated at the 0-based step. Hyperparameters may be traced scalars:
no Python branching on their values, so changing them never recompiles.

The registry derives from the catalog (`core.catalog.optimizers`): each entry names the file
here that holds its transform, its formula and its internals.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import jax.numpy as jnp

from core.catalog.optimizers import CATALOG, TITLES, entry

from .adaptive import AdagradState, AdamState, RMSpropState, adagrad, adam, adam_scales, rmsprop
from .base import GradientTransformation
from .sgd_family import MomentumState, SGDState, momentum, nesterov, sgd

__all__ = [
    "HYPERPARAMS",
    "OPTIMIZERS",
    "TITLES",
    "AdagradState",
    "AdamState",
    "GradientTransformation",
    "MomentumState",
    "RMSpropState",
    "SGDState",
    "adagrad",
    "adam",
    "adam_scales",
    "make",
    "momentum",
    "nesterov",
    "rmsprop",
    "sgd",
    "state_quantities",
    "step_table",
    "update_rule_latex",
]


def _module(name: str):
    return importlib.import_module(f"{__name__}.{CATALOG[name].module}")


OPTIMIZERS: dict[str, Callable[..., GradientTransformation]] = {
    name: getattr(_module(name), name) for name in CATALOG
}

# name -> {hyperparameter: default}, as the catalog gives them (tests check the constructors'
# keyword defaults are the same).
HYPERPARAMS: dict[str, dict[str, float]] = {name: e.defaults for name, e in CATALOG.items()}


def make(name: str, learning_rate: Any, **hyper: Any) -> GradientTransformation:
    """Build optimizer ``name`` with ``learning_rate`` and any of its hyperparameters."""
    entry(name)
    unknown = sorted(set(hyper) - set(HYPERPARAMS[name]))
    if unknown:
        valid = ", ".join(HYPERPARAMS[name]) or "(none)"
        raise ValueError(
            f"Unknown hyperparameter(s) {', '.join(unknown)} for {name}; valid: {valid}"
        )
    return OPTIMIZERS[name](learning_rate, **hyper)


def update_rule_latex(name: str) -> str:
    """The update rule of optimizer ``name`` in LaTeX (as its docstring writes it)."""
    return entry(name).update_rule


def step_table(name: str, lr: Any, count_after: Any, hyper: Mapping[str, Any]) -> Any:
    """What each step of ``name`` needs from its number alone, tabulated elementwise (e.g. for a
    whole run at once), or None if the catalog declares no ``step_table``. One entry is what the
    update and `state_quantities` take as ``scales``."""
    e = entry(name)
    if e.step_table is None:
        return None
    return getattr(_module(name), e.step_table)(lr, count_after, {**e.defaults, **hyper})


def state_quantities(
    name: str, state: Any, learning_rate_t: Any, hyper: Mapping[str, Any], scales: Any = None
) -> dict[str, Any]:
    """Per-coordinate quantities of ``state``, the state returned by the update of some step t.

    ``learning_rate_t`` is the learning rate used by that step (for a stacked state, an array
    over the leading axes, or a scalar). ``state.count`` is then t + 1. Missing entries of
    ``hyper`` take the optimizer's defaults. Everything broadcasts, so a state stacked along
    leading axes (``lax.scan`` outputs, vmaps) gives stacked quantities. The names are the
    catalog's ``internals``; each optimizer's file computes them (``<name>_internals``).
    ``scales`` may pass that step's entry of `step_table`, already computed.
    """
    e = entry(name)
    if not e.internals:
        return {}
    # A fresh state (count 0) reports the factor its first step would use.
    count = jnp.maximum(state.count, 1)
    internals = getattr(_module(name), f"{name}_internals")
    return internals(state, learning_rate_t, {**e.defaults, **hyper}, count, scales)
