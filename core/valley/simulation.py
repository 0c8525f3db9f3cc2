"""Run one experiment: the path a blindfolded walker takes, and what became of it."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from core.schema.experiment import Experiment
from core.valley import kernel
from core.valley.explain import explain
from core.valley.judge import judge_codes
from core.valley.layout import Summary, Theta
from core.valley.nearest import nearest_minimum
from core.valley.outcomes import Outcome, verdict
from core.valley.resolver import Resolved, resolve
from core.valley.surfaces import Surface
from core.valley.theory import surface_facts


@dataclass(frozen=True)
class Run:
    """One trajectory. Arrays are float64 NumPy, finite everywhere, cut where a run diverged.

    path[t] is the point after t steps (path[0] is the start); loss[t] and grad[t] are the loss
    and gradient there; lr[t] is the rate used to move from path[t] to path[t+1]; state[name][t]
    is the optimizer's quantity `name` (velocity, effective_lr, ...) after step t.
    """

    experiment: Experiment
    surface: Surface
    path: np.ndarray  # (n + 1, 2)
    loss: np.ndarray  # (n + 1,)
    grad: np.ndarray  # (n + 1, 2)
    lr: np.ndarray  # (n,)
    state: dict[str, np.ndarray]  # name -> (n, 2)
    diverged_at: int | None
    outcome: Outcome
    resolved: Resolved
    # Where the step that blew up went (diverged runs only): the point it reached, or, when
    # that is not finite, a point far along the step's direction, so the step that left can
    # be drawn even when the run diverged on its very first step. None if it did not diverge.
    escape: tuple[float, float] | None = None
    escape_loss: float | None = None  # the loss there, when it is a number

    @property
    def steps_taken(self) -> int:
        return len(self.path) - 1

    def to_json(self) -> dict:
        """The CLI's document: path, loss, lr and the outcome."""
        return {
            "path": self.path.tolist(),
            "loss": self.loss.tolist(),
            "lr": self.lr.tolist(),
            "diverged_at": self.diverged_at,
            "escape": None if self.escape is None else list(self.escape),
            "outcome": self.outcome.to_json(),
        }


def theta_fields(res: Resolved, start=None, lr=None) -> Theta:
    """The kernel's input, by name, for a resolved experiment (optionally another start or
    rate; `start` may be (B, 2) and `lr` (B,) for a batch)."""
    exp = res.experiment
    start = np.asarray(res.start if start is None else start, dtype=np.float64)
    (x0, x1), (y0, y1) = res.surface.domain
    # Steps shorter than a millionth of the domain are round-off, not overshoot.
    step_floor = 1e-6 * max(x1 - x0, y1 - y0)
    if start.shape == (2,):  # one run: its direction is a fact of the surface and the start
        steep = _steep_at(res.surface, float(start[0]), float(start[1]))
    else:
        steep = steep_directions(res.surface, start).reshape(start.shape)
    sched = tuple(res.schedule_args[k] for k in sorted(res.schedule_args))
    lr = exp.lr if lr is None else lr
    if start.ndim == 2:  # a batch of starts: every other field follows it
        lr = np.broadcast_to(lr, len(start))
    hyper = tuple(res.hyper.values())
    return Theta(
        start, lr, exp.steps, step_floor, res.bounds, steep, hyper, sched, exp.noise, exp.seed
    )


def theta_of(res: Resolved, start=None, lr=None) -> np.ndarray:
    """The kernel's packed input vector for a resolved experiment (see `theta_fields`)."""
    return theta_fields(res, start, lr).pack()


def steep_directions(surface, starts: np.ndarray) -> np.ndarray:
    """For each start, the top-curvature unit direction at its nearest minimum (or zeros)."""
    starts = np.asarray(starts, dtype=np.float64).reshape(-1, 2)
    directions = minima_directions(surface)
    if not len(directions):
        return np.zeros_like(starts)
    index, _ = nearest_minimum(surface, starts)
    return directions[index]


