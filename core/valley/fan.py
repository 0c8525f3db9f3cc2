"""A fan: the path of one experiment at every rate of the slider, in one vmapped call.

Dragging the learning rate asks "and at this rate?" about ~130 rates in a row. A fan answers
them all at once: the experiment's walk (`core.valley.kernel._walk`, the very stepper a single
run takes) vmapped over the rates of `core.schema.rate_grid`, each path cut where it diverged,
as `simulate` cuts it, and labelled with the verdict the single run at that rate gets
(`core.valley.outcomes.verdict`: status, flags, step), judged on every step
(`core.valley.fan_judge`). Only the rates change between calls, and they travel in the
traced theta: a new rate never recompiles.

What is kept for drawing is compact: at most `MAX_DRAWN` points a path, picked evenly by step
(the first and last always among them), float32 from the kernel. The chosen run keeps its full
precision elsewhere (`simulate`); the verdicts are judged on every step, never on the
decimated points.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import numpy as np

from core.schema.experiment import Experiment
from core.schema.rate_grid import LR_GRID
from core.valley import kernel
from core.valley.fan_judge import judge_batch
from core.valley.layout import Summary
from core.valley.outcomes import Verdict, verdict
from core.valley.resolver import resolve
from core.valley.simulation import escape_point
from core.valley.sweeps import _rate_thetas

# Points drawn per path at most: 133 paths x 512 points x (x, y as float16, loss as float32)
# is 0.55 MB, so even a 10,000-step fan crosses the wire under 1 MB as base64.
MAX_DRAWN = 512


@dataclass(frozen=True)
class Fan:
    """One experiment at every rate of `lr`. Per path k:

    drawn[k]: the (m, 3) float32 points (x, y, loss) drawn, at the steps `drawn_steps(taken[k]
    + 1, m)`; taken[k]: the steps it took (its last point is point taken[k]); escape[k]: where
    the step that blew up went (diverged paths; NaN otherwise) and escape_loss[k] the loss
    there (NaN if none); outcomes[k]: the single run's verdict at that rate (its words,
    `core.valley.explain`, are composed for the chosen run only).
    """

    lr: np.ndarray  # (K,)
    drawn: tuple[np.ndarray, ...]
    taken: np.ndarray  # (K,) int
    escape: np.ndarray  # (K, 2)
    escape_loss: np.ndarray  # (K,)
    final_loss: np.ndarray  # (K,)
    outcomes: tuple[Verdict, ...]


def drawn_steps(points: int, m: int) -> np.ndarray:
    """The steps drawn of a path of `points` points when m are kept: k * (points - 1) // (m - 1)
    (integer arithmetic, so the page can name them without being sent them)."""
    if m >= points:
        return np.arange(points)
    return np.arange(m) * (points - 1) // (m - 1)


def fan_kernel(fn, optimizer: str, schedule: str, n: int, sched_keys: tuple, noisy=False):
    """A jitted function thetas (K, P) -> rows (K, n + 1, W): `trajectory_kernel`'s rows for
    K runs at once (``noisy``: with gradient noise, as `kernel._walk`)."""

    def one(theta):
        return kernel._walk(fn, optimizer, schedule, n, sched_keys, theta, noisy)

    return jax.jit(jax.vmap(one))


fan_kernel = kernel._cached(fan_kernel)


def walk_rows(exp: Experiment, lrs):
    """(res, thetas, rows, n): every rate's recorded rows, in one call."""
    res = resolve(exp)
    n = kernel.bucket(exp.steps)
    lrs = np.asarray(lrs, dtype=np.float64)
    thetas = _rate_thetas(exp, res, lrs)
    run = fan_kernel(
        res.surface.fn,
        exp.optimizer,
        exp.schedule,
        n,
        tuple(sorted(res.schedule_args)),
        exp.noise > 0,
    )
    return res, thetas, np.asarray(run(thetas)), n


def fan(exp: Experiment, lrs=LR_GRID, max_drawn=MAX_DRAWN) -> Fan:
    """The fan of `exp` over the rates `lrs` (the slider's by default); `exp.lr` is unused
    except to tell which schedule arguments follow the rate."""
    res, thetas, rows, n = walk_rows(exp, lrs)
    lrs = np.asarray(lrs, dtype=np.float64)
    drawn, taken, outcomes = [], np.zeros(len(lrs), int), []
    escape = np.full((len(lrs), 2), np.nan)
    escape_loss = np.full(len(lrs), np.nan)
    final_loss = np.zeros(len(lrs))
    summaries = judge_batch(thetas, rows, n).astype(np.float64)
    for k in range(len(lrs)):
        r, summary = rows[k], summaries[k]
        named = Summary.of(summary)
        t, diverged = int(named.steps_taken), int(named.diverged_at)
        taken[k] = t
        # The path as `simulate` keeps it: its start exactly as given, then the kernel's points.
        path = r[: t + 1, 0:2].astype(np.float64)
        path[0] = res.start
        loss = r[: t + 1, 2].astype(np.float64)
        final_loss[k] = loss[-1]
        if diverged >= 0:
            both = r[t : t + 2].astype(np.float64)
            escape[k] = escape_point(both[0], both[1], res.bounds)
            if np.all(np.isfinite(both[1, 0:3])):
                escape_loss[k] = both[1, 2]
        outcomes.append(verdict(res, summary, path, loss, lrs[k]))  # res: its surface
        keep = drawn_steps(t + 1, max_drawn)
        points = r[keep, 0:3].astype(np.float32)
        points[0, 0:2] = res.start
        drawn.append(points)
    return Fan(lrs, tuple(drawn), taken, escape, escape_loss, final_loss, tuple(outcomes))
