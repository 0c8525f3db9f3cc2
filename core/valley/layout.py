"""The kernel's interfaces by name: what one run's numbers are, and what its summary says.

Inside the compiled loop a run's numbers travel as one float32 vector (one array in the scan's
carry is measurably faster than captured values), and a batch of summaries comes back as one
(B, len(SUMMARY)) array. Nothing outside this module reads either by position: `Theta` packs a
run's numbers and `theta_view` reads them back by name (on a packed vector, traced or NumPy);
`Summary.of` gives the summary's columns by name.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

# Per-step columns of a recorded run, before the optimizer's own state quantities.
ROW = ("x", "y", "loss", "gx", "gy", "lr")


class Theta(NamedTuple):
    """One run's numbers, or a batch's (then each field has a leading batch axis).

    `steep` is the unit top-curvature direction at the minimum the run heads for (zeros where
    there is none): overshooting along it is what the theory of quadratics predicts.
    `hyper` are the optimizer's hyperparameters in its own order, `sched` the schedule's
    arguments in sorted-name order. `noise` is the gradient noise's standard deviation (0: exact
    gradients) and `seed` the whole number its random draws start from; it is packed as two
    16-bit halves (`seed_hi`, `seed_lo`), each exact in float32 (a seed up to 2^31 is not).
    """

    start: Any  # (..., 2)
    lr: Any
    steps: Any
    step_floor: Any  # steps shorter than this are round-off, not overshoot
    box: Any  # (..., 4): the escape box xmin, xmax, ymin, ymax
    steep: Any  # (..., 2)
    hyper: tuple = ()
    sched: tuple = ()
    noise: Any = 0.0
    seed: Any = 0

    def pack(self) -> np.ndarray:
        """The float32 vector (or (B, P) matrix) the kernel reads."""
        one = (int, float)
        if type(self.lr) in one and type(self.steps) in one and type(self.seed) is int:
            # One run (the public call's path): a flat list of Python floats, no broadcasting
            # per field (float32 rounding of a double is the same either way).
            values = [*_flat(self.start), self.lr, self.steps, self.step_floor]
            values += [
                *_flat(self.box),
                *_flat(self.steep),
                self.noise,
                *divmod(self.seed, SEED_HALF),
            ]
            values += [*self.hyper, *self.sched]
            if len(values) == len(HEAD) + len(self.hyper) + len(self.sched):
                return np.array(values, np.float32)
        shapes = (np.shape(v) for v in (self.lr, self.steps, self.noise, self.seed))
        batch = np.broadcast_shapes(*shapes)
        column = lambda v: np.broadcast_to(np.asarray(v, np.float64), batch)[..., None]
        pair = lambda v, k: np.broadcast_to(np.asarray(v, np.float64), (*batch, k))
        parts = [pair(self.start, 2), column(self.lr), column(self.steps)]
        parts += [column(self.step_floor), pair(self.box, 4), pair(self.steep, 2)]
        seed_hi, seed_lo = np.divmod(np.asarray(self.seed, np.int64), SEED_HALF)
        parts += [column(self.noise), column(seed_hi), column(seed_lo)]
        parts += [column(v) for v in (*self.hyper, *self.sched)]
        return np.concatenate(parts, axis=-1).astype(np.float32)


def _flat(v) -> list:
    return v.tolist() if isinstance(v, np.ndarray) else list(v)


# The packed layout's fixed head (the hyperparameters, then the schedule's arguments follow).
HEAD = ("x0", "y0", "lr", "steps", "step_floor", "xmin", "xmax", "ymin", "ymax", "vx", "vy")
HEAD += ("noise", "seed_hi", "seed_lo")
SEED_HALF = 2**16  # seed = seed_hi * SEED_HALF + seed_lo


class ThetaView(NamedTuple):
    """Named scalars (or columns) read off a packed theta; see `theta_view`."""

    x0: Any
    y0: Any
    lr: Any
    steps: Any
    step_floor: Any
    xmin: Any
    xmax: Any
    ymin: Any
    ymax: Any
    vx: Any
    vy: Any
    noise: Any
    seed_hi: Any
    seed_lo: Any
    hyper: dict
    sched: dict


_HEAD_INDEX = {name: i for i, name in enumerate(HEAD)}


def theta_field(theta, name: str):
    """One named field of the fixed head of a packed theta (cheaper than a whole view)."""
    return theta[..., _HEAD_INDEX[name]]


def theta_view(theta, hyper_names=(), sched_keys=()) -> ThetaView:
    """The named fields of a packed theta (the last axis); slicing only, free under jit."""
    k = len(HEAD)
    head = [theta[..., i] for i in range(k)]
    hyper = {name: theta[..., k + i] for i, name in enumerate(hyper_names)}
    sched = {name: theta[..., k + len(hyper_names) + j] for j, name in enumerate(sched_keys)}
    return ThetaView(*head, hyper, sched)


class Summary(NamedTuple):
    """What became of a run (or of each run of a batch), as the kernel tallies it."""

    diverged_at: Any  # step whose move blew up or escaped, -1 if none
    steps_taken: Any  # steps actually taken
    best_loss: Any
    final_loss: Any
    final_x: Any
    final_y: Any
    final_grad_norm: Any
    overshoots: Any  # steps that went past the lowest point along their own direction
    late_overshoots: Any  # the same, counted over the last quarter of the requested steps
    late_steps: Any  # steps taken in that last quarter
    late_start_loss: Any  # loss where the last quarter began
    first_overshoot: Any  # step index of the first overshoot, -1 if none
    start_loss: Any
    start_gx: Any
    start_gy: Any
    early_loss: Any  # loss after a quarter of the requested steps: how fast the run got going
    # The mean loss over the last quarter's points (from the point where it begins): where a
    # noisy run jitters (measured for noisy runs only; NaN for exact gradients, never read).
    late_mean_loss: Any = np.nan

    @classmethod
    def of(cls, values) -> Summary:
        """The named columns of a summary array (len(SUMMARY),) or (B, len(SUMMARY))."""
        if isinstance(values, Summary):
            return values
        values = np.asarray(values, dtype=np.float64)
        if values.ndim == 1:  # one run: its float64 scalars, without moving axes
            return cls(*values)
        return cls(*np.moveaxis(values, -1, 0))

    def stack(self, xp) -> Any:
        """The packed float32 array, fields along the last axis."""
        if xp is np and np.ndim(self.diverged_at) == 0:  # one run, judged in NumPy
            return np.array(self, np.float32)
        return xp.stack([xp.asarray(v, xp.float32) for v in self], axis=-1)


SUMMARY = Summary._fields  # (all float32 when packed; step counts are exact below 2^24)
S = {name: i for i, name in enumerate(SUMMARY)}
