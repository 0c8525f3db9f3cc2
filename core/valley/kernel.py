"""The compiled heart of the simulation: one `lax.scan` walks the valley step by step.

Every number that a learner can change (start point, learning rate, number of steps,
hyperparameters, schedule arguments) travels into the compiled function as one float32
vector `theta`, so dragging a slider never recompiles; only the structure does (which surface,
optimizer and schedule, and the scan length, rounded up to a few fixed buckets).

Two kernels share one stepper (`core.valley.stepper`) and one definition of a good step and an
overshoot (`core.valley.judge.step_flags`): `trajectory_kernel` records every point, loss, gradient,
rate and optimizer quantity of one run, and `judge` reads what happened off those rows
afterwards; under `vmap`,
`summary_kernel` runs thousands at once and tallies the same verdict as it goes.

Noisy gradients (issue 15): with ``noisy`` (a static flag, chosen by sigma > 0, so exact runs
compile the loop without a random number in it) each step's optimizer sees the slope plus
independent Gaussian noise N(0, sigma^2) in each coordinate. Sigma and the seed ride in theta:
the key is built from the seed inside the compiled call and split once per step, so a new sigma
or seed never recompiles, and the same seed gives the same path. The recorded rows keep the
true slope at each point (what the surface says); only the optimizer is fooled.

Divergence stops cleanly: the first step whose new point, loss or gradient is not finite, or
that leaves the escape box far outside the plotting domain, ends the run there (later steps,
if the loop ran on, are never read). So a returned path never holds NaN or inf.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from core import jax_setup  # noqa: F401  (the compilation cache settings)
from core.catalog.limits import MAX_STEPS
from core.valley import layout
from core.valley.judge import judge, step_codes, step_flags, summary
from core.valley.layout import Theta, theta_view
from core.valley.stepper import _stepper, hyper_names, state_names, step_noise

__all__ = ["judge", "hyper_names", "state_names", "step_noise"]  # (their homes moved)

# Scan lengths: a run of `steps` uses the smallest bucket that holds it, so changing the step
# count recompiles only when it crosses a bucket. Round numbers, as learners type them: a
# 500-step run scans 500 steps, not 512.
# Steps 1-2-5 per decade, up to the longest run the schema allows (core.catalog.limits).
BUCKETS = tuple(
    b for b in (m * 10**e for e in range(1, 6) for m in (5, 10, 20)) if b < MAX_STEPS
) + (MAX_STEPS,)

# The layouts of theta and of the summary, by name (see core.valley.layout).
HEAD, ROW, S, SUMMARY = layout.HEAD, layout.ROW, layout.S, layout.SUMMARY


def bucket(steps: int) -> int:
    """The scan length used for a run of `steps` steps."""
    for size in BUCKETS:
        if steps <= size:
            return size
    raise ValueError(f"At most {BUCKETS[-1]} steps; got {steps}.")


def pack_theta(
    start, lr, steps, step_floor, box, steep, hyper: dict, sched: dict, noise=0.0, seed=0
) -> np.ndarray:
    """Pack one run's numbers into the float32 vector the kernel reads (see `layout.Theta`)."""
    sched_values = tuple(sched[k] for k in sorted(sched))
    hyper_values = tuple(hyper.values())
    return Theta(
        start, lr, steps, step_floor, box, steep, hyper_values, sched_values, noise, seed
    ).pack()


def _walk(fn: Callable, optimizer: str, schedule: str, n: int, sched_keys, theta, noisy=False):
    """Walk n steps and return their rows, (n + 1, 6 + quantities).

    rows[t] = (x, y, loss, gx, gy, lr) of point t (row 0 is the start; lr is the rate of the
    step that reached the point, 0 for the start), then the optimizer's state quantities after
    that step (see `state_names`; zeros for the start). The loop only steps and writes one
    packed row per step: checks inside it, or a second output, cost 2-3x (measured), so what
    happened is judged afterwards from the rows, by `judge`. After a divergence the loop runs
    on through non-finite numbers that nothing reads. The loop writes into a buffer that
    already holds the start's row: gluing that row on afterwards would copy every row (~4%).
    Two steps per loop iteration save ~7% (measured); four make the loop too big for XLA to
    compile it as one function, 6x slower.
    """
    start, per_step, advance = _stepper(fn, optimizer, schedule, sched_keys, noisy)

    def step(carry, x):
        p, g, state, theta, rows = carry
        p, f, g, state, lr, quantities = advance(p, g, state, theta, x)
        row = jnp.concatenate([p, f[None], g, lr[None], *quantities])
        rows = jax.lax.dynamic_update_slice(rows, row[None], (x[0] + 1, 0))
        return (p, g, state, theta, rows), None

    p0, f0, g0, state0 = start(theta)
    width = len(ROW) + 2 * len(state_names(optimizer))  # two coordinates per quantity
    first = jnp.concatenate([p0, f0[None], g0])  # no rate, no quantities: no step reached it
    rows = jnp.zeros((n + 1, width), p0.dtype).at[0, : first.size].set(first)
    carry = (p0, g0, state0, theta, rows)
    return jax.lax.scan(step, carry, per_step(theta, n), unroll=2)[0][-1]


