"""Figures of the model page's network: the range test (training curves:
`figures.real.model_training`,
the shared look: `figures.real.model_layout`, both importable from here).

Arrays in, Plotly figure dicts out, in the style of the playground's builders. Never imports
Streamlit. The real valley's figures are in `figures.real.model_valley`.
"""

from __future__ import annotations

import numpy as np

from core.catalog.range_test import RULE_TITLES
from figures.palette import OKABE_ITO, SCREEN, Theme
from figures.real.model_layout import LEGEND_GAP, axis_style, base_layout, legend_above  # noqa: F401
from figures.real.model_training import RunCurves, training_figure  # noqa: F401
from figures.valley.path import f4

# One colour per suggestion rule, kept apart from the curve's black and grey; the catalog's title.
_RULE_COLOR = {"steepest": "vermillion", "minimum": "blue", "valley": "green"}
SUGGESTION_STYLE = {name: (OKABE_ITO[_RULE_COLOR[name]], RULE_TITLES[name]) for name in RULE_TITLES}


def _log_interp(x: float, xs: np.ndarray, ys: np.ndarray) -> float:
    return float(np.interp(np.log(x), np.log(xs), ys))


def range_test_figure(
    lr: np.ndarray,
    loss: np.ndarray,
    smoothed: np.ndarray,
    suggestions: dict,
    *,
    theme: Theme = SCREEN,
    height: int = 440,
) -> dict:
    """Loss against rate on a log axis: raw losses faint, the smoothed curve bold, and each
    suggestion (objects with lr, mark_lr, mark_loss, or None) as a dotted line and a dot."""
    lr, loss, smoothed = (np.asarray(a, np.float64) for a in (lr, loss, smoothed))
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "loss of each batch",
            "x": f4(lr),
            "y": f4(loss),
            "line": {"color": "rgba(0,0,0,0.25)", "width": 1},
            "hovertemplate": "rate %{x:.3g}<br>batch loss %{y:.4g}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "smoothed (EMA, β = 0.98)",
            "x": f4(lr),
            "y": f4(smoothed),
            "line": {"color": "#000000", "width": theme.line_width + 0.5},
            "hovertemplate": "rate %{x:.3g}<br>smoothed loss %{y:.4g}<extra></extra>",
        },
    ]
    shapes = []
    for name, suggestion in suggestions.items():
        if suggestion is None:
            continue
        color, title = SUGGESTION_STYLE[name]
        y = _log_interp(suggestion.lr, lr, smoothed)
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{title}: {suggestion.lr:.2g}",
                "x": [suggestion.lr],
                "y": [y],
                "marker": {
                    "size": theme.marker_size + 8,
                    "color": color,
                    "line": {"color": "#FFFFFF", "width": 1.5},
                },
                "hovertemplate": f"{title}<br>rate %{{x:.3g}}<extra></extra>",
            }
        )
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": suggestion.lr,
                "x1": suggestion.lr,
                "y0": 0,
                "y1": 1,
                "line": {"color": color, "width": 1.5, "dash": "dot"},
            }
        )
        if name == "minimum":  # the lowest point itself, which the rule divides by ten
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": "lowest smoothed loss",
                    "x": [suggestion.mark_lr],
                    "y": [suggestion.mark_loss],
                    "marker": {
                        "size": theme.marker_size + 6,
                        "color": "rgba(0,0,0,0)",
                        "line": {"color": color, "width": 2.5},
                    },
                    "hovertemplate": "lowest smoothed loss<br>rate %{x:.3g}<extra></extra>",
                }
            )
    # As fastai's plot, leave the last few points (the blow-up) out of the vertical range: they
    # run off the top, and the part of the curve that matters keeps its height.
    body = smoothed[: max(len(smoothed) - 5, 1)]
    top = 1.25 * float(np.max(body)) if body.size else 1.0
    layout = base_layout(theme, height) | {
        "xaxis": axis_style(theme)
        | {"type": "log", "exponentformat": "power", "title": {"text": "learning rate (log)"}},
        "yaxis": axis_style(theme) | {"range": [0, top], "title": {"text": "training loss"}},
        "shapes": shapes,
    }
    return {"data": data, "layout": layout}
