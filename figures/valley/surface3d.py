"""The surface in 3D with the path lying on it.

Heights are drawn on the same log scale as the contour levels, h = log10(f - f_lo + d), so a
narrow valley floor is as visible in 3D as on the map; the path's points sit on the surface at
their own loss, lifted a hair so the surface does not hide them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from figures.palette import SCREEN, Theme, colorscale
from figures.valley.path import f4
from figures.valley.surface import Domain, grid, log_levels


def height_transform(z: np.ndarray, floor: float | None = None):
    """(function f -> log height, its lowest value f_lo) for a grid of values ``z``.

    The offset inside the log is the first contour level's height above the floor, so the
    3D view and the map resolve the same range of heights.
    """
    finite = z[np.isfinite(z)]
    lo = float(finite.min()) if finite.size else 0.0
    if floor is not None:
        lo = min(lo, float(floor))
    d = max(float(log_levels(z, 2, floor)[0]) - lo, 1e-12)

    def h(f):
        f = np.asarray(f, dtype=np.float64)
        return np.log10(np.maximum(f - lo, 0.0) + d)

    return h, lo


@lru_cache(maxsize=32)
def _heights(fn: Callable, domain: Domain, n: int, floor: float | None):
    """Grid, log heights (undefined points at the top) and the transform, per surface."""
    xs, ys, z = grid(fn, domain, n, n)
    h, _ = height_transform(z, floor)
    hz = h(z)
    top = float(np.nanmax(hz)) if np.isfinite(hz).any() else 1.0
    return xs, ys, np.where(np.isfinite(hz), hz, top), h


def surface3d_figure(
    fn: Callable,
    domain: Domain,
    path: np.ndarray,
    loss: np.ndarray,
    *,
    floor: float | None = None,
    theme: Theme = SCREEN,
    color: str = "#D55E00",
    n: int = 70,
    height: int = 520,
) -> dict:
    """Surface trace 0, path trace 1 (points inside the domain), current-point trace 2."""
    xs, ys, hz, h = _heights(fn, domain, n, floor)
    top = float(hz.max())
    p = np.asarray(path, dtype=np.float64)
    (x0, x1), (y0, y1) = domain
    inside = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
    # A diverging path is drawn up to where it left: the rest is off the surface.
    keep = len(p) if inside.all() else int(np.argmin(inside))
    lift = 0.01 * (top - float(np.nanmin(hz)))
    pz = np.minimum(h(np.asarray(loss)[:keep]) + lift, top + lift)
    scene_axis = {"showspikes": False, "tickfont": {"size": max(10, theme.font_size - 3)}}
    data = [
        {
            "type": "surface",
            "x": f4(xs),
            "y": f4(ys),
            # Nested lists: plotly.js's surface trace takes no 2D typed arrays.
            "z": np.round(hz, 4).tolist(),
            "colorscale": colorscale(),
            "showscale": False,
            "opacity": 0.95,
            "hoverinfo": "skip",
            "contours": {"z": {"show": False}},
        },
        {
            "type": "scatter3d",
            "mode": "lines+markers",
            "name": "path",
            "x": f4(p[:keep, 0]),
            "y": f4(p[:keep, 1]),
            "z": f4(pz),
            "line": {"color": color, "width": theme.line_width * 2},
            "marker": {"size": max(2, theme.marker_size // 2), "color": color},
            "hovertemplate": "step %{pointNumber}<extra></extra>",
        },
        {
            "type": "scatter3d",
            "mode": "markers",
            "name": "now",
            "x": f4(p[keep - 1 : keep, 0]) if keep else [],
            "y": f4(p[keep - 1 : keep, 1]) if keep else [],
            "z": f4(pz[-1:]) if keep else [],
            "marker": {"size": theme.marker_size + 2, "color": "#FFFFFF", "line": {"width": 2}},
            "hoverinfo": "skip",
        },
    ]
    layout = {
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
        "showlegend": False,
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "scene": {
            "xaxis": {**scene_axis, "title": {"text": "x"}, "range": [x0, x1]},
            "yaxis": {**scene_axis, "title": {"text": "y"}, "range": [y0, y1]},
            "zaxis": {**scene_axis, "title": {"text": "log height"}},
            "aspectmode": "manual",
            "aspectratio": {"x": 1, "y": 1, "z": 0.6},
            "camera": {"eye": {"x": 1.4, "y": -1.4, "z": 1.0}},
        },
        "uirevision": "3d",
    }
    return {"data": data, "layout": layout}
