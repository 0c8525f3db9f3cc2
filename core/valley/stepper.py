"""One walker's step, shared by every kernel: its start, its per-step table, its move.

`_stepper` builds the three functions a compiled walk is made of (see its docstring); the
kernels in `core.valley.kernel` fold them into a `lax.scan`. With noisy gradients (issue 15)
each step's optimizer feels the slope plus the step's Gaussian draw (`step_noise`); the
recorded slope stays the surface's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from core import optimizers, schedules
from core.valley import layout
from core.valley.layout import theta_view


def hyper_names(optimizer: str) -> tuple[str, ...]:
    return tuple(optimizers.HYPERPARAMS[optimizer])


def step_noise(theta, n: int):
    """The gradient noise of n steps, (n, 2): sigma times independent standard normals, from a
    key made of theta's seed and split once per step (step t's draw is the same for every
    scan length: JAX's partitionable threefry splits by index)."""
    view = theta_view(theta)
    seed = view.seed_hi.astype(jnp.uint32) * layout.SEED_HALF + view.seed_lo.astype(jnp.uint32)
    keys = jax.random.split(jax.random.key(seed), n)
    draws = jax.vmap(lambda k: jax.random.normal(k, (2,), jnp.float32))(keys)
    return view.noise * draws


def _stepper(fn: Callable, optimizer: str, schedule: str, sched_keys: tuple, noisy=False):
    """(start, per_step, advance) for one walker.

    `start(theta)` gives the first point, its loss, slope and optimizer state;
    `per_step(theta, n)` tabulates, in one vectorised pass, what each of n steps needs that
    depends only on its number (the scan's xs: the step index, and the optimizer's step
    table, if its catalog entry declares one (`core.optimizers.step_table`): Adam's bias
    corrections cost two scalar expm1 a step inside the loop); `advance(p, g, state, theta,
    x)` takes the step whose entry of xs is x: (p, f, g, state, lr, quantities), the
    quantities (see `state_names`) flattened to one array each. With ``noisy`` the xs also
    hold each step's gradient noise (`step_noise`), added to the slope the optimizer sees; the
    returned g is the true slope at the new point.
    `theta` should ride in the loop's carry: traced values captured from outside make XLA's
    loop 2-3x slower (measured).
    """
    value_and_grad = jax.value_and_grad(lambda p: fn(p[0], p[1]))
    h_names = hyper_names(optimizer)
    names = state_names(optimizer)

    def unpack(theta):
        view = theta_view(theta, h_names, sched_keys)
        rate = lambda count: schedules.lr_at(schedule, count, view.lr, view.sched)
        return optimizers.make(optimizer, rate, **view.hyper), rate, view.hyper

    def start(theta):
        p0 = jnp.stack([theta_view(theta).x0, theta_view(theta).y0])
        f0, g0 = value_and_grad(p0)
        return p0, f0, g0, unpack(theta)[0].init(p0)

    def per_step(theta, n: int):
        ts = np.arange(n, dtype=np.int32)  # a constant: XLA computes an iota-based table slower
        _, rate, hyper = unpack(theta)
        table = optimizers.step_table(optimizer, rate(ts), ts + 1, hyper)  # None: no table
        return (ts, table, step_noise(theta, n)) if noisy else (ts, table)

    def advance(p, g, state, theta, x):
        t, scales = x[0], x[1]
        opt, rate, hyper = unpack(theta)
        lr = jnp.asarray(rate(t), p.dtype)
        extra = {} if scales is None else {"scales": scales}
        felt = g + x[2] if noisy else g  # the slope the optimizer feels: true slope + noise
        updates, state = opt.update(felt, state, p, **extra)
        p = p + updates
        f, g = value_and_grad(p)
        quantities = optimizers.state_quantities(optimizer, state, lr, hyper, scales)
        return p, f, g, state, lr, [jnp.reshape(quantities[q], (-1,)) for q in names]

    return start, per_step, advance


@functools.lru_cache(maxsize=64)
def state_names(optimizer: str) -> tuple[str, ...]:
    """Names of the optimizer state quantities recorded per step, in column order."""
    p = jnp.zeros(2)
    hyper = {k: jnp.float32(v) for k, v in optimizers.HYPERPARAMS[optimizer].items()}
    opt = optimizers.make(optimizer, 0.1, **hyper)
    shapes = jax.eval_shape(
        lambda: optimizers.state_quantities(optimizer, opt.init(p), jnp.float32(0.1), hyper)
    )
    return tuple(sorted(shapes))
