r"""The straight line's loss as a playground surface: a real 2D valley over (w, b).

For the line :math:`\hat y = w x + b` the mean squared error over the n training rows is a
quadratic in (w, b):

.. math::
    f(w, b) = \frac1n \sum_i (w x_i + b - y_i)^2
            = f^* + \overline{x^2}\,\Delta w^2 + 2\bar x\,\Delta w\,\Delta b + \Delta b^2,

with :math:`(\Delta w, \Delta b)` the distance from the least-squares line :math:`(w^*, b^*)`
(normal equations) and :math:`f^* = f(w^*, b^*)`. Its Hessian is constant,
:math:`H = \tfrac2n X^\top X` with rows :math:`(x_i, 1)`, so gradient descent is stable exactly
below :math:`2/\lambda_{\max}(H)` everywhere, not only near the minimum.

Standardised, :math:`\bar x = 0` and :math:`\overline{x^2} = 1`: H = 2I, a round bowl with
critical rate 1. In raw units (BMI around 26 kg/m^2) the mean and the mean square are large, H
is nearly singular and the valley long and thin: the critical rate drops a thousandfold and the
condition number passes ten thousand. Both surfaces are built from the training split.

The centred form is evaluated (not the expanded sum of squares), so float32 keeps its digits
near the minimum, where the expanded form would cancel terms a hundred times larger than f*.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from core.real.models import get_model, regression_start
from core.valley.surfaces import Minimum, Surface

# The standardised picture: a box around the bowl holding the start line. The raw picture is the
# same set of lines, mapped through w_raw = w_s / sigma, b_raw = b_s - w_s mu / sigma.
STANDARD_DOMAIN = ((-2.5, 3.5), (-3.0, 3.0))


@dataclass(frozen=True)
class Moments:
    """Training-set averages that determine the line's loss exactly (float64)."""

    n: int
    mean_x: float
    mean_xx: float
    w_star: float
    b_star: float
    f_star: float

    @property
    def hessian(self) -> np.ndarray:
        """2/n X^T X, X with rows (x_i, 1)."""
        return 2.0 * np.array([[self.mean_xx, self.mean_x], [self.mean_x, 1.0]])

    @property
    def critical_lr(self) -> float:
        """Gradient descent's largest stable rate on this valley: 2 / lambda_max."""
        return 2.0 / float(np.linalg.eigvalsh(self.hessian)[-1])


def moments(x: np.ndarray, y: np.ndarray) -> Moments:
    x = np.asarray(x, np.float64).ravel()
    y = np.asarray(y, np.float64)
    design = np.c_[x, np.ones_like(x)]
    (w, b), *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = w * x + b - y
    return Moments(
        len(x), x.mean(), (x * x).mean(), float(w), float(b), float(residual @ residual / len(x))
    )


def _domain(standardized: bool, mu: float, sigma: float):
    (w0, w1), (b0, b1) = STANDARD_DOMAIN
    if standardized:
        return STANDARD_DOMAIN
    corners = [(w / sigma, b - w * mu / sigma) for w in (w0, w1) for b in (b0, b1)]
    ws, bs = zip(*corners, strict=True)
    return ((min(ws), max(ws)), (min(bs), max(bs)))


@functools.lru_cache(maxsize=8)
def regression_moments(standardize: bool = True, feature: str = "bmi") -> Moments:
    """The moments of ``linreg-diabetes``'s training set, in its own units."""
    data = get_model("linreg-diabetes", standardize=standardize, feature=feature).data
    return moments(data.x_train, data.y_train)


@functools.lru_cache(maxsize=8)
def regression_surface(standardize: bool = True, feature: str = "bmi") -> Surface:
    """The loss surface of ``linreg-diabetes`` over its whole training set (x is the slope w,
    y the intercept b), a `core.valley.surfaces.Surface` like any playground valley."""
    data = get_model("linreg-diabetes", standardize=standardize, feature=feature).data
    m = regression_moments(standardize, feature)
    mx, mxx, ws, bs, fs = (
        np.float32(v) for v in (m.mean_x, m.mean_xx, m.w_star, m.b_star, m.f_star)
    )

    def fn(w, b):
        dw, db = w - ws, b - bs
        return fs + mxx * dw * dw + 2 * mx * dw * db + db * db

    units = "standardised" if standardize else "raw (kg/m²)"
    return Surface(
        name=f"linreg-diabetes-{feature}{'' if standardize else '-raw'}",
        title=f"Line through the diabetes data, {feature.upper()} {units}",
        latex=r"f(w,b)=\frac1n\sum_{i=1}^{n}\left(w x_i+b-y_i\right)^2",
        story=(
            f"Each point (w, b) is a straight line through {m.n} patients' {data.feature_title} "
            "and their disease progression; the height is its mean squared error."
        ),
        domain=_domain(standardize, float(data.raw_mean[0]), float(data.raw_std[0])),
        minima=(Minimum(m.w_star, m.b_star, m.f_star, True),),
        start=regression_start(data),
        fn=fn,
        formula=(
            f"{m.f_star:.6g} + {m.mean_xx:.6g}*(x - {m.w_star:.6g})^2 + "
            f"{2 * m.mean_x:.6g}*(x - {m.w_star:.6g})*(y - {m.b_star:.6g}) + (y - {m.b_star:.6g})^2"
        ),
    )


def simulate_on(surface: Surface, exp):
    """`core.simulate` on the real valley, a surface outside the registry: the engine's own
    kernel and outcome labels. ``exp.surface`` is ignored; the start is ``exp.start`` or the
    surface's own."""
    from core.valley.simulation import simulate

    return simulate(exp, surface)
