"""Figures of the model page's real valley: the line's loss drawn with the playground's own
surface picture and path traces, mini-batch clouds, and the batch-size noise study.

Arrays in, Plotly figure dicts out. Never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from figures.palette import OKABE_ITO, SCREEN, Theme
from figures.real.model import axis_style, base_layout, legend_above
from figures.valley.path import PathSpec, f4, map_figure, path_trace
from figures.valley.surface import Domain, data_uri, surface_png


def valley_background(fn: Callable, domain: Domain, floor: float, theme: Theme = SCREEN) -> str:
    """The real valley as the playground draws any surface: a contour picture (data URI).

    The picture is rendered on the unit square and stretched over ``domain``, so it keeps its
    full resolution when the two axes have very different units (w and b of raw features).
    """
    (x0, x1), (y0, y1) = domain
    unit = ((0.0, 1.0), (0.0, 1.0))
    return data_uri(
        surface_png(
            lambda u, v: fn(x0 + u * (x1 - x0), y0 + v * (y1 - y0)), unit, floor=floor, theme=theme
        )
    )


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
    layout["legend"] |= legend_above(height, layout["margin"])  # rows above the map, not on it
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
    layout = base_layout(theme, height) | {
        "xaxis": axis_style(theme)
        | {"type": "log", "title": {"text": "batch size (log)"}, "tickvals": list(batch_sizes)},
        "yaxis": axis_style(theme)
        | {
            "type": "log",
            "exponentformat": "power",
            "dtick": 1,
            "title": {"text": "loss above the minimum, f − f* (log)"},
        },
    }
    return {"data": data, "layout": layout}
