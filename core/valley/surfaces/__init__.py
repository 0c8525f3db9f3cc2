"""The 2D loss surfaces the learner walks on, blindfolded, feeling only the slope.

Each :class:`Surface` carries a pure ``jax.numpy`` function ``fn(x, y)`` (elementwise,
broadcasting, safe under jit/grad/vmap/hessian), its formula in LaTeX and in the parser's plain
syntax, a plotting domain, every known minimum in it, and a default start chosen for teaching.

Built in (``SURFACES``, in the order the UI lists them): teaching quadratics with round
critical rates (valley, bowl, ravine), standard test functions with their standard formulas and
domains (booth, matyas, rosenbrock, beale, himmelblau, three_hump_camel, six_hump_camel,
styblinski_tang, goldstein_price, rastrigin), and two shapes that defeat a fixed rate (cliff,
saddle). Reference for the test functions: S. Surjanovic and D. Bingham, Virtual Library of
Simulation Experiments: Test Functions and Datasets, https://www.sfu.ca/~ssurjano/optimization.html.

:func:`custom_surface` builds a surface from a typed formula (via :mod:`core.valley.formula`) and
finds its minima numerically with :func:`find_minima`.
"""

from __future__ import annotations

from core.valley.surfaces.base import Domain, Minimum, Surface, SurfaceError
from core.valley.surfaces.benchmarks import (
    BEALE,
    BOOTH,
    GOLDSTEIN_PRICE,
    HIMMELBLAU,
    MATYAS,
    RASTRIGIN,
    ROSENBROCK,
    SIX_HUMP_CAMEL,
    STYBLINSKI_TANG,
    THREE_HUMP_CAMEL,
)
from core.valley.surfaces.custom import custom_surface
from core.valley.surfaces.minima import find_minima
from core.valley.surfaces.teaching import BOWL, CLIFF, RAVINE, SADDLE, VALLEY

__all__ = [
    "SURFACES",
    "Domain",
    "Minimum",
    "Surface",
    "SurfaceError",
    "custom_surface",
    "find_minima",
    "get_surface",
]

# The order the UI lists them in: the default first, then roughly from easy to treacherous.
SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (
        VALLEY,
        BOWL,
        RAVINE,
        BOOTH,
        MATYAS,
        ROSENBROCK,
        BEALE,
        HIMMELBLAU,
        THREE_HUMP_CAMEL,
        SIX_HUMP_CAMEL,
        STYBLINSKI_TANG,
        GOLDSTEIN_PRICE,
        RASTRIGIN,
        CLIFF,
        SADDLE,
    )
}


def get_surface(name: str) -> Surface:
    """The built-in surface called ``name``; :class:`SurfaceError` naming the valid ones
    otherwise."""
    try:
        return SURFACES[name]
    except (KeyError, TypeError):
        raise SurfaceError(
            f"Unknown surface {name!r}: choose one of {', '.join(SURFACES)}."
        ) from None
