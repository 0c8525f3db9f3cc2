"""`core.valley.judge.judge` for many recorded runs of one length at once, in NumPy.

A fan (`core.valley.fan`) judges ~130 runs after one vmapped walk; judging them one by one
costs ~100 us each, 10x the walk. This is the same summary, read off a (K, n + 1, W) stack of
rows with the same float32 arithmetic (`step_flags` elementwise, the same counts, the same
indices), so each row equals ``judge(np, thetas[k], rows[k], n)`` (a test checks it run by run).
"""

from __future__ import annotations

import numpy as np

from core.valley.judge import step_flags, summary
from core.valley.layout import theta_view


def judge_batch(thetas: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Summaries (K, len(SUMMARY)) of K walks of n steps that ask for the same step count."""
    steps = np.unique(theta_view(thetas).steps)
    if len(steps) != 1:
        raise ValueError("judge_batch judges runs that ask for one step count")
    m = min(int(steps[0]), n)  # steps past the requested ones are never read
    k = np.arange(len(rows))
    x, y, f, gx, gy = np.ascontiguousarray(np.moveaxis(rows[:, : m + 1, :5], -1, 0))
    column = thetas[:, None, :]  # each run's fields against its row of steps
    good, overshoot = step_flags(
        np, column, x[:, :-1], y[:, :-1], x[:, 1:], y[:, 1:], f[:, 1:], gx[:, 1:], gy[:, 1:]
    )
    # The first bad step within the requested ones is the divergence.
    bad = ~good
    any_bad = bad.any(axis=1)
    first_bad = np.argmax(bad, axis=1)
    diverged_at = np.where(any_bad, first_bad, -1)
    taken = np.where(any_bad, first_bad, m)
    step = np.arange(m)
    within = step[None, :] < taken[:, None]
    overshoot = overshoot & within
    late_from = int(np.floor(np.float32(0.75) * np.float32(steps[0])))  # the kernel's floor
    over = np.count_nonzero(overshoot, axis=1)
    late_over = np.count_nonzero(overshoot & (step[None, :] >= late_from), axis=1)
    late = np.maximum(0, taken - late_from)

    def loss_at(fraction):
        """The loss after a fraction of the requested steps (the start's if never reached)."""
        index = int(np.floor(np.float32(fraction) * np.float32(steps[0])))
        if index > m:
            return f[:, 0]
        return np.where(index <= taken, f[:, index], f[:, 0])

    reached = np.where(within, f[:, 1:], np.float32(np.inf))
    best = np.minimum(f[:, 0], reached.min(axis=1)) if m else f[:, 0]
    last = rows[k, taken]
    first = np.where(over > 0, np.argmax(overshoot, axis=1), -1)
    late_mean = np.full(len(rows), np.nan, np.float32)  # measured for noisy runs only
    noisy = theta_view(thetas).noise > 0
    if noisy.any():
        point = np.arange(m + 1)[None, :]
        in_late = (point >= np.minimum(late_from, taken)[:, None]) & (point <= taken[:, None])
        mean = np.where(in_late, f, 0).sum(axis=1) / np.count_nonzero(in_late, axis=1)
        late_mean = np.where(noisy, mean.astype(np.float32), late_mean)
    return summary(
        np,
        diverged_at,
        taken,
        best,
        tuple(last[:, i] for i in range(5)),
        (over, late_over, late),
        (loss_at(0.75), loss_at(0.25)),
        first,
        (f[:, 0], gx[:, 0], gy[:, 0]),
        late_mean,
    )