@functools.lru_cache(maxsize=1024)
def _steep_at(surface, x: float, y: float) -> np.ndarray:
    direction = steep_directions(surface, np.array([x, y]))[0]
    direction.flags.writeable = False  # shared by every run from this start
    return direction


@functools.lru_cache(maxsize=128)
def minima_directions(surface) -> np.ndarray:
    """The top-curvature eigenvector at each known minimum, (k, 2)."""
    hessians = surface_facts(surface)[1]
    return np.array([np.linalg.eigh(h)[1][:, -1] for h in hessians]).reshape(-1, 2)


def simulate(exp: Experiment, surface: Surface | None = None) -> Run:
    """Simulate an experiment from its description. Raises ValueError for what cannot run.

    `surface` runs it on a surface outside the registry (``exp.surface`` is then ignored).
    """
    res = resolve(exp, surface)
    n = kernel.bucket(exp.steps)
    run = kernel.judged_kernel(
        res.surface.fn,
        exp.optimizer,
        exp.schedule,
        n,
        tuple(sorted(res.schedule_args)),
        exp.noise > 0,  # noisy gradients: the kernel with a random draw per step
    )
    theta = theta_of(res)
    rows, codes = (np.asarray(a) for a in run(theta))
    # Read at the kernel's float32, then in float64: as the sweeps' tally reads it.
    named = Summary.of(np.array(judge_codes(theta, rows, codes, n), np.float32))
    summary = named
    taken, diverged = int(named.steps_taken), int(named.diverged_at)
    kept = rows[: taken + 1].astype(np.float64)  # point 0 (the start) to the last reached
    path, loss, grad = kept[:, 0:2].copy(), kept[:, 2], kept[:, 3:5]
    path[0] = res.start  # exactly as given, not its float32 rounding
    lr = kept[1:, 5]  # lr[t]: the rate of the step from point t to t + 1
    state, col = {}, len(kernel.ROW)
    for name in kernel.state_names(exp.optimizer):
        state[name] = kept[1:, col : col + 2]
        col += 2
    escape = escape_loss = blowup_lr = None
    if diverged >= 0:
        both = rows[taken : taken + 2].astype(np.float64)  # the last point and where it went
        blowup_lr = float(both[1, 5])  # the rate of the step that blew up
        escape = escape_point(both[0], both[1], res.bounds)
        landed = both[1]
        if np.all(np.isfinite(landed[0:3])):
            escape_loss = float(landed[2])
    # The verdict by the rules alone, then the words that explain it.
    judged = verdict(res, summary, path, loss)
    outcome = Outcome(**vars(judged), explanation=explain(res, judged, summary, blowup_lr))
    return Run(
        experiment=exp,
        surface=res.surface,
        path=path,
        loss=loss,
        grad=grad,
        lr=lr,
        state=state,
        diverged_at=diverged if diverged >= 0 else None,
        outcome=outcome,
        resolved=res,
        escape=escape,
        escape_loss=escape_loss,
    )


def escape_point(last: np.ndarray, reached: np.ndarray, bounds) -> tuple[float, float]:
    """Where the step from row `last` to row `reached` went, as a finite point.

    The point reached, if finite; else (an overflow) as far as the escape box along the step's
    direction, or downhill (against the last slope) when even the direction is lost.
    """
    p, q = last[0:2], reached[0:2]
    if np.all(np.isfinite(q)):
        return float(q[0]), float(q[1])
    d = q - p
    if not np.all(np.isfinite(d)) or not np.any(d):
        d = np.nan_to_num(np.sign(q - p), nan=0.0)
    if not np.any(d):
        d = -last[3:5]
    if not np.all(np.isfinite(d)) or not np.any(d):
        d = np.array([1.0, 0.0])
    xmin, xmax, ymin, ymax = bounds
    reach = 2.0 * max(xmax - xmin, ymax - ymin)  # beyond the escape box in any direction
    e = p + reach * d / np.linalg.norm(d)
    return float(e[0]), float(e[1])
