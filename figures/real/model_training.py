"""Training curves of the model page's network: loss and accuracy beside the rate they ran at.

Arrays in, Plotly figure dicts out; never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from figures.palette import SCREEN, Theme
from figures.real.model_layout import axis_style, base_layout
from figures.valley.path import f4


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

    @classmethod
    def of(cls, label: str, color: str, run) -> RunCurves:
        """The curves of a training result (anything with the fields above, e.g.
        `core.real.training.TrainResult`)."""
        return cls(
            label,
            color,
            run.eval_steps,
            run.train_loss,
            run.val_loss,
            run.lr,
            run.val_accuracy,
            run.diverged_at,
        )


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
