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
from figures.valley.surface import Domain, map_layout

# Minima get the Okabe-Ito colours that read well over viridis; black and grey mean "no basin".
BASIN_COLORS = tuple(
    OKABE_ITO[k] for k in ("vermillion", "sky", "orange", "green", "purple", "yellow", "blue")
)
DIVERGED_COLOR = "#000000"
DIVERGED_OPACITY = 0.9  # over the translucent tile: black within a few percent
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


def _grid_axes(starts: np.ndarray, per_side: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct x and y of a per_side x per_side grid of starts (row-major, y outer)."""
    xs = starts[:per_side, 0]
    ys = starts[::per_side, 1]
    return xs, ys


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
    """The grid of starts as translucent tiles (a heatmap of basin codes, so tiles fill their
    cells at any size) over the surface, a legend entry per basin with its share, then the
    minima as stars in their basins' colours. `starts` is `core.valley.sweeps.grid_starts` order."""
    starts = np.asarray(starts, dtype=np.float64)
    basin = np.asarray(basin, dtype=int)
    if len(starts) != per_side * per_side:
        raise ValueError(f"Expected {per_side}x{per_side} starts; got {len(starts)}.")
    xs, ys = _grid_axes(starts, per_side)
    codes = [*range(len(minima)), -1, -2]
    slot = {k: i for i, k in enumerate(codes)}  # basin code -> colour slot 0..n+1
    z = np.vectorize(slot.get)(basin).reshape(per_side, per_side)
    n = len(codes)
    scale = []
    for i, k in enumerate(codes):  # a stepped colourscale: one flat band per slot
        scale += [[i / n, basin_color(k)], [(i + 1) / n, basin_color(k)]]
    names = np.array([basin_name(k, minima) for k in codes], dtype=object)
    data = [
        {
            "type": "heatmap",
            "name": "starts",
            "x": xs.tolist(),
            "y": ys.tolist(),
            "z": z.tolist(),
            "zmin": 0,
            "zmax": n,
            "colorscale": scale,
            "showscale": False,
            "opacity": 0.62,
            "text": names[z].tolist(),
            "hovertemplate": "start (%{x:.3g}, %{y:.3g})<br>%{text}<extra></extra>",
            "meta": {"codes": codes},
        }
    ]
    # Diverged tiles again, nearly opaque on top: black at the tiles' translucency lets the
    # surface's yellows through and reads as olive; "diverged" must read as black.
    gone = np.where(basin.reshape(per_side, per_side) == -1, 0.0, np.nan)
    if np.isfinite(gone).any():
        data.append(
            {
                "type": "heatmap",
                "name": "diverged",
                "x": xs.tolist(),
                "y": ys.tolist(),
                "z": [[None if np.isnan(v) else 0 for v in row] for row in gone],
                "zmin": 0,
                "zmax": 1,
                "colorscale": [[0, DIVERGED_COLOR], [1, DIVERGED_COLOR]],
                "showscale": False,
                "opacity": DIVERGED_OPACITY,
                "hovertemplate": "start (%{x:.3g}, %{y:.3g})<br>diverged<extra></extra>",
                "meta": {"basin": -1},
            }
        )
    for k in codes:  # legend entries (the heatmap itself has none)
        share = float(np.mean(basin == k))
        if share == 0:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{basin_name(k, minima)}: {share:.0%}",
                "x": [None],
                "y": [None],
                "marker": {"symbol": "square", "size": 14, "color": basin_color(k)},
                "meta": {"basin": k},
                "hoverinfo": "skip",
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
    # Below the x axis's title, not on it: the legend hangs from the figure's bottom edge.
    layout["legend"] |= {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"}
    layout["uirevision"] = "basins"
    return {"data": data, "layout": layout}
