"""The digits network's loss landscape: a 2D slice through the trained weights as contours,
with training paths projected onto the slice's plane (`core.real.landscape` computes both).

Arrays in, a Plotly figure dict out; never imports Streamlit or the engine. The contours are of
log10 of the loss (the loss spans orders of magnitude across the slice); a point whose loss
overflowed is drawn at the highest finite level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from figures.palette import SCREEN, Theme
from figures.real.model_layout import axis_style, base_layout, legend_above
from figures.valley.path import f4


@dataclass(frozen=True)
class ProjectedPath:
    """One training run's shadow on the plane: (α, β) per recorded step."""

    label: str
    color: str
    coords: np.ndarray  # (m, 2)
    steps: np.ndarray  # (m,) the step of each point


def title(n_params: int) -> str:
    """The honest label: what the picture is and is not."""
    return f"A 2D slice through a {n_params:,}-dimensional loss; the paths are projections"


def _levels(loss: np.ndarray) -> np.ndarray:
    """log10 of the loss, overflowed points at the highest finite level."""
    finite = np.isfinite(loss) & (loss > 0)
    top = float(np.max(loss[finite])) if finite.any() else 1.0
    return np.log10(np.where(finite, loss, top))


def landscape_figure(
    alphas: np.ndarray,
    betas: np.ndarray,
    loss: np.ndarray,
    paths: list[ProjectedPath],
    *,
    n_params: int,
    center_loss: float,
    theme: Theme = SCREEN,
    height: int = 520,
) -> dict:
    """Contours of log10 L(θ* + α d1 + β d2) over the grid, the trained weights at (0, 0), and
    each path as a line from its start (open circle) to its end (filled)."""
    alphas, betas = np.asarray(alphas, np.float64), np.asarray(betas, np.float64)
    z = _levels(np.asarray(loss, np.float64))
    data: list[dict] = [
        {
            "type": "contour",
            "name": "training loss",
            "x": f4(alphas),
            "y": f4(betas),
            "z": np.round(z, 5).tolist(),
            "colorscale": "Viridis",
            "ncontours": 24,
            "contours": {"coloring": "heatmap", "showlines": True},
            "line": {"width": 0.5, "color": "rgba(255,255,255,0.5)"},
            "colorbar": {"title": {"text": "log₁₀ loss"}, "thickness": 14},
            "showlegend": False,
            "hovertemplate": "α %{x:.3g}, β %{y:.3g}<br>log₁₀ loss %{z:.3f}<extra></extra>",
        }
    ]
    for p in paths:
        xy = np.asarray(p.coords, np.float64).reshape(-1, 2)
        if not len(xy):
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": p.label,
                "legendgroup": p.label,
                "x": f4(xy[:, 0]),
                "y": f4(xy[:, 1]),
                "customdata": np.asarray(p.steps, np.float64).tolist(),
                "line": {"color": p.color, "width": theme.line_width + 0.5},
                "hovertemplate": f"{p.label}<br>step %{{customdata:,}}<br>"
                "α %{x:.3g}, β %{y:.3g}<extra></extra>",
            }
        )
        ends = xy[[0, -1]]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{p.label}: start and end",
                "legendgroup": p.label,
                "showlegend": False,
                "x": f4(ends[:, 0]),
                "y": f4(ends[:, 1]),
                "marker": {
                    "color": p.color,
                    "size": theme.marker_size + 3,
                    "symbol": ["circle-open", "circle"],
                    "line": {"color": p.color, "width": 2},
                },
                "hoverinfo": "skip",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": f"trained weights θ* (loss {center_loss:.3g})",
            "x": [0.0],
            "y": [0.0],
            "marker": {
                "color": "#ffffff",
                "size": theme.minimum_size + 4,
                "symbol": "x",
                "line": {"color": "#000000", "width": 1.5},
            },  # fmt: skip
            "hoverinfo": "skip",
        }
    )
    layout = base_layout(theme, height)
    span = (float(alphas[0]), float(alphas[-1])), (float(betas[0]), float(betas[-1]))
    layout.update(
        title={
            "text": title(n_params),
            "font": {"size": theme.title_size},
            "x": 0,
            "y": 0.99,
            "yanchor": "top",
        },
        xaxis={
            **axis_style(theme),
            "range": list(span[0]),
            "title": {"text": "α (direction 1)"},
            "constrain": "domain",  # a square plot, not a wide frame around the square grid
        },
        yaxis={
            **axis_style(theme),
            "range": list(span[1]),
            "title": {"text": "β (direction 2)"},
            "scaleanchor": "x",
        },
    )
    layout["margin"] = margin = {**layout["margin"], "t": 96}  # the title, then the legend
    layout["legend"] = legend_above(height, margin)
    return {"data": data, "layout": layout}
