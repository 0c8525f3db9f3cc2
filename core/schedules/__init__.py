"""Learning-rate schedules: ``lr[t]`` is the rate of the step from point t to point t + 1.

``lr[t]`` equals torch.optim.lr_scheduler's value after t calls of ``scheduler.step()`` with the
same arguments (torch's closed forms; where torch recurses, up to float rounding). ``resolve``
fills and checks arguments (torch's names and defaults); ``lr_at`` is pure jnp, elementwise in
the integer step t, with the rate and every argument allowed to be traced, so one compiled
simulation serves every argument value.

Extensions beyond torch, documented where they act: ``warmup`` (a SequentialLR of LinearLR
and, optionally, CosineAnnealingLR); ``onecycle`` holds its final rate after ``total_steps``
(torch raises); ``cyclic`` and ``onecycle`` take their rates from ``base_lr``/``max_lr`` and
ignore ``lr`` (torch overwrites the optimizer's rate too), so to sweep them scale those args.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from .arguments import AFTER, PARAMS, SCHEDULES, TITLES, ScheduleError, check_name, resolve
from .formulas import formula_latex, lr_at

__all__ = [
    "AFTER",
    "PARAMS",
    "SCHEDULES",
    "TITLES",
    "ScheduleError",
    "as_callable",
    "formula_latex",
    "lr_at",
    "lr_curve",
    "resolve",
]


def lr_curve(name: str, lr: float, steps: int, **params: float | str) -> np.ndarray:
    """``resolve`` then ``lr_at`` over t = 0 .. steps - 1: the whole schedule as float32."""
    args = resolve(name, lr, steps, params)
    return np.asarray(lr_at(name, jnp.arange(int(steps)), lr, args))


def as_callable(name: str, lr: Any, args: Mapping[str, Any]) -> Callable[[jax.Array], jax.Array]:
    """The schedule as ``count -> lr``, for an optimizer's ``learning_rate`` argument."""
    check_name(name)
    return lambda count: lr_at(name, count, lr, args)
