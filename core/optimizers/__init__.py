"""Optimizers in the optax style, with update rules identical to torch.optim's.

Each constructor returns a :class:`GradientTransformation` of pure functions over any pytree;
``update`` returns updates that already include ``-learning_rate``
(``params_new = params + updates``). ``learning_rate`` may be a float, a traced scalar or a
schedule ``count -> lr`` evaluated at the 0-based step. Hyperparameters may be traced scalars:
no Python branching on their values, so changing them never recompiles.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .adaptive import AdagradState, AdamState, RMSpropState, adagrad, adam, adam_scales, rmsprop
from .base import GradientTransformation
from .internals import state_quantities
from .latex import UPDATE_RULES
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
    "update_rule_latex",
]

OPTIMIZERS: dict[str, Callable[..., GradientTransformation]] = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}

TITLES: dict[str, str] = {
    "sgd": "SGD",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "Adagrad",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}

# name -> {hyperparameter: default}, read off the constructors' keyword defaults.
HYPERPARAMS: dict[str, dict[str, float]] = {
    name: {
        p.name: float(p.default)
        for p in inspect.signature(fn).parameters.values()
        if p.name != "learning_rate"
    }
    for name, fn in OPTIMIZERS.items()
}


def _check_name(name: str) -> None:
    if name not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {name!r}; valid optimizers: {', '.join(OPTIMIZERS)}")


def make(name: str, learning_rate: Any, **hyper: Any) -> GradientTransformation:
    """Build optimizer ``name`` with ``learning_rate`` and any of its hyperparameters."""
    _check_name(name)
    unknown = sorted(set(hyper) - set(HYPERPARAMS[name]))
    if unknown:
        valid = ", ".join(HYPERPARAMS[name]) or "(none)"
        raise ValueError(
            f"Unknown hyperparameter(s) {', '.join(unknown)} for {name}; valid: {valid}"
        )
    return OPTIMIZERS[name](learning_rate, **hyper)


def update_rule_latex(name: str) -> str:
    """The update rule of optimizer ``name`` in LaTeX (the string in its docstring)."""
    _check_name(name)
    return UPDATE_RULES[name]
