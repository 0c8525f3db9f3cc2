"""The learning-rate U-curve: final loss against the rate, shaded by outcome, with theory's lines.

Too small a rate creeps (the loss is still high when the steps run out), a good one converges,
a larger one oscillates, and past the critical rate it diverges: final loss against the rate on
a log axis is U-shaped. The y axis shows the loss above the surface's lowest known value, so
"reached the floor" reads as a drop of many decades.

Shapes on a log axis take data values (annotations would need log10 values, plotly.js #1258),
so labels ride on the shapes themselves. Arrays in, Plotly figure dicts out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from core.catalog.statuses import STATUS_COLOR, STATUS_VERB, STATUSES
from figures.palette import SCREEN, Theme, optimizer_style, spaced_axes

# Outcome bands: colour and words (the words carry the meaning; colour only helps), from the
# one vocabulary in core/catalog/statuses.py, so the bands say what the badge says.
REGION_STYLE = {s: (STATUS_COLOR[s][0], STATUS_VERB[s]) for s in STATUSES}
GAP_FLOOR = 1e-12  # losses closer than this to the floor are drawn at it
LABEL_MIN_SHARE = 0.07  # bands narrower than this share of the axis stay unlabelled


def loss_gap(loss: np.ndarray, floor: float | None) -> np.ndarray:
    """Loss above the floor (clipped at GAP_FLOOR), or the loss itself without a floor."""
    loss = np.asarray(loss, dtype=np.float64)
    if floor is None:
        return loss
    return np.maximum(loss - floor, GAP_FLOOR)


def _points(values: np.ndarray, keep: np.ndarray) -> list:
    return [float(v) if k and np.isfinite(v) else None for v, k in zip(values, keep, strict=True)]


def curve_traces(
    lrs: np.ndarray,
    result: Mapping[str, np.ndarray],
    *,
    name: str,
    optimizer: str,
    color: str,
    floor: float | None,
    theme: Theme = SCREEN,
    best: bool = False,
) -> list[dict]:
    """One optimizer's final-loss curve (clickable points) and, with `best`, its best loss."""
    status = np.asarray(result["status"])
    style = optimizer_style(optimizer)
    alive = status != "diverged"
    words = [REGION_STYLE.get(s, (None, s))[1] for s in status]
    y_label = "loss above the minimum" if floor is not None else "final loss"
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": f"{name}: final loss",
            "x": [float(v) for v in lrs],
            "y": _points(loss_gap(result["final_loss"], floor), alive),
            "customdata": [[optimizer, w] for w in words],
            # The optimizer's own dash and marker: its curve is told apart without its colour.
            "line": {"color": color, "width": theme.line_width, "dash": style.dash},
            "marker": {
                "color": color,
                "size": max(4, theme.marker_size - 2),
                "symbol": style.symbol,
            },
            "connectgaps": False,
            "meta": {"role": "final", "optimizer": optimizer},
            "hovertemplate": f"{name}<br>rate %{{x:.4g}}<br>{y_label} %{{y:.3g}}<br>"
            "%{customdata[1]}<br>click to open in the playground<extra></extra>",
        }
    ]
    if "final_loss_lo" in result:  # noisy gradients: the median over seeds, and its band
        traces[0]["name"] = f"{name}: median final loss"
        traces = band_traces(lrs, result, name, optimizer, color, floor, alive) + traces
    if best:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{name}: best loss on the way",
                "x": [float(v) for v in lrs],
                "y": _points(loss_gap(result["best_loss"], floor), np.ones(len(lrs), bool)),
                "line": {"color": color, "width": max(1.0, theme.line_width - 1), "dash": "dot"},
                "meta": {"role": "best", "optimizer": optimizer},
                "hoverinfo": "skip",
            }
        )
    return traces


def band_traces(lrs, result, name: str, optimizer: str, color: str, floor, alive) -> list[dict]:
    """With noisy gradients: the 10th-90th percentile band of the final loss over the seeds
    (`core.valley.sweeps.BAND`), drawn as a translucent fill between two invisible lines."""
    seeds = int(np.asarray(result.get("seeds", [0]))[0])
    xs = [float(v) for v in lrs]
    edge = {"type": "scatter", "mode": "lines", "x": xs, "hoverinfo": "skip"}
    edge["line"] = {"width": 0, "color": color}
    low = {
        **edge,
        "y": _points(loss_gap(result["final_loss_lo"], floor), alive),
        "name": f"{name}: 10th percentile",
        "showlegend": False,
        "meta": {"role": "band_low", "optimizer": optimizer},
    }
    high = {
        **edge,
        "y": _points(loss_gap(result["final_loss_hi"], floor), alive),
        "name": f"{name}: 10th-90th percentile over {seeds} seeds",
        "fill": "tonexty",
        "fillcolor": _translucent(color, 0.22),
        "meta": {"role": "band_high", "optimizer": optimizer},
    }
    return [low, high]


