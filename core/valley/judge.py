"""What happened on a walk, read off its recorded rows: the one definition of a good step and an
overshoot (`step_flags`), and the summary of a run (`judge`, packed by `summary`).

`xp` is numpy or jax.numpy throughout: single runs are judged in NumPy after the compiled walk
(judged by XLA, in the same program or another, it costs ~3x the walk, measured: each small
reduction is its own CPU kernel), and the sweeps' tallying loop (`core.valley.kernel`) reads
its step flags from here too, so both judge a step the same way.
"""

from __future__ import annotations

import math

import numpy as np

from core.valley.layout import Summary, theta_field, theta_view


def step_flags(xp, theta, x0, y0, x1, y1, f1, gx1, gy1):
    """Elementwise, for steps from (x0, y0) to (x1, y1) with loss f1 and slope (gx1, gy1) at
    the new point: (good, overshoot).

    A step is good if the point it reaches is finite, with a finite loss and slope, inside
    the escape box. It overshoots if it went past the lowest point along its own direction
    (the slope at the new point points back), or along the valley's steep direction (its
    component of the slope changed sign: the 1 - a*L < 0 of the theory); steps or components
    no longer than round-off don't count.
    """
    v = theta_view(theta)
    step_floor, sx, sy = v.step_floor, v.vx, v.vy
    with np.errstate(invalid="ignore", over="ignore"):
        good = xp.isfinite(f1 + gx1 + gy1) & (x1 >= v.xmin) & (x1 <= v.xmax)
        good = good & (y1 >= v.ymin) & (y1 <= v.ymax)
        dx, dy = x1 - x0, y1 - y0
        along_steep = dx * sx + dy * sy
        past_along_step = (gx1 * dx + gy1 * dy > 0) & (dx * dx + dy * dy > step_floor**2)
        past_along_steep = ((gx1 * sx + gy1 * sy) * along_steep > 0) & (
            xp.abs(along_steep) > step_floor
        )
    return good, past_along_step | past_along_steep


# A step's code (`step_codes`): 0 a bad step (it diverged or escaped), 1 a good step, 3 a good
# step that overshot. One byte a step, so the summary's searches and counts are bytes.find and
# bytes.count over them (~0.3 us each, against 2-7 us for a NumPy reduction of this size).
BAD, GOOD, GOOD_OVERSHOOT = 0, 1, 3


def step_codes(xp, theta, rows):
    """Each recorded step's code (BAD, GOOD or GOOD_OVERSHOOT; see `step_flags`), as int8.
    Elementwise only, so XLA fuses it into one pass after the walk (`kernel.judged_kernel`)."""
    x, y, f, gx, gy = (rows[:, i] for i in range(5))
    good, overshoot = step_flags(xp, theta, x[:-1], y[:-1], x[1:], y[1:], f[1:], gx[1:], gy[1:])
    return (good.astype(xp.int8) * (1 + 2 * overshoot.astype(xp.int8))).astype(xp.int8)


def judge(xp, theta, rows, n: int):
    """The summary vector (see `layout.Summary`) of a walk of n steps from its rows (see
    `core.valley.kernel._walk`), its step flags computed here in NumPy (`xp` must be numpy).
    The public call reads them from the kernel instead (`judge_codes`)."""
    if xp is not np:
        raise TypeError("judge reads recorded rows in NumPy; sweeps tally in the kernel")
    m = min(int(theta_field(theta, "steps")), n)  # steps past the requested ones are never read
    codes = step_codes(np, theta, rows[: m + 1])
    return judge_codes(theta, rows, codes, n).stack(np)


def judge_codes(theta, rows, codes, n: int) -> Summary:
    """The summary of a walk of n steps from its rows and its steps' codes (`step_codes`), in
    NumPy: a handful of reductions over the requested steps.

    Lean on purpose (a warm single run costs about as much as its walk): step counts are Python
    ints, only the requested steps are read, and every value is read at the float32 the
    kernel computed, so the verdict equals the sweeps' tally (a test checks both agree).
    """
    steps = int(theta_field(theta, "steps"))  # a whole number, exact in float32
    m = min(steps, n)  # steps past the requested ones are never read
    codes = np.asarray(codes, np.int8)[:m].tobytes()
    # The first bad step within the requested ones is the divergence.
    diverged_at = codes.find(bytes([BAD]))
    taken = diverged_at if diverged_at >= 0 else m
    mark = bytes([GOOD_OVERSHOOT])
    # The kernel's float32 floor of 0.75 * steps: exact in float32 (3 * steps / 4), so an int.
    late_from = math.floor(0.75 * steps)
    over = codes.count(mark, 0, taken)
    late_over = codes.count(mark, late_from, taken) if late_from < taken else 0
    late = max(0, taken - late_from)
    f = rows[:, 2]

    def loss_at(fraction):
        """The loss after a fraction of the requested steps (the start's if never reached)."""
        index = math.floor(fraction * steps)  # exact, as above
        return f[index] if 0 <= index <= taken else f[0]

    best = f[: taken + 1].min()
    first = rows[0]
    last = rows[taken]
    late_mean = np.nan  # read only where the gradients are noisy: no reduction otherwise
    if theta_field(theta, "noise") > 0:
        late_mean = f[min(late_from, taken) : taken + 1].mean()
    return summary(
        np,
        diverged_at,
        taken,
        best,
        (last[0], last[1], last[2], last[3], last[4]),
        (over, late_over, late),
        (loss_at(0.75), loss_at(0.25)),
        codes.find(mark, 0, taken),  # -1 if none
        (first[2], first[3], first[4]),
        late_mean,
        stacked=False,
    )


def summary(
    xp, diverged_at, taken, best, final, counts, losses_at, first, start, late_mean, stacked=True
):
    """The run's `Summary`, packed into its float32 array unless ``stacked=False``.
    `late_mean`: the mean loss over the last quarter's points (NaN where not measured)."""
    x, y, f, gx, gy = final
    over, late_over, late = counts
    late_f, early_f = losses_at
    f0, gx0, gy0 = start
    s = Summary(
        diverged_at=diverged_at,
        steps_taken=taken,
        best_loss=best,
        final_loss=f,
        final_x=x,
        final_y=y,
        final_grad_norm=xp.sqrt(gx * gx + gy * gy),
        overshoots=over,
        late_overshoots=late_over,
        late_steps=late,
        late_start_loss=late_f,
        first_overshoot=first,
        start_loss=f0,
        start_gx=gx0,
        start_gy=gy0,
        early_loss=early_f,
        late_mean_loss=late_mean,
    )
    return s.stack(xp) if stacked else s
