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


def _tally_init(f0):
    """The running tallies of a run: (best loss, overshoots, late overshoots, late steps, loss
    where the last quarter began, first overshoot, loss after the first quarter)."""
    zero = jnp.zeros((), jnp.int32)
    return (f0, zero, zero, zero, f0, zero - 1, f0)


def _tally(tally, flags, late_from, early_from):
    """Fold one step (t, loss at the new point, taken?, overshoot?) into the tallies."""
    best, over, late_over, late_n, late_f, first, early = tally
    t, f_new, take, overshoot = flags
    late = take & (t >= late_from)
    return (
        jnp.where(take, jnp.minimum(best, f_new), best),
        over + overshoot,
        late_over + (overshoot & late),
        late_n + late,
        jnp.where(take & (t + 1 == late_from), f_new, late_f),
        jnp.where(overshoot & (first < 0), t, first),
        jnp.where(take & (t + 1 == early_from), f_new, early),
    )


def _walk(fn: Callable, optimizer: str, schedule: str, n: int, sched_keys: tuple, theta, record):
    """Run one trajectory of scan length n: (per-step records if `record`, summary, ...)."""
    loss_of = lambda p: fn(p[0], p[1])
    value_and_grad = jax.value_and_grad(loss_of)
    h_names = hyper_names(optimizer)
    k = len(HEAD)

    def unpack(theta):
        """The run's pieces from theta. Called inside the loop on a theta that rides in the
        carry: XLA compiles a loop whose traced constants come in as captured values 2-3x
        slower (measured), so nothing is sliced out of theta outside the loop."""
        hyper = {name: theta[k + i] for i, name in enumerate(h_names)}
        sched_args = {name: theta[k + len(h_names) + j] for j, name in enumerate(sched_keys)}
        rate = lambda count: schedules.lr_at(schedule, count, theta[2], sched_args)
        box_lo = jnp.stack([theta[5], theta[7]])
        box_hi = jnp.stack([theta[6], theta[8]])
        return optimizers.make(optimizer, rate, **hyper), rate, hyper, box_lo, box_hi

    opt, rate, hyper, _, _ = unpack(theta)
    steps = theta[3]
    p0 = theta[0:2]
    f0, g0 = value_and_grad(p0)
    late_from, early_from = jnp.floor(0.75 * steps), jnp.floor(0.25 * steps)

    def step(carry, t):
        p, f, g, state, active, diverged_at, theta = carry[:7]
        opt, rate, _, box_lo, box_hi = unpack(theta)
        steps, step_floor, steep = theta[3], theta[4], theta[9:11]
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
        along_steep = jnp.dot(moved, steep)
        past_along_step = (jnp.dot(g_new, moved) > 0) & (jnp.linalg.norm(moved) > step_floor)
        past_along_steep = (jnp.dot(g_new, steep) * along_steep > 0) & (
            jnp.abs(along_steep) > step_floor
        )
        overshoot = take & (past_along_step | past_along_steep)
        # Frozen at the last good point once the run is over. The optimizer state is not
        # frozen (it may turn non-finite after a divergence, when nothing reads it any more):
        # freezing it too made the compiled loop 2-3x slower.
        p, f, g = (jnp.where(take, a, b) for a, b in ((p_new, p), (f_new, f), (g_new, g)))
        state = new_state
        carry_new = (p, f, g, state, take, jnp.where(blew_up, t, diverged_at), theta)
        flags = (t, f_new, take, overshoot)
        if record:  # every point is kept; the tallies are made after the loop
            return carry_new, (p, f, g, rate(t), new_state, flags)
        return (*carry_new, _tally(carry[7], flags, late_from, early_from)), None

    carry0 = (p0, f0, g0, opt.init(p0), jnp.array(True), jnp.array(-1, jnp.int32), theta)
    ts = jnp.arange(n, dtype=jnp.int32)
    if record:
        # XLA compiles a loop that both records every point and carries the tallies much worse
        # (measured 15x slower), so the tallies run as a second, tiny loop over the records.
        final, per_step = jax.lax.scan(step, carry0, ts)
        tally = jax.lax.scan(
            lambda c, x: (_tally(c, x, late_from, early_from), None), _tally_init(f0), per_step[5]
        )[0]
    else:
        final, per_step = jax.lax.scan(step, (*carry0, _tally_init(f0)), ts)
        tally = final[7]
    p, f, g, _, _, diverged_at = final[:6]
    best, over, late_over, late_n, late_f, first, early = tally
    summary = jnp.stack(
        [
            diverged_at.astype(jnp.float32),
            jnp.where(diverged_at >= 0, diverged_at, jnp.minimum(steps, n)).astype(jnp.float32),
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
        (ps, fs, gs, lrs, states, _), summary, _, hyper = _walk(
            fn, optimizer, schedule, n, sched_keys, theta, record=True
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
        return _walk(fn, optimizer, schedule, n, sched_keys, theta, record=False)[1]

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
