"""The compiled heart of the simulation: one `lax.scan` walks the valley step by step.

Every number that a learner can change (start point, learning rate, number of steps,
hyperparameters, schedule arguments) travels into the compiled function as one float32
vector `theta`, so dragging a slider never recompiles; only the structure does (which surface,
optimizer and schedule, and the scan length, rounded up to a few fixed buckets). The same
kernel serves one trajectory (``record=True``: every point, loss, gradient, rate and optimizer
state) and, under `vmap`, thousands of runs at once (a compact summary of each).

Divergence stops cleanly: a step whose new point, loss or gradient is not finite, or that
leaves the escape box far outside the plotting domain, is not taken; the run freezes there and
records the step index. So a returned path never holds NaN or inf.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from core import jax_setup, optimizers, schedules  # noqa: F401  (jax_setup: cache settings)

# Scan lengths: a run of `steps` uses the smallest bucket that holds it, so changing the step
# count recompiles only when it crosses a bucket.
BUCKETS = (64, 128, 256, 512, 1024, 2048, 5000, 10_000)

# Layout of theta: the fixed head, then the optimizer's hyperparameters, then the schedule's.
HEAD = ("x0", "y0", "lr", "steps", "step_floor", "xmin", "xmax", "ymin", "ymax", "vx", "vy")

# Layout of the summary vector each run returns (all float32; step counts are exact below 2^24).
SUMMARY = (
    "diverged_at",  # step whose move blew up or escaped, -1 if none
    "steps_taken",  # steps actually taken
    "best_loss",
    "final_loss",
    "final_x",
    "final_y",
    "final_grad_norm",
    "overshoots",  # steps that went past the lowest point along their own direction
    "late_overshoots",  # the same, counted over the last quarter of the requested steps
    "late_steps",  # steps taken in that last quarter
    "late_start_loss",  # loss where the last quarter began
    "first_overshoot",  # step index of the first overshoot, -1 if none
    "start_loss",
    "start_gx",
    "start_gy",
    "early_loss",  # loss after a quarter of the requested steps: how fast the run got going
)
S = {name: i for i, name in enumerate(SUMMARY)}

# Per-step columns of a recorded run, before the optimizer's own state quantities.
ROW = ("x", "y", "loss", "gx", "gy", "lr")


def bucket(steps: int) -> int:
    """The scan length used for a run of `steps` steps."""
    for size in BUCKETS:
        if steps <= size:
            return size
    raise ValueError(f"At most {BUCKETS[-1]} steps; got {steps}.")


def hyper_names(optimizer: str) -> tuple[str, ...]:
    return tuple(optimizers.HYPERPARAMS[optimizer])


def pack_theta(start, lr, steps, step_floor, box, steep, hyper: dict, sched: dict) -> np.ndarray:
    """Pack one run's numbers into the float32 vector the kernel reads (see HEAD).

    `steep` is the unit top-curvature direction at the minimum the run heads for (zeros
    where there is none): overshooting along it is what the theory of quadratics predicts.
    """
    values = [start[0], start[1], lr, steps, step_floor, *box, *steep]
    values += list(hyper.values()) + [sched[k] for k in sorted(sched)]
    return np.asarray(values, dtype=np.float32)


def _walk(fn: Callable, optimizer: str, schedule: str, n: int, sched_keys: tuple[str, ...], theta):
    """Run one trajectory of scan length n; returns (per-step rows or None, summary)."""
    loss_of = lambda p: fn(p[0], p[1])
    value_and_grad = jax.value_and_grad(loss_of)
    h_names = hyper_names(optimizer)
    k = len(HEAD)
    hyper = {name: theta[k + i] for i, name in enumerate(h_names)}
    sched_args = {name: theta[k + len(h_names) + j] for j, name in enumerate(sched_keys)}
    base_lr, steps, step_floor = theta[2], theta[3], theta[4]
    box_lo = jnp.stack([theta[5], theta[7]])
    box_hi = jnp.stack([theta[6], theta[8]])
    steep = theta[9:11]
    rate = lambda count: schedules.lr_at(schedule, count, base_lr, sched_args)
    opt = optimizers.make(optimizer, rate, **hyper)

    p0 = theta[0:2]
    f0, g0 = value_and_grad(p0)
    late_from = jnp.floor(0.75 * steps)
    early_from = jnp.floor(0.25 * steps)

    def step(carry, t):
        p, f, g, state, active, diverged_at, best, over, late_over, late_n, late_f, first, early = (
            carry
        )
        updates, new_state = opt.update(g, state, p)
        p_new = p + updates
        f_new, g_new = value_and_grad(p_new)
        finite = jnp.isfinite(f_new) & jnp.all(jnp.isfinite(p_new)) & jnp.all(jnp.isfinite(g_new))
        inside = jnp.all((p_new >= box_lo) & (p_new <= box_hi))
        in_range = t < steps
        take = active & in_range & finite & inside
        blew_up = active & in_range & ~(finite & inside)
        # An overshoot: the step went past the lowest point along its own direction (the slope
        # at the new point points back), or along the valley's steep direction (its component
        # of the slope changed sign: the 1 - a*L < 0 of the theory). Tiny steps are left out,
        # so round-off at the floor doesn't count.
        moved = p_new - p
        past_along_step = jnp.dot(g_new, moved) > 0
        past_along_steep = jnp.dot(g_new, steep) * jnp.dot(moved, steep) > 0
        big = jnp.linalg.norm(moved) > step_floor
        overshoot = take & (past_along_step | past_along_steep) & big
        late = take & (t >= late_from)
        keep = lambda new, old: jax.tree_util.tree_map(lambda a, b: jnp.where(take, a, b), new, old)
        p, f, g, state = keep((p_new, f_new, g_new, new_state), (p, f, g, state))
        carry = (
            p,
            f,
            g,
            state,
            take,
            jnp.where(blew_up, t, diverged_at),
            jnp.where(take, jnp.minimum(best, f_new), best),
            over + overshoot,
            late_over + (overshoot & late),
            late_n + late,
            jnp.where(take & (t + 1 == late_from), f_new, late_f),
            jnp.where(overshoot & (first < 0), t, first),
            jnp.where(take & (t + 1 == early_from), f_new, early),
        )
        return carry, (p, f, g, rate(t), new_state)

    zero = jnp.zeros((), jnp.int32)
    carry0 = (
        p0,
        f0,
        g0,
        opt.init(p0),
        jnp.array(True),
        zero - 1,
        f0,
        zero,
        zero,
        zero,
        f0,
        zero - 1,
        f0,
    )
    final, per_step = jax.lax.scan(step, carry0, jnp.arange(n, dtype=jnp.int32))
    p, f, g, _, _, diverged_at, best, over, late_over, late_n, late_f, first, early = final
    taken = jnp.where(diverged_at >= 0, diverged_at, jnp.minimum(steps, n)).astype(jnp.float32)
    summary = jnp.stack(
        [
            diverged_at.astype(jnp.float32),
            taken,
            best,
            f,
            p[0],
            p[1],
            jnp.linalg.norm(g),
            over.astype(jnp.float32),
            late_over.astype(jnp.float32),
            late_n.astype(jnp.float32),
            late_f,
            first.astype(jnp.float32),
            f0,
            g0[0],
            g0[1],
            early,
        ]
    )
    return per_step, summary, rate, hyper


@functools.lru_cache(maxsize=256)
def trajectory_kernel(fn: Callable, optimizer: str, schedule: str, n: int, sched_keys: tuple):
    """A jitted function theta -> (rows, summary) recording every step of one run.

    rows[t] = (x, y, loss, gx, gy, lr, *state quantities) of the point reached by step t.
    """

    def run(theta):
        (ps, fs, gs, lrs, states), summary, _, hyper = _walk(
            fn, optimizer, schedule, n, sched_keys, theta
        )
        quantities = optimizers.state_quantities(optimizer, states, lrs[:, None], hyper)
        columns = [ps, fs[:, None], gs, lrs[:, None]]
        columns += [jnp.reshape(quantities[name], (n, -1)) for name in sorted(quantities)]
        return jnp.concatenate(columns, axis=1), summary

    return jax.jit(run)


@functools.lru_cache(maxsize=256)
def summary_kernel(fn: Callable, optimizer: str, schedule: str, n: int, sched_keys: tuple):
    """A jitted function thetas (B, P) -> summaries (B, len(SUMMARY)), B runs at once."""

    def one(theta):
        return _walk(fn, optimizer, schedule, n, sched_keys, theta)[1]

    return jax.jit(jax.vmap(one))


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
