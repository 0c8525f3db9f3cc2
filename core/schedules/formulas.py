"""The schedules' formulas in jnp (traceable): ``lr_at``; in LaTeX they are the catalog's."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from core.catalog import schedules as catalog

from .arguments import AFTER, check_name


def _whole(x: Any) -> jax.Array:
    """An integer-valued argument (possibly a traced float) as int32, for exact t arithmetic."""
    return jnp.round(jnp.asarray(x)).astype(jnp.int32)


def _log(x: Any) -> Any:
    """log in double precision for a Python number (as torch's Python-float arithmetic)."""
    if isinstance(x, int | float):
        return math.log(x) if x > 0 else -math.inf
    return jnp.log(x)


def _cos_bump(remaining: jax.Array) -> jax.Array:
    """(1 + cos(pi * (1 - r))) / 2 written as sin^2(pi r / 2): 1 at r = 1, 0 at r = 0.

    ``r`` is the fraction of the cosine still to go; the sine form keeps full relative
    precision near the end of a decay, where the rate approaches its floor.
    """
    return jnp.sin(0.5 * jnp.pi * remaining) ** 2


def _cosine(t: jax.Array, top: Any, bottom: Any, period: Any) -> jax.Array:
    """torch's CosineAnnealingLR closed form, periodic in t with period 2 * T_max."""
    T = _whole(period)
    remaining = (T - jnp.mod(t, 2 * T)).astype(jnp.float32) / T.astype(jnp.float32)
    return bottom + (top - bottom) * _cos_bump(remaining)


def _onecycle(t, tf, a):
    initial = a["max_lr"] / a["div_factor"]
    final = initial / a["final_div_factor"]
    end_up = a["pct_start"] * a["total_steps"] - 1  # torch's phase boundary (may be fractional)
    end = a["total_steps"] - 1
    up = tf <= end_up
    # Phase 1 of zero length (pct_start * total_steps == 1; torch divides by zero): start low.
    r_up = jnp.where(end_up > 0, (end_up - tf) / jnp.where(end_up > 0, end_up, 1.0), 1.0)
    # After total_steps the final rate is held (torch raises instead).
    r_down = jnp.maximum((end - tf) / (end - end_up), 0.0)
    return jnp.where(
        up,
        a["max_lr"] + (initial - a["max_lr"]) * _cos_bump(r_up),
        final + (a["max_lr"] - final) * _cos_bump(r_down),
    )


def _cyclic(t, a):
    up, down = _whole(a["step_size_up"]), _whole(a["step_size_down"])
    x = jnp.mod(t, up + down)
    scale = jnp.where(
        x <= up,
        x.astype(jnp.float32) / up.astype(jnp.float32),
        (up + down - x).astype(jnp.float32) / down.astype(jnp.float32),
    )
    return a["base_lr"] + (a["max_lr"] - a["base_lr"]) * scale


def _warmup(t, tf, lr, a):
    W = _whole(a["warmup_steps"])
    after = a["after"]
    if isinstance(after, str):
        after = float(AFTER.index(after))
    ramp = lr * (tf + 1) / W.astype(jnp.float32)
    tail_len = jnp.maximum(_whole(a["total_steps"]) - W, 1)  # only read when after is cosine
    tail = jnp.where(after > 0.5, _cosine(t - W, lr, a["eta_min"], tail_len), lr)
    return jnp.where(t < W, ramp, tail)


def lr_at(name: str, t: Any, lr: Any, args: Mapping[str, Any]) -> jax.Array:
    """The learning rate of step ``t`` (0-based, integer array, elementwise) for ``name``.

    ``name`` is static; ``lr`` and the values of ``args`` (as returned by ``resolve``) may be
    traced. Pure jnp, no branching on values: safe inside jit, scan and vmap.
    """
    check_name(name)
    t = jnp.asarray(t)
    t = t if jnp.issubdtype(t.dtype, jnp.integer) else jnp.round(t).astype(jnp.int32)
    tf = t.astype(jnp.float32)
    a = args
    if name == "constant":
        return jnp.zeros_like(tf) + lr
    if name == "step":
        drops = (t // _whole(a["step_size"])).astype(jnp.float32)
        return lr * jnp.exp(drops * _log(a["gamma"]))
    if name == "exponential":
        return lr * jnp.exp(tf * _log(a["gamma"]))
    if name == "linear":
        total = a["total_iters"]
        frac = jnp.minimum(tf, total) / total
        return lr * (a["start_factor"] + (a["end_factor"] - a["start_factor"]) * frac)
    if name == "cosine":
        return _cosine(t, lr, a["eta_min"], a["T_max"])
    if name == "cyclic":
        return _cyclic(t, a)
    if name == "onecycle":
        return _onecycle(t, tf, a)
    return _warmup(t, tf, lr, a)


def formula_latex(name: str) -> str:
    """The schedule's formula in LaTeX, for display."""
    check_name(name)
    return catalog.SCHEDULES[name].formula
