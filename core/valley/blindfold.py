r"""The blindfold walk: the learner picks each step's length, feeling only the slope.

The surface is hidden. Where the walker stands, the slope there and the loss so far are all it
knows; each move it chooses a rate :math:`a_t` and takes one plain gradient step

.. math:: p_{t+1} = p_t - a_t \nabla f(p_t).

The goal: the loss within a set share ``tol`` of the start's gap to the surface's lowest known
value, :math:`f(p) - f^* \le \mathrm{tol}\,(f(p_0) - f^*)` (a share, so one setting means the
same on the bowl and on Goldstein-Price, whose walls are 10^5 high). The walk also stops,
and says so, when a step leaves the valley (a non-finite point, loss or slope, or a point
outside the engine's escape box: the engine's own divergence, `core.valley.resolver`) and
at `WALK_LIMIT` steps.

Afterwards the learner is shown gradient descent at the best *fixed* rate from the same start:
on a quadratic (curvature the same everywhere) the theory's :math:`2/(\ell + L)` from the
Hessian's eigenvalues (`core.valley.theory`); elsewhere the rate of the sweep's grid (the
slider's rates, `core.schema.rate_grid`) that reaches the goal in the fewest steps, all rates
walked at once by the fan (`core.valley.fan.walk_rows`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import jax
import jax.numpy as jnp
import numpy as np

from core.schema.experiment import FIELD, Experiment
from core.schema.rate_grid import LR_GRID
from core.valley.resolver import escape_box
from core.valley.surfaces import Surface
from core.valley.theory import analyze_point, curvature_is_constant

WALK_LIMIT = 200  # steps a learner may take
REFERENCE_LIMIT = 2000  # steps the fixed-rate reference may take (it needs no clicking)
DEFAULT_TOLERANCE = FIELD["tol"].default

WALKING, REACHED, LEFT, LIMIT = "walking", "reached", "left", "limit"
ENDINGS = {
    REACHED: "You reached the bottom",
    LEFT: "Your last step left the valley (the walk diverged)",
    LIMIT: f"You used all {WALK_LIMIT} steps without reaching the bottom",
}


@dataclass(frozen=True)
class Goal:
    """``floor``: the lowest known loss (None: the surface has no known minimum, so the walk
    can only end by leaving or at the limit); ``target``: the loss that counts as the bottom."""

    floor: float | None
    target: float | None

    def reached(self, loss: float) -> bool:
        return self.target is not None and bool(np.isfinite(loss)) and loss <= self.target


def goal_of(surface: Surface, start_loss: float, tol: float) -> Goal:
    """The goal from a start whose loss is ``start_loss``: ``tol`` of its gap to the floor."""
    if not surface.minima:
        return Goal(None, None)
    floor = float(min(m.value for m in surface.minima))
    return Goal(floor, floor + tol * max(0.0, float(start_loss) - floor))


@functools.lru_cache(maxsize=128)
def _feel_kernel(fn):
    return jax.jit(jax.value_and_grad(lambda p: fn(p[0], p[1])))


def feel(surface: Surface, point) -> tuple[float, np.ndarray]:
    """The loss and the slope (gradient) under the walker's feet, as float64."""
    loss, grad = _feel_kernel(surface.fn)(jnp.asarray(point, jnp.float32))
    return float(loss), np.asarray(grad, dtype=np.float64)


def gradient_step(point, rate: float, grad) -> np.ndarray:
    """One plain gradient step: p - rate * grad."""
    return np.asarray(point, dtype=np.float64) - float(rate) * np.asarray(grad, dtype=np.float64)


def inside(surface: Surface, point) -> bool:
    """Whether a point is finite and inside the escape box (the engine's 'not diverged')."""
    xmin, xmax, ymin, ymax = escape_box(surface.domain)
    x, y = (float(v) for v in point)
    return bool(np.isfinite(x) and np.isfinite(y) and xmin <= x <= xmax and ymin <= y <= ymax)


@dataclass(frozen=True)
class Walk:
    """A blindfold walk so far. points[t] is where the walker stood after t steps, losses[t]
    and grads[t] what it felt there, rates[t] the rate of the step from point t to t + 1.
    ``escape``: where the step that left the valley went (finite coordinates only), if one did."""

    points: tuple[tuple[float, float], ...]
    losses: tuple[float, ...]
    grads: tuple[tuple[float, float], ...]
    rates: tuple[float, ...]
    goal: Goal
    status: str = WALKING
    escape: tuple[float, float] | None = None

    @property
    def steps(self) -> int:
        return len(self.rates)

    @property
    def done(self) -> bool:
        return self.status != WALKING