def _translucent(color: str, alpha: float) -> str:
    """#RRGGBB as an rgba() with the given opacity."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def region_shapes(regions: Sequence, lr_range: tuple[float, float], theme: Theme) -> list[dict]:
    """Translucent vertical bands, one per run of equal outcome, labelled when wide enough."""
    span = np.log10(lr_range[1]) - np.log10(lr_range[0])
    shapes = []
    for r in regions:
        color, words = REGION_STYLE.get(r.status, ("#999999", r.status))
        wide = (np.log10(r.hi) - np.log10(r.lo)) / span >= LABEL_MIN_SHARE
        shape = {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": r.lo,
            "x1": r.hi,
            "y0": 0,
            "y1": 1,
            "fillcolor": color,
            "opacity": 0.16,
            "layer": "below",
            "line": {"width": 0},
            "name": f"region-{r.status}",
        }
        if wide:
            shape["label"] = {
                "text": words,
                "textposition": "bottom center",  # the top holds the rate lines' labels
                "font": {"size": theme.font_size, "color": theme.text_color},
            }
        shapes.append(shape)
    return shapes


def vline(
    x: float,
    text: str,
    color: str,
    dash: str,
    width: float,
    name: str,
    theme: Theme,
    where: str = "end",
):
    """A full-height vertical line at rate x with a label along it."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "width": width, "dash": dash},
        "name": name,
        "label": {
            "text": text,
            "textangle": -90,
            "textposition": where,
            "xanchor": "right",
            "font": {"size": max(10, theme.font_size - 1), "color": color},
        },
    }


def ucurve_figure(
    lrs: np.ndarray,
    curves: Sequence[dict],
    *,
    regions: Sequence = (),
    critical: Mapping[str, float] | None = None,
    titles: Mapping[str, str] | None = None,
    current_lr: float | None = None,
    floor: float | None = None,
    theme: Theme = SCREEN,
    title: str | None = None,
    height: int = 480,
) -> dict:
    """The U-curve. `curves` are trace dicts from `curve_traces`; `regions` the focus
    optimizer's outcome bands; `critical` maps optimizer -> critical rate (vertical dashes)."""
    lrs = np.asarray(lrs, dtype=np.float64)
    lr_range = (float(lrs.min()), float(lrs.max()))
    shapes = region_shapes(regions, lr_range, theme)
    titles = titles or {}
    colors = {c["meta"]["optimizer"]: c["line"]["color"] for c in curves}
    for name, lr in (critical or {}).items():
        if lr is not None and lr_range[0] <= lr <= lr_range[1]:
            label = f"critical rate, {titles.get(name, name)}: {lr:.3g}"
            color = colors.get(name, theme.text_color)
            shapes.append(vline(lr, label, color, "dash", 2.0, f"critical-{name}", theme))
    if current_lr is not None:
        shapes.append(
            vline(
                current_lr,
                f"your rate {current_lr:.3g}",
                "#000000",
                "solid",
                2.5,
                "current",
                theme,
            )
        )
    log_y = floor is not None
    axis = {
        "showgrid": True,
        "gridcolor": theme.grid_color,
        "zeroline": False,
        "ticks": "outside",
        "showline": True,
        "linecolor": theme.text_color,
        "mirror": True,
        "tickfont": {"size": theme.font_size},
    }
    layout = {
        "xaxis": {
            **axis,
            "type": "log",
            "range": [np.log10(lr_range[0]), np.log10(lr_range[1])],
            "title": {"text": "learning rate (log scale)", "font": {"size": theme.font_size}},
            "exponentformat": "power",
            # A label a decade: plotly's 2 and 5 between them crowd the powers at large type
            # ("10^-5 2" read as 10^-52 on a projector).
            "dtick": 1,
        },
        "yaxis": {
            **axis,
            "type": "log" if log_y else "linear",
            "title": {
                "text": "final loss above the minimum" if log_y else "final loss",
                "font": {"size": theme.font_size},
            },
            "exponentformat": "power",
        },
        "shapes": shapes,
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 50 if title else 30, "b": 60},
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": "#FFFFFF",
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": False,
        "showlegend": True,
        # Above the plot: below it, the legend would cover the x axis's title.
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "font": {"size": theme.font_size},
        },
        # Machine-readable facts for tests and tools: where the lines were drawn.
        "meta": {
            "critical": {k: v for k, v in (critical or {}).items() if v is not None},
            "current_lr": current_lr,
        },
    }
    if title:
        layout["title"] = {"text": title, "font": {"size": theme.title_size}, "x": 0.01}
    return {"data": list(curves), "layout": spaced_axes(layout, theme)}
