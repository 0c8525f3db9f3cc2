"""Figures of the model page's network: the range test, and training curves beside the rate.

Arrays in, Plotly figure dicts out, in the style of the playground's builders. Never imports
Streamlit. The real valley's figures are in `figures.model_valley`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.catalog.range_test import RULE_TITLES
from figures.palette import OKABE_ITO, SCREEN, Theme
from figures.path import f4

# One colour per suggestion rule, kept apart from the curve's black and grey; the catalog's title.
_RULE_COLOR = {"steepest": "vermillion", "minimum": "blue", "valley": "green"}
SUGGESTION_STYLE = {name: (OKABE_ITO[_RULE_COLOR[name]], RULE_TITLES[name]) for name in RULE_TITLES}


def axis_style(theme: Theme) -> dict:
    return {
        "showline": True,
        "mirror": True,
        "linecolor": theme.text_color,
        "gridcolor": theme.grid_color,
        "ticks": "outside",
        "tickfont": {"size": theme.font_size},
        "fixedrange": True,
        "title": {"font": {"size": theme.font_size}},
    }


LEGEND_GAP = 14  # px between the legend's last row and the top of the plot area


def legend_above(height: int, margin: dict) -> dict:
    """A horizontal legend wholly above the plot area: its lowest row ``LEGEND_GAP`` px above
    the plot's top edge (Plotly grows the top margin to fit its rows), on a clear background,
    so neither the legend nor its box ever covers a curve, a tick or the frame."""
    plot_height = max(height - margin["t"] - margin["b"], 1)
    return {
        "orientation": "h",
        "x": 0,
        "y": 1 + LEGEND_GAP / plot_height,  # paper coordinates: 1 is the plot's top edge
        "yanchor": "bottom",
        "bgcolor": "rgba(0,0,0,0)",
    }


def base_layout(theme: Theme, height: int) -> dict:
    margin = {"l": 70, "r": 20, "t": 40, "b": 56}
    return {
        "height": height,
        "margin": margin,
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": theme.paper_color,
        "hovermode": "closest",
        "legend": legend_above(height, margin),
    }


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


@dataclass(frozen=True)
class RunCurves:
    """One training run to draw."""

    label: str
    color: str
    eval_steps: np.ndarray  # the steps at which the losses (and accuracy) were measured
    train_loss: np.ndarray
    val_loss: np.ndarray
    lr: np.ndarray
    val_accuracy: np.ndarray | None = None
    diverged_at: int | None = None


def _key_trace(name: str, dash: str, theme: Theme) -> dict:
    """A legend-only entry explaining a line style."""
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [None],
        "y": [None],
        "line": {"color": theme.text_color, "width": theme.line_width, "dash": dash},
        "hoverinfo": "skip",
    }


def training_figure(
    runs: Sequence[RunCurves], *, theme: Theme = SCREEN, height: int = 620, steps: int | None = None
) -> dict:
    """Training (solid) and validation (dashed) loss across the top; below it, side by side,
    held-out accuracy (for classifiers) and the rate of every step. One colour per run."""
    has_acc = any(r.val_accuracy is not None for r in runs)
    last = steps or max(len(r.lr) for r in runs)
    data: list[dict] = [
        _key_trace("training", "solid", theme),
        _key_trace("validation", "dash", theme),
    ]
    annotations: list[dict] = []
    for run in runs:
        k = np.asarray(run.eval_steps)
        for curve, dash, what in (
            (run.train_loss, "solid", "training"),
            (run.val_loss, "dash", "validation"),
        ):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": run.label,
                    "legendgroup": run.label,
                    "showlegend": what == "training",
                    "x": f4(k),
                    "y": f4(np.maximum(curve, 1e-12)),
                    "line": {"color": run.color, "width": theme.line_width, "dash": dash},
                    "hovertemplate": f"{run.label}<br>step %{{x}}<br>{what} loss %{{y:.4g}}"
                    "<extra></extra>",
                    "xaxis": "x",
                    "yaxis": "y",
                }
            )
        if run.diverged_at is not None:
            annotations.append(
                {
                    "x": float(k[-1]),
                    "y": float(np.log10(max(run.train_loss[-1], 1e-12))),
                    "xref": "x",
                    "yref": "y",
                    "text": f"blew up at step {run.diverged_at}",
                    "showarrow": True,
                    "ax": 30,
                    "ay": 20,
                    "xanchor": "left",
                    "arrowcolor": run.color,
                    "font": {"color": run.color, "size": theme.font_size},
                }
            )
        if has_acc and run.val_accuracy is not None:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{run.label}: accuracy",
                    "legendgroup": run.label,
                    "showlegend": False,
                    "x": f4(k),
                    "y": f4(100 * run.val_accuracy),
                    "line": {"color": run.color, "width": theme.line_width},
                    "hovertemplate": f"{run.label}<br>step %{{x}}<br>held-out accuracy %{{y:.1f}}%"
                    "<extra></extra>",
                    "xaxis": "x2",
                    "yaxis": "y2",
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{run.label}: rate",
                "legendgroup": run.label,
                "showlegend": False,
                "x": f4(np.arange(len(run.lr))),
                "y": f4(run.lr),
                "line": {"color": run.color, "width": theme.line_width, "shape": "hv"},
                "hovertemplate": f"{run.label}<br>step %{{x}}<br>η = %{{y:.3g}}<extra></extra>",
                "xaxis": "x3" if has_acc else "x2",
                "yaxis": "y3" if has_acc else "y2",
            }
        )
    steps_range = [0, max(1, last)]
    top, bottom = (0.5, 1.0), (0.0, 0.36)
    layout = base_layout(theme, height) | {
        "xaxis": axis_style(theme)
        | {"domain": [0, 1], "anchor": "y", "range": steps_range, "title": {"text": "step"}},
        "yaxis": axis_style(theme)
        | {
            "domain": top,
            "type": "log",
            "exponentformat": "power",
            "dtick": 1,
            "title": {"text": "loss (log)"},
        },
        "annotations": annotations,
    }
    rate_x = (0.58, 1.0) if has_acc else (0.0, 1.0)
    rate_axes = ("xaxis3", "yaxis3", "x3", "y3") if has_acc else ("xaxis2", "yaxis2", "x2", "y2")
    if has_acc:
        layout["xaxis2"] = axis_style(theme) | {
            "domain": (0.0, 0.42),
            "anchor": "y2",
            "range": steps_range,
            "title": {"text": "step"},
        }
        layout["yaxis2"] = axis_style(theme) | {
            "domain": bottom,
            "anchor": "x2",
            "range": [0, 100],
            "title": {"text": "held-out accuracy (%)"},
        }
    layout[rate_axes[0]] = axis_style(theme) | {
        "domain": rate_x,
        "anchor": rate_axes[3],
        "range": steps_range,
        "title": {"text": "step"},
    }
    layout[rate_axes[1]] = axis_style(theme) | {
        "domain": bottom,
        "anchor": rate_axes[2],
        "type": "log",
        "exponentformat": "power",
        "dtick": 1,
        "title": {"text": "learning rate η (log)"},
    }
    return {"data": data, "layout": layout}
