"""Basins of attraction: a grid of start points, each coloured by where its walker ended.

Every start is a square tile over the surface picture, coloured by the minimum its walker
settled in (one colour per minimum, the minimum's star in the same colour), black for a walker
that diverged and grey for one that did not settle. With a small rate the tiles reproduce the
valleys' watersheds; with a larger one, overshooting walkers land in other valleys and the
basins fray. Arrays in, Plotly figure dicts out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figures.palette import OKABE_ITO, SCREEN, Theme
from figures.surface import Domain, map_layout

# Minima get the Okabe-Ito colours that read well over viridis; black and grey mean "no basin".
BASIN_COLORS = tuple(
    OKABE_ITO[k] for k in ("vermillion", "sky", "orange", "green", "purple", "yellow", "blue")
)
DIVERGED_COLOR = "#000000"
UNSETTLED_COLOR = "#BBBBBB"


def basin_color(index: int) -> str:
    if index == -1:
        return DIVERGED_COLOR
    if index == -2:
        return UNSETTLED_COLOR
    return BASIN_COLORS[index % len(BASIN_COLORS)]


def basin_name(index: int, minima: Sequence) -> str:
    if index == -1:
        return "diverged"
    if index == -2:
        return "did not settle"
    m = minima[index]
    kind = "global" if m.is_global else "local"
    return f"minimum ({m.x:.3g}, {m.y:.3g}), {kind}"


def tile_size(domain: Domain, per_side: int, height: int) -> float:
    """Marker size (px) that makes the start tiles nearly touch on the plot."""
    (x0, x1), (y0, y1) = domain
    plot_h = height - 66  # map_layout's vertical margins
    # Equal aspect: the longer side in data units sets the scale.
    px_per_unit = plot_h / max(y1 - y0, (x1 - x0) * 0.75)
    return max(3.0, 0.92 * px_per_unit * min(x1 - x0, y1 - y0) / per_side)


def basins_figure(
    domain: Domain,
    starts: np.ndarray,
    basin: np.ndarray,
    minima: Sequence,
    *,
    per_side: int,
    background: str | None = None,
    theme: Theme = SCREEN,
    title: str | None = None,
    height: int = 500,
) -> dict:
    """One tile trace per basin (its legend entry), then the minima as stars in their colours."""
    starts = np.asarray(starts, dtype=np.float64)
    basin = np.asarray(basin, dtype=int)
    size = tile_size(domain, per_side, height)
    data = []
    order = [*range(len(minima)), -1, -2]
    for k in order:
        chosen = basin == k
        if not chosen.any():
            continue
        share = chosen.mean()
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{basin_name(k, minima)}: {share:.0%}",
                "x": starts[chosen, 0].tolist(),
                "y": starts[chosen, 1].tolist(),
                "marker": {
                    "symbol": "square",
                    "size": size,
                    "color": basin_color(k),
                    "opacity": 0.62,
                    "line": {"width": 0},
                },
                "meta": {"basin": k},
                "hovertemplate": f"start (%{{x:.3g}}, %{{y:.3g}})<br>{basin_name(k, minima)}"
                "<extra></extra>",
            }
        )
    if minima:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "minima",
                "x": [float(m.x) for m in minima],
                "y": [float(m.y) for m in minima],
                "marker": {
                    "symbol": ["star" if m.is_global else "star-open-dot" for m in minima],
                    "size": theme.minimum_size + 4,
                    "color": [basin_color(i) for i in range(len(minima))],
                    "line": {"color": "#FFFFFF", "width": 2},
                },
                "meta": {"basin": "minima"},
                "hovertemplate": "minimum (%{x:.4g}, %{y:.4g})<extra></extra>",
                "showlegend": False,
            }
        )
    layout = map_layout(domain, theme, title=title, image=background, height=height)
    layout["legend"] |= {"orientation": "h", "y": -0.12, "yanchor": "top"}
    layout["margin"] = {**layout["margin"], "b": 40}
    layout["uirevision"] = "basins"
    return {"data": data, "layout": layout}
