"""The data types shared by every loss surface: a minimum, a surface, and the error raised for a
surface that cannot be shown."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import jax.numpy as jnp
import numpy as np

Domain = tuple[tuple[float, float], tuple[float, float]]
MARKED_MINIMA = 8  # more minima than this: the map stars only the global ones


class SurfaceError(ValueError):
    """A surface was asked for that does not exist or cannot be drawn; the message says why in
    words a student can act on."""


class Minimum(NamedTuple):
    """A local minimum at ``(x, y)`` with loss ``value``; ``is_global`` marks the lowest ones
    (several when they tie, as for the six-hump camel's twin valleys)."""

    x: float
    y: float
    value: float
    is_global: bool

    def to_json(self) -> dict:
        return {"x": self.x, "y": self.y, "value": self.value, "global": self.is_global}


@dataclass(frozen=True)
class Surface:
    """A 2D loss surface the learner walks on blindfolded.

    ``fn(x, y)`` is pure ``jax.numpy``: elementwise, broadcasting, and safe under jit, grad,
    vmap and hessian. ``domain`` is the plotting window ``((xmin, xmax), (ymin, ymax))``;
    ``minima`` lists every known minimum in it (empty when there is none, as for the saddle);
    ``start`` is the default starting point, chosen so the path is worth watching.
    """

    name: str
    title: str
    latex: str
    story: str
    domain: Domain
    minima: tuple[Minimum, ...]
    start: tuple[float, float]
    fn: Callable
    formula: str | None = None

    def __post_init__(self):
        (xmin, xmax), (ymin, ymax) = self.domain
        if not all(math.isfinite(v) for v in (xmin, xmax, ymin, ymax)):
            raise SurfaceError(f"The domain {self.domain} of {self.name!r} must be finite.")
        if not (xmin < xmax and ymin < ymax):
            raise SurfaceError(
                f"The domain of {self.name!r} must have xmin < xmax and ymin < ymax, "
                f"got {self.domain}."
            )
        if not self.contains(*self.start):
            raise SurfaceError(f"The start {self.start} of {self.name!r} is outside its domain.")

    @property
    def marked_minima(self) -> tuple[Minimum, ...]:
        """The minima worth a star on the map: all of them, unless there are so many (Rastrigin's
        121 dimples) that identical stars would hide the surface; then the global ones."""
        if len(self.minima) <= MARKED_MINIMA:
            return self.minima
        return tuple(m for m in self.minima if m.is_global)

    def contains(self, x: float, y: float) -> bool:
        """Whether ``(x, y)`` lies in the plotting domain (edges included)."""
        (xmin, xmax), (ymin, ymax) = self.domain
        return xmin <= x <= xmax and ymin <= y <= ymax

    @property
    def global_minima(self) -> tuple[Minimum, ...]:
        return tuple(m for m in self.minima if m.is_global)

    def value(self, x, y) -> float | np.ndarray:
        """The loss at ``(x, y)`` as numpy: a float for scalars, an array otherwise."""
        out = np.asarray(self.fn(jnp.asarray(x), jnp.asarray(y)))
        return float(out) if out.ndim == 0 else out

    def to_json(self) -> dict:
        """A JSON-ready summary; ``"formula"`` holds the LaTeX."""
        (xmin, xmax), (ymin, ymax) = self.domain
        return {
            "name": self.name,
            "title": self.title,
            "formula": self.latex,
            "domain": [[xmin, xmax], [ymin, ymax]],
            "minima": [m.to_json() for m in self.minima],
            "start": [self.start[0], self.start[1]],
        }
