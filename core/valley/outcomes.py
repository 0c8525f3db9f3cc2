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


def classify(surface: Surface, summary: np.ndarray) -> dict[str, np.ndarray]:
    """Label many runs at once from their kernel summaries (B, len(SUMMARY); see
    `core.valley.layout.Summary`).

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

    status = np.full(len(diverged), "stalled", dtype=object)
    status[descending] = "too_slow"
    status[bouncing] = "oscillating"
    status[settled] = "converged"
    status[diverged] = "diverged"

    is_global = np.array([m.is_global for m in surface.minima] or [True])
    overshoots = s.overshoots
    return {
        "status": status.astype(str),
        "minimum": np.where(settled, index, -1),
        "overshoot": overshoots >= 1,
        "oscillation": overshoots >= OSCILLATION_COUNT,
        "local_minimum": settled & ~is_global[np.maximum(index, 0)],
    }


def _classify_one(surface: Surface, s: Summary) -> dict:
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
    status = "stalled"
    for rule, name in ((descending, "too_slow"), (bouncing, "oscillating")):
        status = name if rule else status
    status = "diverged" if diverged else "converged" if settled else status
    is_global = surface.minima[index].is_global if index >= 0 else True
    return {
        "status": status,
        "minimum": index if settled else -1,
        "overshoot": s.overshoots >= 1,
        "oscillation": s.overshoots >= OSCILLATION_COUNT,
        "local_minimum": settled and not is_global,
    }


def arrival_step(path: np.ndarray, centre: tuple[float, float], tolerance: float) -> int:
    """The first step after which the path stays within `tolerance` of `centre`."""
    far = np.linalg.norm(path - np.asarray(centre), axis=1) >= tolerance
    outside = np.flatnonzero(far)
    return 0 if outside.size == 0 else int(outside[-1]) + 1


def verdict(res, summary, path: np.ndarray, loss: np.ndarray) -> Verdict:
    """The verdict on one recorded run (`res` its `Resolved`, `summary` its kernel summary):
    a pure function of the run, with the step it happened at."""
    surface = res.surface
    s = Summary.of(summary)
    c = _classify_one(surface, s)
    status = c["status"]
    flags = tuple(f for f in FLAGS if c[f])
    minimum = surface.minima[c["minimum"]] if c["minimum"] >= 0 else None
    # Steps count from 1: step t moves the walker from point t - 1 to point t, so "after t
    # steps" and "at step t" name the same point. The kernel counts moves from 0.
    if status == "diverged":
        step = int(s.diverged_at) + 1
    elif status == "converged":
        step = arrival_step(path, (minimum.x, minimum.y), settle_tolerance(surface.domain))
    elif status == "oscillating":
        step = int(s.first_overshoot) + 1
    elif status == "stalled":
        step = _stall_step(loss)
    else:
        step = len(path) - 1
    return Verdict(status, flags, step, minimum)


def _stall_step(loss: np.ndarray) -> int:
    """The first step after which the loss improves by less than a millionth of its range."""
    spread = max(float(np.ptp(loss)), 1e-30)
    moving = np.flatnonzero(np.abs(np.diff(loss)) > 1e-6 * spread)
    return 0 if moving.size == 0 else int(moving[-1]) + 1
