"""Which known minimum of a surface is nearest a point: the one rule every module uses."""

from __future__ import annotations

import functools

import numpy as np

from core.valley.surfaces import Minimum, Surface


@functools.lru_cache(maxsize=128)
def _centres(surface: Surface) -> np.ndarray:
    return np.array([(m.x, m.y) for m in surface.minima], dtype=np.float64).reshape(-1, 2)


def nearest_minimum(surface: Surface, points) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest known minimum to each point (-1 if none) and the distance to it
    (the first of them on ties)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not surface.minima:
        return np.full(len(points), -1), np.full(len(points), np.inf)
    dist = np.linalg.norm(points[:, None, :] - _centres(surface)[None, :, :], axis=2)
    index = np.argmin(dist, axis=1)
    return index, dist[np.arange(len(points)), index]


def nearest_to(surface: Surface, point) -> Minimum | None:
    """The known minimum nearest one point, None on a surface without one."""
    index = int(nearest_minimum(surface, point)[0][0])
    return None if index < 0 else surface.minima[index]