def _walk_tallied(fn: Callable, optimizer, schedule, n: int, sched_keys, theta, noisy=False):
    """The summary of a walk of n steps, tallied step by step in the loop's carry.

    This is `judge`'s verdict computed as a fold: under `vmap` over many runs, carrying a few
    tallies is far cheaper (measured ~2x) than recording every row and judging them after.
    Both read their step flags from `step_flags`; a test checks that they agree.
    With ``noisy`` it also tallies the mean loss over the last quarter's points.
    """
    start, per_step, advance = _stepper(fn, optimizer, schedule, sched_keys, noisy)
    p0, f0, g0, state0 = start(theta)
    steps = theta_view(theta).steps
    late_from, early_from = jnp.floor(0.75 * steps), jnp.floor(0.25 * steps)

    def step(carry, x):
        (p, g, state, theta), (last, active, diverged_at, best), tallies = carry
        over, late_over, late_n, late_f, first, early_f, (late_sum, late_count) = tallies
        t = x[0]
        p_new, f, g, state, _, _ = advance(p, g, state, theta, x)
        good, overshoot = step_flags(jnp, theta, p[0], p[1], p_new[0], p_new[1], f, g[0], g[1])
        in_range = t < theta_view(theta).steps
        took = active & in_range & good
        overshoot = took & overshoot
        late = took & (t >= late_from)
        seen = took & (t + 1 >= late_from)  # the point reached is among the last quarter's
        point = jnp.stack([p_new[0], p_new[1], f, g[0], g[1]])
        tallies = (
            over + overshoot,
            late_over + (overshoot & late),
            late_n + late,
            jnp.where(took & (t + 1 == late_from), f, late_f),
            jnp.where(overshoot & (first < 0), t, first),
            jnp.where(took & (t + 1 == early_from), f, early_f),
            # (a noisy run's late losses, summed and counted; exact runs carry them unchanged)
            (late_sum + jnp.where(seen, f, 0), late_count + seen.astype(jnp.int32))
            if noisy
            else (late_sum, late_count),
        )
        record = (
            jnp.where(took, point, last),
            took,
            jnp.where(active & in_range & ~good, t, diverged_at),
            jnp.where(took, jnp.minimum(best, f), best),
        )
        return ((p_new, g, state, theta), record, tallies), None

    zero = jnp.zeros((), jnp.int32)
    first_point = jnp.stack([p0[0], p0[1], f0, g0[0], g0[1]])
    carry = (
        (p0, g0, state0, theta),
        (first_point, jnp.array(True), zero - 1, f0),
        (
            zero,
            zero,
            zero,
            f0,
            zero - 1,
            f0,
            (jnp.where(late_from == 0, f0, 0), (late_from == 0).astype(jnp.int32)),
        ),
    )
    (_, (last, _, diverged_at, best), tallies), _ = jax.lax.scan(step, carry, per_step(theta, n))
    over, late_over, late_n, late_f, first, early_f, (late_sum, late_count) = tallies
    taken = jnp.where(diverged_at >= 0, diverged_at, jnp.minimum(steps, n))
    late_mean = jnp.nan
    if noisy:  # (a run that stopped before its last quarter: its last point, as judged)
        late_mean = jnp.where(taken < late_from, last[2], late_sum / jnp.maximum(late_count, 1))
    return summary(
        jnp,
        diverged_at,
        taken,
        best,
        tuple(last),
        (over, late_over, late_n),
        (late_f, early_f),
        first,
        (f0, g0[0], g0[1]),
        late_mean,
    )


def trajectory_kernel(fn: Callable, optimizer, schedule, n: int, sched_keys: tuple, noisy=False):
    """A jitted function theta -> rows recording every point of one run, start included.

    rows[t] = (x, y, loss, gx, gy, lr, *state quantities) of point t; the quantities (see
    `state_names`) are the optimizer's after the step that reached point t (zeros at t = 0).
    Judge it with ``judge(np, theta, rows, n)`` (in NumPy: judged by XLA, in the same call or
    another, it costs ~3x the walk, measured).
    """

    def run(theta):
        return _walk(fn, optimizer, schedule, n, sched_keys, theta, noisy)

    return jax.jit(run)


def judged_kernel(fn: Callable, optimizer, schedule, n: int, sched_keys: tuple, noisy=False):
    """A jitted function theta -> (rows, codes): `trajectory_kernel`'s rows, and each step's
    flags as a code (`core.valley.judge.step_codes`), computed in one fused elementwise pass
    after the walk (~+10 us, measured, against ~70 us for the same flags in NumPy). The summary
    is then a few reductions in NumPy (`judge_codes`): reductions in XLA cost a CPU kernel each.
    """

    def run(theta):
        rows = _walk(fn, optimizer, schedule, n, sched_keys, theta, noisy)
        return rows, step_codes(jnp, theta, rows)

    return jax.jit(run)


def summary_kernel(fn: Callable, optimizer, schedule, n: int, sched_keys: tuple, noisy=False):
    """A jitted function thetas (B, P) -> summaries (B, len(SUMMARY)), B runs at once."""

    def one(theta):
        return _walk_tallied(fn, optimizer, schedule, n, sched_keys, theta, noisy)

    return jax.jit(jax.vmap(one))


def _cached(build):
    """`build` memoised on its arguments as given in full: a call that leaves ``noisy`` out
    and one that passes False name the same compiled function."""
    memo = functools.lru_cache(maxsize=256)(build)

    @functools.wraps(build)
    def kernel_of(fn, optimizer, schedule, n, sched_keys, noisy=False):
        return memo(fn, optimizer, schedule, n, sched_keys, bool(noisy))

    kernel_of.cache_clear, kernel_of.cache_info = memo.cache_clear, memo.cache_info
    return kernel_of


trajectory_kernel = _cached(trajectory_kernel)
judged_kernel = _cached(judged_kernel)
summary_kernel = _cached(summary_kernel)
