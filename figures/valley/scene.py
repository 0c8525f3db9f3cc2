"""A scene: everything the client-side player (figures/js/player.js) needs to show one run.

    {"id", "bg": {"key", "uri"}, "domain", "map", "idx", "curves", "three",
     "anim": {"x", "y", "loss", ...per-frame internals}, "frame", "present", "clickable"}

The map's moving traces (ghost path, trail, current point, arrows) are sent empty: the player
fills them from ``anim``, so each array crosses the wire once, as float32. The background is
referenced by key; ``uri`` may be None when the client already holds that surface's picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from figures.palette import SCREEN, Theme
from figures.valley.curves import curves_figure
from figures.valley.internals import arrow_trace, frame_arrays
from figures.valley.path import escape_trace, exit_trace, f4, start_trace
from figures.valley.surface import Domain, map_layout, minima_trace


def _moving_traces(color: str, theme: Theme) -> list[dict]:
    ghost = {
        "type": "scatter",
        "mode": "lines",
        "name": "whole path",
        "x": [],
        "y": [],
        "line": {"color": "#FFFFFF", "width": max(1.0, theme.line_width - 0.5), "dash": "dot"},
        "opacity": 0.75,
        "hoverinfo": "skip",
        "showlegend": False,
    }
    trail = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "path",
        "x": [],
        "y": [],
        "line": {"color": color, "width": theme.line_width},
        "marker": {
            "size": theme.marker_size,
            "color": color,
            "line": {"color": "#FFFFFF", "width": 1},
        },
        "hovertemplate": "step %{pointNumber}<br>(%{x:.4g}, %{y:.4g})<extra></extra>",
    }
    head = {
        "type": "scatter",
        "mode": "markers",
        "name": "now",
        "x": [],
        "y": [],
        "marker": {
            "size": theme.marker_size + 9,
            "color": color,
            "line": {"color": "#FFFFFF", "width": 2.5},
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }
    return [ghost, trail, head]


def ball_trace(outline: np.ndarray, theme: Theme) -> dict:
    """The predicted noise ball: a dashed ellipse, two standard deviations along each
    eigen-direction, labelled as theory."""
    outline = np.asarray(outline, dtype=np.float64)
    return {
        "type": "scatter",
        "mode": "lines",
        "x": [float(v) for v in outline[:, 0]],
        "y": [float(v) for v in outline[:, 1]],
        "name": "noise ball, theory (2 standard deviations)",
        "line": {
            "color": theme.text_color,
            "width": max(1.5, theme.line_width - 0.5),
            "dash": "dash",
        },
        "hoverinfo": "name",
        "showlegend": True,
        "meta": {"role": "noise-ball"},
    }


def scene_of_run(run, **options) -> dict:
    """`build_scene` for a `core.valley.simulation.Run`: its surface, path, curves, optimizer state
    and divergence, plus any other `build_scene` option (floor, background, theme, ...)."""
    exp = run.experiment
    return build_scene(
        domain=run.surface.domain,
        path=run.path,
        loss=run.loss,
        grad=run.grad,
        lr=run.lr,
        state=run.state,
        minima=run.surface.marked_minima,
        show_lr=exp.schedule != "constant",
        diverged_at=run.diverged_at,
        escape=run.escape,
        escape_loss=run.escape_loss,
        optimizer=exp.optimizer,
        **options,
    )


def build_scene(
    *,
    domain: Domain,
    path: np.ndarray,
    loss: np.ndarray,
    grad: np.ndarray,
    lr: np.ndarray,
    state: Mapping[str, np.ndarray] | None = None,
    minima: Sequence = (),
    floor: float | None = None,
    bg_key: str = "",
    bg_uri: str | None = None,
    theme: Theme = SCREEN,
    color: str | None = None,
    show_lr: bool = False,
    internals: bool = False,
    weight_decay: float = 0.0,
    three: dict | None = None,
    diverged_at: int | None = None,
    escape: Sequence[float] | None = None,
    escape_loss: float | None = None,
    clickable: bool = True,
    frame: int | None = None,
    identity: object = None,
    optimizer: str = "",
    height: int = 520,
    ball: np.ndarray | None = None,
) -> dict:
    """The scene of one run. ``identity`` (hashable) names the run for change detection.
    ``ball``: the outline (m, 2) of the noise ball theory predicts (noisy gradients), drawn
    dashed and named as theory (`core.valley.noise_theory`)."""
    color = color or theme.color(0)
    path = np.asarray(path, dtype=np.float64)
    state = dict(state or {})
    data = _moving_traces(color, theme)
    idx = {"ghost": 0, "trail": 1, "head": 2}
    idx["stale"] = []  # traces of this run only: a fan's path (player_fan.js) empties them
    if escape is not None:  # the step that blew up, even if it was the first one
        idx["stale"].append(len(data))
        data.append(escape_trace(path, domain, escape, theme, color))
    cross = exit_trace(path, domain, theme, escape, diverged=diverged_at is not None)
    if cross is not None:
        idx["stale"].append(len(data))
        data.append(cross)
    data.append(start_trace(path[0], theme))
    if minima:
        data.append(minima_trace(minima, theme))
    if ball is not None:  # this run's rate only: a fan's path (another rate) empties it
        idx["stale"].append(len(data))
        data.append(ball_trace(ball, theme))
    arrows = {}
    if internals:
        # Only arrows that say something new: momentum's step is its velocity, SGD's its
        # gradient step; Nesterov and the adaptive optimizers step elsewhere.
        kinds = ["gradient"]
        if "velocity" in state:
            kinds.append("velocity")
        if optimizer == "nesterov" or "effective_lr" in state:
            kinds.append("step")
        for kind in kinds:
            arrows[kind] = len(data)
            data.append(arrow_trace(kind, width=theme.line_width + 0.5))
    idx["arrows"] = arrows
    layout = map_layout(domain, theme, image="" if bg_key or bg_uri else None, height=height)
    layout["showlegend"] = bool(arrows) or ball is not None  # only when something needs naming
    anim = {"x": f4(path[:, 0]), "y": f4(path[:, 1]), "loss": f4(loss)}
    per_frame = frame_arrays(path, grad, lr, state, weight_decay)
    keep = ("gx", "gy", "eta") + (
        ("ux", "uy", "sx", "sy", "vx", "vy", "ex", "ey") if internals else ()
    )
    anim |= {k: v for k, v in per_frame.items() if k in keep}
    # The loss chart ends with the loss where the step that blew up landed, when that is a
    # number: the jump up is the divergence, and a first-step blow-up still draws a line.
    shown_loss, marked = np.asarray(loss, dtype=np.float64), diverged_at
    if escape_loss is not None and np.isfinite(escape_loss):
        shown_loss = np.append(shown_loss, escape_loss)
        marked = len(shown_loss) - 1  # "diverged" at the step that blew up (counted from 1)
    curves = curves_figure(
        shown_loss,
        lr if show_lr else None,
        floor=floor,
        theme=theme,
        color=color,
        height=height,
        diverged_at=marked,
    )
    digest = hashlib.blake2b(
        repr((identity, theme.name, internals, three is not None, bg_key, show_lr)).encode(),
        digest_size=8,
    ).hexdigest()
    if identity is None:  # no name given: identify by content
        digest = hashlib.blake2b(anim["x"]["bdata"].encode() + digest.encode(), digest_size=8)
        digest = digest.hexdigest()
    # The ghost (whole path) shares the trail's arrays; the player fills both.
    return {
        "id": digest,
        "bg": {"key": bg_key, "uri": bg_uri} if (bg_key or bg_uri) else None,
        "domain": [list(map(float, domain[0])), list(map(float, domain[1]))],
        "map": {"data": data, "layout": layout},
        "idx": idx,
        "curves": curves,
        "three": three,
        "anim": anim,
        "frame": frame,
        "present": theme.name == "presentation",
        "clickable": clickable,
    }