def begin(surface: Surface, start, tol: float = DEFAULT_TOLERANCE) -> Walk:
    """A walk standing at ``start`` (already at the goal if the start is at the bottom)."""
    point = (float(start[0]), float(start[1]))
    loss, grad = feel(surface, point)
    goal = goal_of(surface, loss, tol)
    status = REACHED if goal.reached(loss) else WALKING
    return Walk((point,), (loss,), (tuple(grad),), (), goal, status)


def advance(walk: Walk, surface: Surface, rate: float) -> Walk:
    """The walk after one more step at ``rate`` (unchanged if it is already over)."""
    if walk.done:
        return walk
    rate = FIELD["lr"].parse(rate)  # the schema's range for a learning rate, or ExperimentError
    new = gradient_step(walk.points[-1], rate, walk.grads[-1])
    loss, grad = feel(surface, new) if np.all(np.isfinite(new)) else (np.nan, np.full(2, np.nan))
    rates = (*walk.rates, rate)
    if not (inside(surface, new) and np.isfinite(loss) and np.all(np.isfinite(grad))):
        escape = tuple(float(v) for v in new) if np.all(np.isfinite(new)) else None
        return replace(walk, rates=rates, status=LEFT, escape=escape)
    status = REACHED if walk.goal.reached(loss) else LIMIT if len(rates) >= WALK_LIMIT else WALKING
    return replace(
        walk,
        points=(*walk.points, (float(new[0]), float(new[1]))),
        losses=(*walk.losses, loss),
        grads=(*walk.grads, (float(grad[0]), float(grad[1]))),
        rates=rates,
        status=status,
    )


def steps_to_goal(losses, target: float | None, good=None) -> int | None:
    """The first step whose loss is within the target (None if none is, or there is none).
    ``good``: whether each point is still in the valley; only points before the first bad one
    count."""
    if target is None:
        return None
    losses = np.asarray(losses, dtype=np.float64)
    ok = np.ones(len(losses), bool) if good is None else np.asarray(good, bool)
    bad = np.flatnonzero(~ok)
    end = int(bad[0]) if bad.size else len(losses)
    hits = np.flatnonzero(np.isfinite(losses[:end]) & (losses[:end] <= target))
    return int(hits[0]) if hits.size else None


def _walk_experiment(exp: Experiment, start) -> Experiment:
    """Plain gradient descent on the walk's surface from its start, for the reference runs."""
    base = Experiment(surface=exp.surface, formula=exp.formula)
    return base.replace(optimizer="sgd", start=tuple(start), steps=REFERENCE_LIMIT)


def theory_rate(surface: Surface) -> float | None:
    """2/(l + L) at the global minimum when the surface is a quadratic with positive
    curvatures (the theory's best fixed rate holds everywhere then); None otherwise."""
    if not surface.minima or not curvature_is_constant(surface):
        return None
    lowest = min(surface.minima, key=lambda m: m.value)
    return analyze_point(surface, lowest).best_lr["sgd"]


def sweep_rate(exp: Experiment, start, target: float | None) -> float | None:
    """The rate of the slider's grid that reaches the target in the fewest steps from start
    (the smaller rate on ties); None if no rate reaches it within REFERENCE_LIMIT."""
    from core.valley.fan import walk_rows  # the fan: every rate's walk in one call

    if target is None:
        return None
    e = _walk_experiment(exp, start)
    res, _, rows, _ = walk_rows(e, LR_GRID)
    xmin, xmax, ymin, ymax = res.bounds
    best = None
    for k, lr in enumerate(LR_GRID):
        r = rows[k, : REFERENCE_LIMIT + 1].astype(np.float64)
        x, y = r[:, 0], r[:, 1]
        good = np.isfinite(r[:, 0:5]).all(1) & (x >= xmin) & (x <= xmax)
        good &= (y >= ymin) & (y <= ymax)
        hit = steps_to_goal(r[:, 2], target, good)
        if hit is not None and (best is None or hit < best[0]):
            best = (hit, float(lr))
    return None if best is None else best[1]


@dataclass(frozen=True)
class Reference:
    """Gradient descent at the best fixed rate: ``how`` is "theory" (2/(l + L)) or "sweep";
    ``steps`` to the goal (None if it never got there within REFERENCE_LIMIT)."""

    rate: float
    how: str
    path: np.ndarray  # (n + 1, 2), cut where the goal was reached
    steps: int | None


def reference(exp: Experiment, surface: Surface, start, goal: Goal) -> Reference | None:
    """The best fixed rate's run from ``start`` (None when no fixed rate reaches the goal)."""
    from core.valley.simulation import simulate

    rate, how = theory_rate(surface), "theory"
    if rate is None:
        rate, how = sweep_rate(exp, start, goal.target), "sweep"
    if rate is None:
        return None
    run = simulate(_walk_experiment(exp, start).replace(lr=float(rate)))
    steps = steps_to_goal(run.loss, goal.target)
    path = run.path if steps is None else run.path[: steps + 1]
    return Reference(float(rate), how, path, steps)
