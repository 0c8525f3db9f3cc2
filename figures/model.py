"""Figures of the model page: the range test, training curves beside the rate, the real valley.

Arrays in, Plotly figure dicts out, in the style of the playground's builders (whose surface
picture and path traces the real valley reuses). Never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from figures.palette import OKABE_ITO, SCREEN, Theme
from figures.path import PathSpec, f4, map_figure, path_trace
from figures.surface import Domain, data_uri, surface_png

# One colour per suggestion rule, kept apart from the curve's black and grey.
SUGGESTION_STYLE = {
    "steepest": (OKABE_ITO["vermillion"], "steepest descent"),
    "minimum": (OKABE_ITO["blue"], "minimum / 10"),
    "valley": (OKABE_ITO["green"], "valley"),
}


def _axis(theme: Theme) -> dict:
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


def _base_layout(theme: Theme, height: int) -> dict:
    return {
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 40, "b": 56},
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": theme.paper_color,
        "hovermode": "closest",
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
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
    finite = smoothed[np.isfinite(smoothed)]
    top = float(finite.max()) if finite.size else 1.0
    layout = _base_layout(theme, height) | {
        "xaxis": _axis(theme)
        | {"type": "log", "exponentformat": "power", "title": {"text": "learning rate (log)"}},
        "yaxis": _axis(theme) | {"range": [0, 1.08 * top], "title": {"text": "training loss"}},
        "shapes": shapes,
    }
    return {"data": data, "layout": layout}


@dataclass(frozen=True)
class RunCurves:
    """One training run to draw."""

    label: str
    color: str
    train_loss: np.ndarray
    val_loss: np.ndarray
    lr: np.ndarray
    val_accuracy: np.ndarray | None = None
    diverged_at: int | None = None


def training_figure(
    runs: Sequence[RunCurves], *, theme: Theme = SCREEN, height: int = 420, steps: int | None = None
) -> dict:
    """Three panels side by side: training (solid) and validation (dashed) loss, held-out
    accuracy (for classifiers), and the rate of every step."""
    has_acc = any(r.val_accuracy is not None for r in runs)
    edges = [(0.0, 0.44), (0.52, 0.72), (0.80, 1.0)] if has_acc else [(0.0, 0.58), (0.68, 1.0)]
    loss_x, rate_x = edges[0], edges[-1]
    last = steps or max(len(r.lr) for r in runs)
    data: list[dict] = []
    annotations: list[dict] = []
    for run in runs:
        k = np.arange(len(run.train_loss))
        for curve, dash, what in (
            (run.train_loss, "solid", "training"),
            (run.val_loss, "dash", "validation"),
        ):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{run.label}: {what}",
                    "legendgroup": run.label,
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
                    "x": f4(np.arange(len(run.val_accuracy))),
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
    layout = _base_layout(theme, height) | {
        "xaxis": _axis(theme) | {"domain": loss_x, "range": steps_range, "title": {"text": "step"}},
        "yaxis": _axis(theme)
        | {"type": "log", "exponentformat": "power", "title": {"text": "loss (log)"}},
        "annotations": annotations,
    }
    rate_axes = ("xaxis3", "yaxis3", "y3") if has_acc else ("xaxis2", "yaxis2", "y2")
    if has_acc:
        layout["xaxis2"] = _axis(theme) | {
            "domain": edges[1],
            "anchor": "y2",
            "range": steps_range,
            "title": {"text": "step"},
        }
        layout["yaxis2"] = _axis(theme) | {
            "anchor": "x2",
            "range": [0, 100],
            "title": {"text": "held-out accuracy (%)"},
        }
    layout[rate_axes[0]] = _axis(theme) | {
        "domain": rate_x,
        "anchor": rate_axes[2],
        "range": steps_range,
        "title": {"text": "step"},
    }
    layout[rate_axes[1]] = _axis(theme) | {
        "anchor": rate_axes[0].replace("axis", ""),
        "type": "log",
        "exponentformat": "power",
        "title": {"text": "learning rate η (log)"},
    }
    return {"data": data, "layout": layout}


def valley_background(fn: Callable, domain: Domain, floor: float, theme: Theme = SCREEN) -> str:
    """The real valley as the playground draws any surface: a contour picture (data URI)."""
    return data_uri(surface_png(fn, domain, floor=floor, theme=theme))


def valley_figure(
    domain: Domain,
    background: str,
    minima: Sequence,
    gd_path: PathSpec | None,
    clouds: Sequence[tuple[str, str, Sequence[np.ndarray]]] = (),
    *,
    axis_titles: tuple[str, str] = ("w (slope)", "b (intercept)"),
    equal_aspect: bool = True,
    tail: float = 0.5,
    theme: Theme = SCREEN,
    title: str | None = None,
    height: int = 520,
) -> dict:
    """The real valley with the playground's map: full-batch gradient descent as a path with a
    dot per step, each mini-batch run as a thin line, and the last ``tail`` of every mini-batch
    run as a cloud of dots: how widely the noisy steps scatter around the minimum."""
    fig = map_figure(
        domain,
        [gd_path] if gd_path is not None else [],
        background=background,
        minima=minima,
        theme=theme,
        title=title,
        height=height,
    )
    extra = []
    for label, color, paths in clouds:
        for i, path in enumerate(paths):
            spec = PathSpec(np.asarray(path), label, color)
            trace = path_trace(spec, theme, markers=False)
            trace["line"] = trace["line"] | {"width": max(1.0, theme.line_width / 2)}
            trace["opacity"] = 0.45
            trace["legendgroup"] = label
            trace["showlegend"] = i == 0
            extra.append(trace)
        ends = np.concatenate([np.asarray(p)[int(len(p) * (1 - tail)) :] for p in paths])
        extra.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{label}: last {round(100 * tail)}% of steps",
                "legendgroup": label,
                "x": f4(ends[:, 0]),
                "y": f4(ends[:, 1]),
                "marker": {"size": theme.marker_size - 1, "color": color, "opacity": 0.7},
                "hoverinfo": "skip",
            }
        )
    fig["data"] = extra + fig["data"]  # the gradient-descent path and the minimum stay on top
    layout = fig["layout"]
    layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"] = axis_titles
    if not equal_aspect:
        for axis in ("xaxis", "yaxis"):
            for key in ("scaleanchor", "scaleratio", "constrain"):
                layout[axis].pop(key, None)
    return fig


def batch_noise_figure(
    batch_sizes: Sequence[int],
    excess: dict[float, Sequence[float | None]],
    *,
    theme: Theme = SCREEN,
    height: int = 360,
) -> dict:
    """How far above the minimum mini-batch SGD hovers, against batch size, one line per rate
    (log-log): the noise grows as the batch shrinks and shrinks with the rate."""
    colors = (OKABE_ITO["vermillion"], OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["purple"])
    data = []
    for i, (rate, values) in enumerate(excess.items()):
        y = [None if v is None or not np.isfinite(v) else float(v) for v in values]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": f"η = {rate:.3g}",
                "x": [int(b) for b in batch_sizes],
                "y": y,
                "line": {"color": colors[i % len(colors)], "width": theme.line_width},
                "marker": {"size": theme.marker_size + 2},
                "hovertemplate": f"η = {rate:.3g}<br>batch %{{x}}<br>f − f* = %{{y:.3g}}"
                "<extra></extra>",
            }
        )
    layout = _base_layout(theme, height) | {
        "xaxis": _axis(theme)
        | {"type": "log", "title": {"text": "batch size (log)"}, "tickvals": list(batch_sizes)},
        "yaxis": _axis(theme)
        | {
            "type": "log",
            "exponentformat": "power",
            "title": {"text": "loss above the minimum, f − f* (log)"},
        },
    }
    return {"data": data, "layout": layout}
