"""Paths over a surface: the line and markers of each walker, where it started, where it left.

Arrays travel as Plotly typed-array specs (``{"dtype": "f4", "bdata": base64}``): float32 halves
the bytes of float64 and skips JSON number formatting, and plotly.js decodes them natively.

`map_figure` is the general builder other pages reuse: a surface background, its minima and
any number of paths, each with its own name and colour, on axes fixed to a given domain.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from figures.palette import SCREEN, Theme
from figures.valley.surface import Domain, map_layout, minima_trace


def f4(values) -> dict:
    """A float32 typed-array spec for plotly.js (NaN and inf are not expected: callers cut)."""
    a = np.ascontiguousarray(np.asarray(values, dtype=np.float32).ravel())
    return {"dtype": "f4", "bdata": base64.b64encode(a.tobytes()).decode("ascii")}


def decode_f4(spec: dict) -> np.ndarray:
    """The inverse of `f4` (for tests and tools)."""
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.float32)


def first_exit(path: np.ndarray, domain: Domain) -> tuple[int, tuple[float, float]] | None:
    """Where a path first leaves the domain: (index of the first point outside, the crossing).

    The crossing is the point on the segment into that point where it meets the boundary, so
    a diverging run can be drawn "cut where it left" without rescaling the axes.
    """
    (x0, x1), (y0, y1) = domain
    p = np.asarray(path, dtype=np.float64)
    inside = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
    out = np.flatnonzero(~inside)
    if out.size == 0:
        return None
    k = int(out[0])
    if k == 0:
        return 0, (float(p[0, 0]), float(p[0, 1]))
    a, b = p[k - 1], p[k]
    d = b - a
    # Largest fraction s of the segment a + s d that stays inside the box.
    s = 1.0
    for axis, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if d[axis] > 0 and b[axis] > hi:
            s = min(s, (hi - a[axis]) / d[axis])
        elif d[axis] < 0 and b[axis] < lo:
            s = min(s, (lo - a[axis]) / d[axis])
    c = a + max(0.0, s) * d
    return k, (float(c[0]), float(c[1]))


@dataclass(frozen=True)
class PathSpec:
    """One path to draw: (n, 2) points, a legend name, a colour and an optional loss per point."""

    points: np.ndarray
    name: str
    color: str
    loss: np.ndarray | None = None
    dash: str = "solid"


def path_trace(spec: PathSpec, theme: Theme = SCREEN, *, markers: bool = True) -> dict:
    """The path as a line with a marker at every step; hover shows step, point and loss."""
    p = np.asarray(spec.points, dtype=np.float64)
    trace = {
        "type": "scatter",
        "mode": "lines+markers" if markers else "lines",
        "name": spec.name,
        "x": f4(p[:, 0]),
        "y": f4(p[:, 1]),
        "line": {"color": spec.color, "width": theme.line_width, "dash": spec.dash},
        "marker": {
            "size": theme.marker_size,
            "color": spec.color,
            "line": {"color": "#FFFFFF", "width": 1},
        },
        "hovertemplate": "step %{pointNumber}<br>(%{x:.4g}, %{y:.4g})"
        + ("<br>f = %{customdata:.4g}" if spec.loss is not None else "")
        + f"<extra>{spec.name}</extra>",
    }
    if spec.loss is not None:
        trace["customdata"] = f4(spec.loss)
    return trace


def start_trace(point: Sequence[float], theme: Theme = SCREEN, name: str = "start") -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": [float(point[0])],
        "y": [float(point[1])],
        "marker": {
            "symbol": "circle",
            "size": theme.marker_size + 6,
            "color": "#FFFFFF",
            "line": {"color": "#000000", "width": 2},
        },
        "hovertemplate": "start (%{x:.4g}, %{y:.4g})<extra></extra>",
        "showlegend": False,
    }


def exit_trace(
    path: np.ndarray,
    domain: Domain,
    theme: Theme = SCREEN,
    escape: Sequence[float] | None = None,
    diverged: bool | None = None,
) -> dict | None:
    """A cross where the path leaves the domain, or None if it never does.

    ``escape``: where the step that blew up went (a diverged run's
    `core.valley.simulation.Run.escape`);
    the cross then marks where that step crossed the edge ("left at step k"), even when it was
    the very first step. ``diverged``: whether the run diverged, if the caller knows (else: if
    the path ends off the map). A path that did not diverge is marked "off the map", not
    "left": it is still bouncing about (Rastrigin at a large rate), not gone.
    """
    points = np.asarray(path, dtype=np.float64).reshape(-1, 2)
    if escape is not None:
        points = np.vstack([points, np.asarray(escape, dtype=np.float64).reshape(1, 2)])
    hit = first_exit(points, domain)
    if hit is None and escape is None:
        return None
    if hit is None:  # it blew up inside the map (the loss stopped being a number there)
        k, (x, y) = len(points) - 1, (float(points[-1, 0]), float(points[-1, 1]))
        text, hover = f"blew up at step {k}", f"blew up at step {k} at ({x:.4g}, {y:.4g})"
    elif escape is not None or (
        first_exit(points[-1:], domain) is not None if diverged is None else diverged
    ):
        k, (x, y) = hit
        ex, ey = points[-1]
        text = f"left at step {k}"
        hover = f"left the map at step {k}, towards ({ex:.3g}, {ey:.3g})"
    else:
        k, (x, y) = hit
        text, hover = f"off the map at step {k}", f"off the map at step {k}"
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": "left the valley" if text.startswith("left") else "off the map",
        "x": [x],
        "y": [y],
        "text": [text],
        "textposition": _inward(x, y, domain),
        "textfont": {"size": theme.font_size, "color": "#000000"},
        "marker": {
            "symbol": "x-thin",
            "size": theme.marker_size + 10,
            "line": {"color": "#000000", "width": 3},
        },
        "hovertemplate": f"{hover}<extra></extra>",
        "cliponaxis": False,
        "showlegend": False,
    }


def escape_trace(
    path: np.ndarray, domain: Domain, escape: Sequence[float], theme: Theme = SCREEN, color=None
) -> dict:
    """The step that blew up, drawn dashed from the last point reached towards where it went
    (cut at the map's edge, so the axes keep their range)."""
    last = np.asarray(path, dtype=np.float64).reshape(-1, 2)[-1]
    seg = np.vstack([last, np.asarray(escape, dtype=np.float64).reshape(1, 2)])
    hit = first_exit(seg, domain)
    end = seg[1] if hit is None else np.asarray(hit[1])
    return {
        "type": "scatter",
        "mode": "lines",
        "name": "the step that left",
        "x": [float(last[0]), float(end[0])],
        "y": [float(last[1]), float(end[1])],
        "line": {"color": color or theme.color(0), "width": theme.line_width, "dash": "dash"},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _inward(x: float, y: float, domain: Domain) -> str:
    """Text position that keeps a label at the boundary inside the plot."""
    (x0, x1), (y0, y1) = domain
    vertical = "bottom" if y > (y0 + y1) / 2 else "top"
    horizontal = "left" if x > (x0 + x1) / 2 else "right"
    return f"{vertical} {horizontal}"


def map_figure(
    domain: Domain,
    paths: Sequence[PathSpec] = (),
    *,
    background: str | None = None,
    minima: Sequence = (),
    theme: Theme = SCREEN,
    title: str | None = None,
    height: int = 520,
) -> dict:
    """A static figure dict: background image, minima, then each path with its exit mark.

    Usable as is by ``st.plotly_chart(fig_dict)`` or ``Plotly.newPlot``; axes stay on
    ``domain`` whatever the paths do.
    """
    data = [path_trace(spec, theme) for spec in paths]
    for spec in paths:
        cross = exit_trace(spec.points, domain, theme)
        if cross is not None:
            data.append(cross)
    for spec in paths:
        if len(spec.points):
            data.append(start_trace(spec.points[0], theme))
    if minima:
        data.append(minima_trace(minima, theme))
    layout = map_layout(domain, theme, title=title, image=background, height=height)
    return {"data": data, "layout": layout}
