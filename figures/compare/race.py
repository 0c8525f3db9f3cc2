"""The optimizer race as a scene for the client-side race player (figures/js/race.js).

    {"id", "map": {"data", "layout"}, "paths": [{"name", "x", "y", "trail", "head"}],
     "steps", "present"}

Every racer has a trail (the path so far, in its colour) and a head (where it is now); the
player fills both from the racer's float32 arrays, so each path crosses the wire once.
The surface is the layout image, which stays on screen while the racers move (a contour trace
would vanish, plotly.js #4491). Racers that stop early (diverged) wait at their last point.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from figures.palette import OPTIMIZER_STYLE, SCREEN, Theme, optimizer_style
from figures.valley.path import f4, start_trace
from figures.valley.surface import Domain, map_layout, minima_trace

# Colour-blind-safe (Okabe-Ito), one per optimizer whatever the order they are chosen in, with a
# dash and a marker of its own (figures/palette.py's OPTIMIZER_STYLE, the one source).
RACE_COLORS = {name: style.color for name, style in OPTIMIZER_STYLE.items()}


@dataclass(frozen=True)
class Racer:
    optimizer: str
    label: str  # legend text
    path: np.ndarray  # (n + 1, 2)


def racer_color(optimizer: str, i: int = 0) -> str:
    """The optimizer's colour (`i`, its place in the race, no longer matters: kept for callers)."""
    return optimizer_style(optimizer).color


def race_scene(
    domain: Domain,
    racers: Sequence[Racer],
    *,
    minima: Sequence = (),
    background: str | None = None,
    theme: Theme = SCREEN,
    height: int = 560,
    identity: object = None,
) -> dict:
    """The scene: moving traces are sent empty; the player fills them from `paths`."""
    data, paths = [], []
    for r in racers:
        style = optimizer_style(r.optimizer)
        color = style.color
        trail = {
            "type": "scatter",
            "mode": "lines+markers",
            "name": r.label,
            "legendgroup": r.optimizer,
            "x": [],
            "y": [],
            "line": {"color": color, "width": theme.line_width, "dash": style.dash},
            "marker": {
                "size": max(3, theme.marker_size - 2),
                "color": color,
                "symbol": style.symbol,
            },
            "meta": {"role": "race-path", "optimizer": r.optimizer},
            "hovertemplate": f"{r.label}<br>step %{{pointNumber}}<br>(%{{x:.4g}}, %{{y:.4g}})"
            "<extra></extra>",
        }
        head = {
            "type": "scatter",
            "mode": "markers",
            "name": f"{r.label} now",
            "legendgroup": r.optimizer,
            "showlegend": False,
            "x": [],
            "y": [],
            "marker": {
                "size": theme.marker_size + 8,
                "color": color,
                "symbol": style.symbol,
                "line": {"color": "#FFFFFF", "width": 2.5},
            },
            "meta": {"role": "race-head", "optimizer": r.optimizer},
            "hoverinfo": "skip",
        }
        paths.append(
            {
                "name": r.optimizer,
                "x": f4(r.path[:, 0]),
                "y": f4(r.path[:, 1]),
                "trail": len(data),
                "head": len(data) + 1,
            }
        )
        data += [trail, head]
    if racers:
        data.append(start_trace(racers[0].path[0], theme))
    if minima:
        data.append(minima_trace(minima, theme))
    layout = map_layout(domain, theme, image=background, height=height)
    # The legend in a column right of the map, where the square map leaves room: below it,
    # it would cover the x title; above, its rows would take the map's height.
    layout["legend"] |= {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0}
    layout["legend"] |= {"yanchor": "top"}
    steps = max((len(r.path) - 1 for r in racers), default=0)
    digest = hashlib.blake2b(
        repr((identity, theme.name, [(r.optimizer, r.label) for r in racers])).encode()
        + b"".join(np.ascontiguousarray(r.path, dtype=np.float32).tobytes() for r in racers),
        digest_size=8,
    ).hexdigest()
    return {
        "id": digest,
        "map": {"data": data, "layout": layout},
        "paths": paths,
        "steps": steps,
        "present": theme.name == "presentation",
    }
