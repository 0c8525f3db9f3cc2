r"""Theory at a minimum: curvature, the critical learning rates and the best fixed rates.

Near a minimum every smooth surface looks like the quadratic
:math:`f(p) \approx f^* + \tfrac12 (p-p^*)^\top H (p-p^*)`. With the Hessian's eigenvalues
:math:`0 < \ell \le L` (and weight decay :math:`\lambda` adding :math:`\lambda` to each):

- Gradient descent, :math:`p \leftarrow p - a\nabla f`, multiplies the error along each
  eigenvector by :math:`1 - a\lambda_i` per step, so it is stable iff :math:`a < 2/L`; it
  overshoots (the factor is negative) once :math:`a > 1/L`. The best fixed rate is
  :math:`a^* = 2/(\ell + L)`, contracting by :math:`(\kappa-1)/(\kappa+1)` per step, with
  :math:`\kappa = L/\ell` the condition number. (Nesterov, *Introductory Lectures on Convex
  Optimization*, 2004, Thm 2.1.15; Goh, "Why Momentum Really Works", Distill 2017.)
- Heavy-ball momentum in PyTorch's form :math:`v \leftarrow b v + g,\ p \leftarrow p - a v`
  (Polyak 1964) is stable iff :math:`0 \le b < 1` and :math:`a < 2(1+b)/L`; its best pair is
  :math:`a = 4/(\sqrt L + \sqrt\ell)^2,\ b = \big((\sqrt L-\sqrt\ell)/(\sqrt L+\sqrt\ell)\big)^2`
  (Polyak 1964; Goh 2017).
- Nesterov's momentum in PyTorch's form :math:`v \leftarrow b v + g,\ p \leftarrow p - a(g + b v)`
  is stable iff :math:`a < (2 + 2b)/((1 + 2b) L)` (the characteristic polynomial
  :math:`z^2 - (1+b)(1-a\lambda) z + b(1-a\lambda)` has both roots inside the unit circle
  exactly then; see Lessard, Recht & Packard, SIAM J. Optim. 2016, for the analysis).

Adaptive methods (Adagrad, RMSprop, Adam, ...) rescale each coordinate by its own gradient
history, so no single critical rate follows from the curvature alone: they have no entry. Which
optimizer follows which formula is its catalog entry's ``theory`` (`core.catalog.optimizers`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from core.catalog.optimizers import CATALOG, l2_decay, with_theory
from core.schema.experiment import Experiment
from core.valley.surfaces import Surface


@functools.lru_cache(maxsize=128)
def _hessian(fn):
    return jax.jit(jax.hessian(lambda p: fn(p[0], p[1])))


def hessian_at(fn, point) -> np.ndarray:
    """The 2x2 Hessian of f at a point, symmetrised, in float64 NumPy."""
    h = np.asarray(_hessian(fn)(jnp.asarray(point, jnp.float32)), dtype=np.float64)
    return (h + h.T) / 2


@functools.lru_cache(maxsize=128)
def _facts_kernel(fn):
    grad = jax.grad(lambda p: fn(p[0], p[1]))
    hess = jax.hessian(lambda p: fn(p[0], p[1]))

    def facts(grid, minima):
        norms = jnp.linalg.norm(jax.vmap(grad)(grid), axis=1)
        scale = jnp.nanmedian(jnp.where(jnp.isfinite(norms), norms, jnp.nan))
        return scale, jax.vmap(hess)(minima)

    return jax.jit(facts)


@functools.lru_cache(maxsize=128)
def surface_facts(surface: Surface) -> tuple[float, np.ndarray]:
    """(typical gradient norm over the domain, Hessians at the known minima (k, 2, 2)).

    One compiled call per surface: a fresh process pays for as few compilations as possible.
    The typical gradient is the median norm over a 41 x 41 grid: the yardstick for 'flat'.
    """
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
    grid = np.stack([xs.ravel(), ys.ravel()], 1).astype(np.float32)
    minima = np.array([(m.x, m.y) for m in surface.minima] or [(x0, y0)], dtype=np.float32)
    scale, hessians = _facts_kernel(surface.fn)(grid, minima)
    scale = float(scale)
    hessians = np.asarray(hessians, dtype=np.float64)[: len(surface.minima)]
    hessians = (hessians + np.swapaxes(hessians, 1, 2)) / 2
    return (scale if np.isfinite(scale) and scale > 0 else 1.0), hessians


# The largest stable rate on a quadratic with top curvature L, momentum b, for each kind of
# theory a catalog entry may name (``Optimizer.theory``); see this module's docstring.
CRITICAL = {
    "gd": lambda L, b: 2.0 / L,
    "heavy_ball": lambda L, b: 2.0 * (1.0 + b) / L,
    "nesterov": lambda L, b: (2.0 + 2.0 * b) / ((1.0 + 2.0 * b) * L),
}


def critical_rates(L: float, momentum: float) -> dict[str, float | None]:
    """The largest stable rate of each optimizer that has theory, on a quadratic with top
    curvature L (None for all if L is not positive)."""
    kinds = {name: CATALOG[name].theory for name in with_theory()}
    if not L > 0:
        return dict.fromkeys(kinds)
    return {name: CRITICAL[kind](L, momentum) for name, kind in kinds.items()}


def best_rates(low: float, L: float) -> dict:
    """The fastest fixed rate for gradient descent and the best heavy-ball (rate, momentum)."""
    if not (low > 0 and L > 0):
        return {"sgd": None, "momentum": None}
    root_l, root_L = np.sqrt(low), np.sqrt(L)
    return {
        "sgd": 2.0 / (low + L),
        "momentum": {
            "lr": 4.0 / (root_L + root_l) ** 2,
            "momentum": ((root_L - root_l) / (root_L + root_l)) ** 2,
        },
    }


@dataclass(frozen=True)
class MinimumAnalysis:
    x: float
    y: float
    value: float
    is_global: bool
    hessian: np.ndarray  # (2, 2)
    eigenvalues: np.ndarray  # ascending
    eigenvectors: np.ndarray  # columns, matching eigenvalues
    condition_number: float | None
    critical_lr: dict
    best_lr: dict

    def steep_direction(self) -> str:
        """'x', 'y' or 'steepest': the axis the top-curvature eigenvector points along."""
        vx, vy = np.abs(self.eigenvectors[:, -1])
        return "x" if vx > 0.9 else "y" if vy > 0.9 else "steepest"

    def to_json(self) -> dict:
        return {
            "x": self.x,
            "y": self.y,
            "value": self.value,
            "global": self.is_global,
            "hessian_eigenvalues": self.eigenvalues.tolist(),
            "condition_number": self.condition_number,
            "critical_lr": self.critical_lr,
            "best_lr": self.best_lr,
        }


def analyze_point(
    surface: Surface, minimum, momentum: float = 0.9, weight_decay: float = 0.0
) -> MinimumAnalysis:
    """Curvature and rates at one minimum. Weight decay adds its value to every curvature."""
    if minimum in surface.minima:
        h = surface_facts(surface)[1][surface.minima.index(minimum)]
    else:
        h = hessian_at(surface.fn, (minimum.x, minimum.y))
    h = h + weight_decay * np.eye(2)
    eigenvalues, eigenvectors = np.linalg.eigh(h)
    low, top = float(eigenvalues[0]), float(eigenvalues[-1])
    return MinimumAnalysis(
        x=minimum.x,
        y=minimum.y,
        value=minimum.value,
        is_global=minimum.is_global,
        hessian=h,
        eigenvalues=eigenvalues,
        eigenvectors=eigenvectors,
        condition_number=top / low if low > 0 else None,
        critical_lr=critical_rates(top, momentum),
        best_lr=best_rates(low, top),
    )


def analyze(surface: Surface, momentum: float = 0.9, weight_decay: float = 0.0):
    """Analyse every known minimum of a surface (none for a saddle)."""
    return [analyze_point(surface, m, momentum, weight_decay) for m in surface.minima]


def nearest_analysis(exp: Experiment, point=None) -> MinimumAnalysis | None:
    """The analysis of the minimum nearest to `point` (default: the experiment's start)."""
    from core.valley.nearest import nearest_to
    from core.valley.resolver import resolve

    res = resolve(exp)
    if not res.surface.minima:
        return None
    point = res.start if point is None else point
    minimum = nearest_to(res.surface, point)
    momentum = res.hyper.get("momentum", 0.0)
    decay = l2_decay(exp.optimizer, res.hyper)  # L2 adds to the curvature; decoupled does not
    return analyze_point(res.surface, minimum, momentum, decay)


def critical_lr(exp: Experiment, point=None) -> float | None:
    """The rate above which the chosen optimizer must diverge near the nearest minimum.

    None for adaptive optimizers, whose stability does not follow from curvature alone, and
    for surfaces without a minimum.
    """
    if exp.optimizer not in with_theory():
        return None
    analysis = nearest_analysis(exp, point)
    return None if analysis is None else analysis.critical_lr[exp.optimizer]


@functools.lru_cache(maxsize=128)
def _hessians_kernel(fn):
    return jax.jit(jax.vmap(jax.hessian(lambda p: fn(p[0], p[1]))))


@functools.lru_cache(maxsize=128)
def curvature_is_constant(surface: Surface) -> bool:
    """Whether the Hessian is the same everywhere (a quadratic): then the critical rate at a
    minimum holds on the whole surface, not only near that minimum. Checked at the start, the
    minima and a 41 x 41 grid over the domain (one compiled call)."""
    (x0, x1), (y0, y1) = surface.domain
    xs, ys = np.meshgrid(np.linspace(x0, x1, 41), np.linspace(y0, y1, 41))
    points = [surface.start, *((m.x, m.y) for m in surface.minima)]
    points = np.concatenate([np.array(points), np.stack([xs.ravel(), ys.ravel()], 1)])
    h = np.asarray(_hessians_kernel(surface.fn)(points.astype(np.float32)), dtype=np.float64)
    scale = max(float(np.abs(h).max()), 1e-12)
    return bool(np.all(np.isfinite(h)) and np.abs(h - h[0]).max() <= 1e-4 * scale)
