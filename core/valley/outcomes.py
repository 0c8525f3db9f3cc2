"""What became of a run, in a word and a sentence a first-year student can follow.

Statuses (exactly one per run):
- ``converged``: the walker ends within a small tolerance of a known minimum.
- ``diverged``: a step produced a non-finite point, loss or gradient, or left the escape box far
  outside the plotting domain (see `core.valley.resolver.ESCAPE_FACTOR`).
- ``oscillating``: not settled, and a large share of the last quarter's steps overshoot the
  valley floor: it bounces without settling.
- ``too_slow``: not settled, but still going downhill when the steps ran out: the last quarter of
  the steps closed a real share of the loss gap left to the nearest minimum.
- ``stalled``: not settled, and no longer making progress: the gradient vanished away from any
  minimum (a saddle or a plateau), or the steps shrank to nothing.
- With noisy gradients a run still going downhill is ``too_slow`` even if noise tips many of
  its steps past the floor.
- ``noise_floor`` (noisy gradients only; before ``converged``): the walker reached the bottom
  and stayed there, jittering: over the last quarter its mean loss lies within a band above the
  nearest minimum: `NOISE_FLOOR_SHARE` of the loss gap it started with and, for non-adaptive
  optimizers, at most `FLOOR_NOISE` x lr x sigma^2 (lr / (1 - momentum) with momentum). On a
  quadratic gradient descent's stationary excess loss is lr sigma^2 / 2 or more
  (`core.valley.noise_theory`), so a run still creeping down from far above it is too slow,
  not at the floor. With noise a constant rate never settles exactly, so this is "converged to
  the noise floor", not oscillating, too slow or stalled. A rule of thumb: a run that starts
  inside the band, or whose noise swamps its start, is judged by the other rules.

Flags: ``overshoot`` (some step went past the lowest point along its own direction, i.e. the
slope at the new point points back), ``oscillation`` (it did so repeatedly), and
``local_minimum`` (it settled in a minimum that is not the global one).

On a quadratic with largest curvature L, gradient descent at rate a never overshoots for
a*L < 1, converges while overshooting for 1 < a*L < 2 and diverges for a*L > 2; the tests check
that these labels agree with that theory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.catalog.optimizers import CATALOG
from core.catalog.statuses import FLAGS
from core.valley.layout import Summary
from core.valley.nearest import nearest_minimum
from core.valley.surfaces import Minimum, Surface
from core.valley.theory import surface_facts

SETTLE_TOLERANCE = 1e-3  # of the domain's diagonal: "at the minimum"
OSCILLATING_SHARE = 0.3  # share of late steps that overshoot: "bouncing"
STILL_DESCENDING = 1e-3  # share of the remaining gap closed in the last quarter: "downhill"
FLAT_GRADIENT = 1e-4  # of the surface's typical gradient: "flat"
OSCILLATION_COUNT = 3  # overshoots that make a zig-zag
NOISE_FLOOR_SHARE = 0.1  # of the starting loss gap: "at the bottom, jittering" (noisy runs)
FLOOR_NOISE = 10.0  # x lr x sigma^2: the most excess loss the noise alone explains, with margin


def floor_cap(optimizer: str, lr, noise, momentum: float = 0.0):
    """The noise floor's cap on the excess loss (see the module docstring), at the effective
    rate lr / (1 - momentum) of heavy-ball methods; inf for adaptive optimizers, which rescale
    the noise (their floor follows no rate x sigma^2)."""
    if CATALOG[optimizer].adaptive:
        return np.inf
    effective = np.asarray(lr, dtype=np.float64) / max(1.0 - momentum, 1e-3)
    return FLOOR_NOISE * effective * noise**2


@dataclass(frozen=True)
class Verdict:
    """What became of one run, by the rules above alone: no words."""

    status: str
    flags: tuple[str, ...]
    step: int | None  # from 1; diverged: the step that blew up; converged: the arrival
    minimum: Minimum | None


@dataclass(frozen=True)
class Outcome(Verdict):
    """A verdict with its explanation (`core.valley.explain`) composed after it."""

    explanation: str = ""

    def to_json(self) -> dict:
        m = self.minimum
        return {
            "status": self.status,
            "flags": list(self.flags),
            "step": self.step,
            "minimum": None
            if m is None
            else {"x": m.x, "y": m.y, "value": m.value, "global": m.is_global},
            "explanation": self.explanation,
        }


def settle_tolerance(domain) -> float:
    (x0, x1), (y0, y1) = domain
    return SETTLE_TOLERANCE * float(np.hypot(x1 - x0, y1 - y0))


def gradient_scale(surface: Surface) -> float:
    """A typical gradient norm on the surface (median over a grid): the yardstick for 'flat'."""
    return surface_facts(surface)[0]


def classify(surface: Surface, summary: np.ndarray, cap=np.inf) -> dict[str, np.ndarray]:
    """Label many runs at once from their kernel summaries (B, len(SUMMARY); see
    `core.valley.layout.Summary`); `cap`: each noisy run's `floor_cap`.

    Returns arrays: ``status`` (strings), ``minimum`` (index into surface.minima, -1 if not
    settled), and boolean ``overshoot``, ``oscillation``, ``local_minimum``.
    """
    s = Summary.of(np.atleast_2d(np.asarray(summary, dtype=np.float64)))
    index, dist = nearest_minimum(surface, np.stack([s.final_x, s.final_y], axis=1))
    diverged = s.diverged_at >= 0
    settled = ~diverged & (dist < settle_tolerance(surface.domain))
    bouncing = s.late_overshoots / np.maximum(s.late_steps, 1) >= OSCILLATING_SHARE
    # Still going downhill: the last quarter closed a real share of the gap that was left to
    # the nearest minimum (of the whole drop, where the surface has none).
    late_drop = s.late_start_loss - s.final_loss
    if surface.minima:
        floor = np.array([m.value for m in surface.minima])[index]
        gap = s.late_start_loss - floor
    else:
        gap = s.start_loss - s.final_loss
    descending = late_drop > STILL_DESCENDING * np.maximum(gap, 1e-30)
    floor_band = np.zeros(len(diverged), bool)
    if surface.minima:  # noisy runs (their late mean is measured) that stayed at the bottom
        band = np.minimum(NOISE_FLOOR_SHARE * (s.start_loss - floor), cap)
        with np.errstate(invalid="ignore"):
            floor_band = np.isfinite(s.late_mean_loss) & (s.late_mean_loss - floor <= band)
    at_floor = ~diverged & floor_band  # noisy: even a final point that landed at the minimum
    # Noise tips a creeping walker's steps this way and that, past the floor along their own
    # direction: a noisy run still going downhill is too slow, not bouncing.
    bouncing = bouncing & ~(np.isfinite(s.late_mean_loss) & descending)

    status = np.full(len(diverged), "stalled", dtype=object)
    status[descending] = "too_slow"
    status[bouncing] = "oscillating"
    status[settled] = "converged"
    status[at_floor] = "noise_floor"
    status[diverged] = "diverged"
    settled = settled | at_floor  # a minimum reached, exactly or to the noise floor

    is_global = np.array([m.is_global for m in surface.minima] or [True])
    # At the noise floor every step is tipped past the bottom by the noise: its overshoots
    # are jitter, not the rate's zig-zag, and the words say it is not oscillating.
    overshoots = np.where(at_floor, 0, s.overshoots)
    return {
        "status": status.astype(str),
        "minimum": np.where(settled, index, -1),
        "overshoot": overshoots >= 1,
        "oscillation": overshoots >= OSCILLATION_COUNT,
        "local_minimum": settled & ~is_global[np.maximum(index, 0)],
    }


def _classify_one(surface: Surface, s: Summary, cap: float = math.inf) -> dict:
    """`classify` for one run, in Python floats (the public call's path; a test checks that
    both give the same labels)."""
    index, dist = (0 if surface.minima else -1), math.inf  # argmin's pick when none is near
    for i, m in enumerate(surface.minima):  # the first nearest, as nearest_minimum
        dx, dy = s.final_x - m.x, s.final_y - m.y
        d = math.sqrt(dx * dx + dy * dy)
        if d < dist:
            index, dist = i, d
    diverged = s.diverged_at >= 0
    settled = not diverged and dist < settle_tolerance(surface.domain)
    bouncing = s.late_overshoots / max(s.late_steps, 1) >= OSCILLATING_SHARE
    late_drop = s.late_start_loss - s.final_loss
    if surface.minima:
        gap = s.late_start_loss - surface.minima[index].value
    else:
        gap = s.start_loss - s.final_loss
    descending = late_drop > STILL_DESCENDING * max(gap, 1e-30)
    at_floor = False
    if surface.minima and math.isfinite(s.late_mean_loss) and not diverged:
        floor = surface.minima[index].value
        at_floor = s.late_mean_loss - floor <= _band(s, floor, cap)
    bouncing = bouncing and not (math.isfinite(s.late_mean_loss) and descending)  # as above
    status = "stalled"
    for rule, name in ((descending, "too_slow"), (bouncing, "oscillating")):
        status = name if rule else status
    status = "converged" if settled else status
    status = "diverged" if diverged else "noise_floor" if at_floor else status
    settled = settled or at_floor  # a minimum reached, exactly or to the noise floor
    is_global = surface.minima[index].is_global if index >= 0 else True
    overshoots = 0 if at_floor else s.overshoots  # jitter, not zig-zag (as above)
    return {
        "status": status,
        "minimum": index if settled else -1,
        "overshoot": overshoots >= 1,
        "oscillation": overshoots >= OSCILLATION_COUNT,
        "local_minimum": settled and not is_global,
    }


def arrival_step(path: np.ndarray, centre: tuple[float, float], tolerance: float) -> int:
    """The first step after which the path stays within `tolerance` of `centre`."""
    far = np.linalg.norm(path - np.asarray(centre), axis=1) >= tolerance
    outside = np.flatnonzero(far)
    return 0 if outside.size == 0 else int(outside[-1]) + 1


def verdict(res, summary, path: np.ndarray, loss: np.ndarray, lr=None) -> Verdict:
    """The verdict on one recorded run (`res` its `Resolved`, `summary` its kernel summary):
    a pure function of the run, with the step it happened at. `lr`: the run's base rate, if
    not the experiment's (a fan's run)."""
    surface = res.surface
    s = Summary.of(summary)
    exp = res.experiment
    cap = math.inf  # exact gradients: no noise floor to cap
    if exp.noise > 0:
        rate, momentum = exp.lr if lr is None else lr, res.hyper.get("momentum", 0.0)
        cap = float(floor_cap(exp.optimizer, rate, exp.noise, momentum))
    c = _classify_one(surface, s, cap)
    status = c["status"]
    flags = tuple(f for f in FLAGS if c[f])
    minimum = surface.minima[c["minimum"]] if c["minimum"] >= 0 else None
    # Steps count from 1: step t moves the walker from point t - 1 to point t, so "after t
    # steps" and "at step t" name the same point. The kernel counts moves from 0.
    if status == "diverged":
        step = int(s.diverged_at) + 1
    elif status == "converged":
        step = arrival_step(path, (minimum.x, minimum.y), settle_tolerance(surface.domain))
    elif status == "noise_floor":
        step = floor_arrival(loss, minimum.value, _band(s, minimum.value, cap))
    elif status == "oscillating":
        step = int(s.first_overshoot) + 1
    elif status == "stalled":
        step = _stall_step(loss)
    else:
        step = len(path) - 1
    return Verdict(status, flags, step, minimum)


def _band(s: Summary, floor: float, cap: float) -> float:
    """The noise floor's band of excess loss for one run."""
    return min(NOISE_FLOOR_SHARE * (s.start_loss - floor), cap)


def floor_arrival(loss: np.ndarray, floor: float, band: float) -> int:
    """The first step after which the loss stays within `band` above `floor`."""
    outside = np.flatnonzero(loss - floor > band)
    return 0 if outside.size == 0 else int(outside[-1]) + 1


def _stall_step(loss: np.ndarray) -> int:
    """The first step after which the loss improves by less than a millionth of its range."""
    spread = max(float(np.ptp(loss)), 1e-30)
    moving = np.flatnonzero(np.abs(np.diff(loss)) > 1e-6 * spread)
    return 0 if moving.size == 0 else int(moving[-1]) + 1
