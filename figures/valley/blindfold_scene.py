"""The blindfold walk's pictures: what the walker feels, its loss so far, and the reveal.

While walking, the surface is hidden: `feel_figure` draws only the walker (at the centre of a
blank compass) and an arrow pointing downhill (against the slope), and `loss_figure` the loss
after each step so far. At the end `reveal_figure` draws the valley (its picture laid under the
axes, as every map is, `figures.valley.surface`) with the learner's path and gradient descent's
at the best fixed rate over it. Arrays in, Plotly figure dicts out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figures.palette import OKABE_ITO, SCREEN, Theme, spaced_axes
from figures.valley.surface import Domain, map_layout, minima_trace

YOU, REFERENCE = OKABE_ITO["vermillion"], OKABE_ITO["blue"]
GAP_FLOOR = 1e-12  # a loss gap of exactly 0 still has a place on the log axis


def _base(theme: Theme, height: int, title: str) -> dict:
    return {
        "height": height,
        "margin": {"l": 60, "r": 16, "t": 40, "b": 48},
        "title": {"text": title, "font": {"size": theme.title_size}, "x": 0.01},
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": theme.paper_color,
        "showlegend": False,
        "dragmode": False,
    }


def feel_figure(grad: Sequence[float], *, theme: Theme = SCREEN, height: int = 320) -> dict:
    """The slope under the walker's feet: a unit arrow pointing downhill (the way a gradient
    step goes) from the walker at the centre; no surface, no coordinates of the valley."""
    g = np.asarray(grad, dtype=np.float64)
    norm = float(np.hypot(*g)) if np.all(np.isfinite(g)) else 0.0
    d = -g / norm if norm > 0 else np.zeros(2)
    axis = {
        "range": [-1.3, 1.3],
        "showgrid": False,
        "zeroline": False,
        "showticklabels": False,
        "fixedrange": True,
        "showline": True,
        "mirror": True,
        "linecolor": theme.grid_color,
    }
    layout = _base(theme, height, "Downhill from here")
    layout |= {"xaxis": dict(axis), "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1}}
    layout["annotations"] = [
        {
            "x": float(d[0]),
            "y": float(d[1]),
            "ax": 0,
            "ay": 0,
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "showarrow": bool(norm > 0),
            "arrowhead": 3,
            "arrowsize": 1.2,
            "arrowwidth": theme.line_width + 1.5,
            "arrowcolor": YOU,
            "text": "",
        }
    ]
    data = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": "you",
            "x": [0.0],
            "y": [0.0],
            "marker": {"size": theme.marker_size * 3, "color": YOU, "line": {"color": "#000"}},
            "hovertemplate": "you are here<extra></extra>",
        }
    ]
    return {"data": data, "layout": layout}


def loss_figure(
    losses: Sequence[float],
    *,
    floor: float | None,
    target: float | None,
    theme: Theme = SCREEN,
    height: int = 320,
) -> dict:
    """The loss after each step so far. With a known floor, the gap above it on a log axis
    and the goal as a dashed line; without one, the loss itself."""
    losses = np.asarray(losses, dtype=np.float64)
    steps = np.arange(len(losses))
    gap = floor is not None
    y = np.maximum(losses - floor, GAP_FLOOR) if gap else losses
    layout = _base(theme, height, "Loss so far" + (" (above the bottom)" if gap else ""))
    layout["xaxis"] = {
        "title": {"text": "step"},
        "rangemode": "tozero",
        "fixedrange": True,
        "tickformat": "d",  # steps are whole: no "0.2" on the first screen
        "range": [0, max(len(losses) - 1, 5)],
    }
    layout["yaxis"] = {
        "title": {"text": "loss − lowest" if gap else "loss"},
        "type": "log" if gap else "linear",
        "exponentformat": "power",
        "fixedrange": True,
        "gridcolor": theme.grid_color,
    }
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "loss",
            "x": steps.tolist(),
            "y": y.tolist(),
            "line": {"color": YOU, "width": theme.line_width},
            "marker": {"size": theme.marker_size, "color": YOU},
            "hovertemplate": "step %{x}<br>%{y:.4g}<extra></extra>",
        }
    ]
    if gap and target is not None:
        goal = max(target - floor, GAP_FLOOR)
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": goal,
                "y1": goal,
                "line": {"color": theme.text_color, "dash": "dash", "width": 1.5},
            }
        ]
        layout["annotations"] = [
            {
                "xref": "paper",
                "x": 1,
                "y": float(np.log10(goal)),
                "text": "the bottom",
                "showarrow": False,
                "xanchor": "right",
                "yanchor": "bottom",
            }
        ]
    return {"data": data, "layout": spaced_axes(layout, theme)}


def _path_trace(path: np.ndarray, name: str, color: str, theme: Theme, dash: str = "solid"):
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": path[:, 0].tolist(),
        "y": path[:, 1].tolist(),
        "line": {"color": color, "width": theme.line_width, "dash": dash},
        "marker": {"size": theme.marker_size, "color": color},
        "hovertemplate": name + "<br>(%{x:.3g}, %{y:.3g})<extra></extra>",
    }


def reveal_figure(
    domain: Domain,
    path: np.ndarray,
    minima: Sequence,
    *,
    you: str,
    reference: np.ndarray | None = None,
    reference_name: str = "",
    escape: Sequence[float] | None = None,
    background: str | None = None,
    theme: Theme = SCREEN,
    height: int = 520,
) -> dict:
    """The valley revealed: the learner's path (and where its last step went, if it left),
    gradient descent's at the best fixed rate, the start and the minima, over the surface."""
    path = np.asarray(path, dtype=np.float64).reshape(-1, 2)
    data = []
    if reference is not None and len(reference):
        ref = np.asarray(reference, dtype=np.float64).reshape(-1, 2)
        data.append(_path_trace(ref, reference_name, REFERENCE, theme, dash="dot"))
    data.append(_path_trace(path, you, YOU, theme))
    if escape is not None:
        last = path[-1]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "your last step",
                "x": [float(last[0]), float(escape[0])],
                "y": [float(last[1]), float(escape[1])],
                "line": {"color": YOU, "width": theme.line_width, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": "start",
            "x": [float(path[0, 0])],
            "y": [float(path[0, 1])],
            "marker": {"symbol": "circle", "size": theme.marker_size * 2, "color": "#FFFFFF"},
            "hovertemplate": "start (%{x:.3g}, %{y:.3g})<extra></extra>",
            "showlegend": False,
        }
    )
    if minima:
        data.append(minima_trace(minima, theme))
    layout = map_layout(domain, theme, image=background, height=height)
    layout["uirevision"] = "reveal"
    return {"data": data, "layout": layout}
