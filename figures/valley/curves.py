"""Loss against step (log scale) and the learning rate against step, one figure dict.

The loss is drawn as its gap above the lowest known value, f - f*, so a log axis works on
surfaces whose minimum is zero, negative or anything else, and "converged" reads as a line
falling by orders of magnitude. A vertical cursor (layout shape 0) marks the current frame;
the player moves it.
"""

from __future__ import annotations

import numpy as np

from figures.palette import SCREEN, Theme, spaced_axes
from figures.valley.path import f4

GAP_FLOOR = 1e-15  # smallest gap drawn: below it float round-off, not progress
# The loss axis's tick count in large type (Plotly's nticks, range / nticks its step in decades):
# 2 and 5 between powers of ten only up to 3.5 decades, where they stand at least 8.6 % of the
# axis apart (26 px on a 300 px plot, more than a 22 px label needs); powers of ten beyond.
LOG_TICKS = 5


def loss_gap(loss: np.ndarray, floor: float | None) -> tuple[np.ndarray, str]:
    """(values to plot on a log axis, axis title) for a loss curve."""
    loss = np.asarray(loss, dtype=np.float64)
    low = float(np.min(loss))
    if floor is None:
        if low > 0:  # nothing known below: the loss itself is the honest quantity
            return loss, "loss f (log)"
        base = low - 1e-6 * max(float(np.ptp(loss)), 1.0)
    else:
        base = min(float(floor), low)
    title = "loss f (log)" if base == 0 else "f − f* (log)"
    return np.maximum(loss - base, GAP_FLOOR), title


def curves_figure(
    loss: np.ndarray,
    lr: np.ndarray | None = None,
    *,
    floor: float | None = None,
    theme: Theme = SCREEN,
    color: str = "#D55E00",
    height: int = 520,
    diverged_at: int | None = None,
) -> dict:
    """Loss gap against step; with ``lr`` given, the rate against step in a panel below."""
    y, title = loss_gap(loss, floor)
    steps = np.arange(len(y))
    has_lr = lr is not None and len(lr) > 0
    split = 0.42 if has_lr else 0.0
    axis = {
        "showline": True,
        "mirror": True,
        "linecolor": theme.text_color,
        "gridcolor": theme.grid_color,
        "ticks": "outside",
        "tickfont": {"size": theme.font_size},
        "fixedrange": True,
    }
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "loss",
            "x": f4(steps),
            "y": f4(y),
            "line": {"color": color, "width": theme.line_width},
            "hovertemplate": "step %{x}<br>" + title.replace(" (log)", "") + " = %{y:.3g}"
            "<extra></extra>",
            "xaxis": "x",
            "yaxis": "y",
        }
    ]
    layout = {
        "height": height,
        "margin": {"l": 70, "r": 16, "t": 16, "b": 50},
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": theme.paper_color,
        "showlegend": False,
        "hovermode": "x",
        "xaxis": {
            **axis,
            "range": [0, max(1, len(y) - 1)],
            "anchor": "y",
            "title": {"text": "" if has_lr else "step"},
            "showticklabels": not has_lr,
            **({"matches": "x2"} if has_lr else {}),
        },
        "yaxis": {
            **axis,
            "type": "log",
            "exponentformat": "power",
            # Plotly spaces its automatic ticks for small type; at a projector's type a noisy
            # run's 6 decades got 2 and 5 between the powers of ten, drawn over them.
            **({"nticks": LOG_TICKS} if theme.font_size > SCREEN.font_size else {}),
            "domain": [split + (0.08 if has_lr else 0.0), 1.0],
            "title": {"text": title},
        },
        "shapes": [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": len(y) - 1,
                "x1": len(y) - 1,
                "y0": 0,
                "y1": 1,
                "line": {"color": theme.text_color, "width": 1.5, "dash": "dot"},
            }
        ],
        "uirevision": "curves",
    }
    if diverged_at is not None:
        layout["annotations"] = [
            {
                "x": min(diverged_at, len(y) - 1),
                "y": 1,
                "xref": "x",
                "yref": "y domain",
                "text": "diverged",
                "showarrow": False,
                "yanchor": "top",
                "xanchor": "right",
                "font": {"size": theme.font_size, "color": "#000000"},
            }
        ]
    if has_lr:
        rate = np.asarray(lr, dtype=np.float64)
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": "learning rate",
                "x": f4(np.arange(len(rate))),
                "y": f4(rate),
                "line": {"color": "#0072B2", "width": theme.line_width, "shape": "hv"},
                "hovertemplate": "step %{x}<br>η = %{y:.4g}<extra></extra>",
                "xaxis": "x2",
                "yaxis": "y2",
            }
        )
        layout["xaxis2"] = {
            **axis,
            "anchor": "y2",
            "range": [0, max(1, len(y) - 1)],
            "title": {"text": "step"},
        }
        layout["yaxis2"] = {
            **axis,
            "domain": [0.0, split],
            "title": {"text": "learning rate η"},
            "rangemode": "tozero",
            "exponentformat": "power",
        }
    return {"data": data, "layout": spaced_axes(layout, theme)}
