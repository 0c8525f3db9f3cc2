r"""Theory of noisy gradients on a quadratic: the stationary "noise ball".

Gradient descent that feels the slope plus independent noise, :math:`g = \nabla f + \xi` with
:math:`\xi \sim N(0, \sigma^2 I)`, on a quadratic with curvature :math:`\lambda` along an
eigen-direction, moves the error :math:`e` along it by

.. math:: e_{t+1} = (1 - \eta\lambda)\, e_t - \eta\, \xi_t .

For :math:`0 < \eta\lambda < 2` this forgets where it started and settles into a stationary
spread: :math:`v = (1 - \eta\lambda)^2 v + \eta^2\sigma^2`, so

.. math:: \operatorname{Var}(e) = \frac{\eta\,\sigma^2}{\lambda\,(2 - \eta\lambda)} ,

independently along each eigen-direction (the noise is isotropic, so it stays independent in
the rotated frame). The walker never arrives: it jitters in an ellipse around the minimum whose
size grows with the rate, about :math:`\sqrt{\eta/(2\lambda)}\,\sigma` for small
:math:`\eta\lambda` (Mandt, Hoffman & Blei, "Stochastic Gradient Descent as Approximate
Bayesian Inference", JMLR 2017, for the continuous-time picture). A decaying rate shrinks the
ellipse as it decays. Only plain gradient descent with a constant rate follows this formula
here; the catalog names it by ``theory == "gd"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.catalog.optimizers import CATALOG


def stationary_variance(lr: float, curvature: float, sigma: float) -> float:
    """Var(e) = lr sigma^2 / (curvature (2 - lr curvature)) along one eigen-direction; inf
    where the walk has no stationary spread (curvature <= 0, or lr curvature >= 2)."""
    if not (curvature > 0 and 0 < lr * curvature < 2):
        return math.inf
    return lr * sigma**2 / (curvature * (2 - lr * curvature))


@dataclass(frozen=True)
class NoiseBall:
    """The predicted stationary spread around one minimum: a Gaussian ellipse."""

    centre: tuple[float, float]
    directions: np.ndarray  # (2, 2): unit eigenvectors as columns, ascending curvature
    curvatures: np.ndarray  # (2,)
    std: np.ndarray  # (2,): the standard deviation along each direction

    def outline(self, k: float = 2.0, points: int = 73) -> np.ndarray:
        """(points, 2): the ellipse at k standard deviations along each eigen-direction."""
        angle = np.linspace(0.0, 2 * np.pi, points)
        circle = np.stack([np.cos(angle), np.sin(angle)])  # (2, points)
        offsets = self.directions @ (k * self.std[:, None] * circle)
        return np.asarray(self.centre)[None, :] + offsets.T


def has_noise_ball(optimizer: str, schedule: str) -> bool:
    """Whether the formula above predicts the run's spread: plain gradient descent at a
    constant rate (momentum and adaptive methods change the recursion)."""
    return CATALOG[optimizer].theory == "gd" and schedule == "constant"


def noise_ball(analysis, lr: float, sigma: float) -> NoiseBall | None:
    """The noise ball at a minimum (`core.valley.theory.MinimumAnalysis`: its curvatures
    include any L2 weight decay) for plain gradient descent at rate `lr` with noise `sigma`;
    None where it has no stationary spread (a rate at or past 2/L, or a flat direction)."""
    curvatures = np.asarray(analysis.eigenvalues, dtype=np.float64)
    variances = [stationary_variance(lr, float(c), sigma) for c in curvatures]
    if not all(math.isfinite(v) for v in variances) or sigma <= 0:
        return None
    return NoiseBall(
        (analysis.x, analysis.y),
        np.asarray(analysis.eigenvectors, dtype=np.float64),
        curvatures,
        np.sqrt(np.array(variances)),
    )


def predicted_ball(exp) -> NoiseBall | None:
    """The noise ball theory predicts for an experiment, at the minimum nearest its start:
    noisy plain gradient descent at a constant rate on a quadratic (constant curvature), the
    rate below 2/L; None otherwise."""
    from core.valley.resolver import resolve
    from core.valley.theory import curvature_is_constant, nearest_analysis

    if not (exp.noise > 0 and has_noise_ball(exp.optimizer, exp.schedule)):
        return None
    if not curvature_is_constant(resolve(exp).surface):
        return None
    analysis = nearest_analysis(exp)
    return None if analysis is None else noise_ball(analysis, exp.lr, exp.noise)
