"""The playground's main area: outcome badge, the player, the update rule and the exports.

It runs as a fragment: pausing the player (which reports the frame for the update rule) or
asking for a missing surface picture reruns this part only, not the sidebar.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import optimizers
from core.catalog.optimizers import CATALOG, l2_decay
from core.schema.experiment import FIELD, Experiment, encode
from core.schema.rate_grid import LR_GRID
from core.valley.fan import fan as fan_of
from core.valley.noise_theory import predicted_ball
from figures import export
from figures.palette import theme as figure_theme
from figures.valley.fan_scene import badge_entry, fan_data
from figures.valley.internals import filled_update_rule
from figures.valley.scene import scene_of_run
from figures.valley.surface3d import surface3d_figure
from ui import a11y
from ui import cache as run_cache
from ui.components.valley_component import valley_player
from ui.controls import experiment_controls as controls
from ui.controls.lr_control import DRAG_KEY, nearest
from ui.text import plain
from ui.views import badge, fan_ship

PLAYER_KEY = "valley"
SENT_KEY = "_gv_backgrounds_sent"


def bg_key(exp: Experiment, present: bool) -> str:
    return f"{exp.surface}|{exp.formula}|{'present' if present else 'screen'}"


def _scene(exp: Experiment, present: bool, internals: bool, three: bool) -> dict:
    """The run's scene without its picture (added per session); cached per setting."""
    run = run_cache.simulate(exp)
    surface = run.surface
    theme = figure_theme(present)
    floor = run_cache.floor_of(surface)
    figure3d = None
    if three:
        figure3d = surface3d_figure(
            surface.fn,
            tuple(map(tuple, surface.domain)),
            run.path,
            run.loss,
            floor=floor,
            theme=theme,
            height=640 if present else 560,
        )
    ball = predicted_ball(exp)  # noisy SGD on a quadratic: the ball theory predicts
    return scene_of_run(
        run,
        ball=None if ball is None else ball.outline(2.0),
        floor=floor,
        bg_key=bg_key(exp, present),
        theme=theme,
        internals=internals,
        weight_decay=l2_decay(run.experiment.optimizer, run.resolved.hyper),
        three=figure3d,
        identity=exp.key(),
        height=640 if present else 560,
    )


def _fan(exp: Experiment, floor: float | None) -> dict:
    """Every slider rate's path and verdict for this experiment (the page redraws from it
    while the rate is dragged), as the player reads it."""
    return fan_data(fan_of(exp), floor=floor, slider=DRAG_KEY)


def with_fan(scene: dict, run) -> dict:
    """The scene with its fan and the badge of its own run; one fan for every rate of an
    experiment (keyed without the rate), sent once a session (`ui.views.fan_ship`)."""
    exp = run.experiment
    rateless = exp.replace(lr=FIELD["lr"].default)
    floor = run_cache.floor_of(run.surface)
    key = rateless.key()
    data = lambda: run_cache.shared(_fan, key, rateless, floor)  # noqa: E731
    scene = fan_ship.with_fan(scene, key, data, LR_GRID.index(nearest(exp.lr)), DRAG_KEY)
    return {**scene, "badge": badge_entry(run.outcome)}


def _on_pick() -> None:
    point = (st.session_state.get(PLAYER_KEY) or {}).get("pick")
    if point and len(point) == 2:
        controls.pick_start(*point)


def _on_need_background() -> None:
    key = (st.session_state.get(PLAYER_KEY) or {}).get("need_background")
    st.session_state.setdefault(SENT_KEY, set()).discard(key)


def _inspected_frame(result, scene: dict, steps_taken: int) -> int:
    """The step the player was paused on (if it shows this scene), else the last step."""
    state = result.get("frame") if result else None
    if isinstance(state, dict) and state.get("scene") == scene["id"]:
        frame = int(state.get("frame", steps_taken))
        return max(0, min(frame, steps_taken - 1))
    return max(0, steps_taken - 1)


def _update_rule(run, frame: int) -> None:
    """The rule in LaTeX, then the same step with this run's numbers (one element: one delta)."""
    exp = run.experiment
    hyper = run.resolved.hyper
    filled = filled_update_rule(
        CATALOG[exp.optimizer].figure_form,
        frame,
        run.path,
        run.grad,
        run.lr,
        run.state,
        weight_decay=l2_decay(exp.optimizer, hyper),
        momentum=hyper.get("momentum", 0.0),
    )
    text = (
        f"**Update rule of {optimizers.TITLES[exp.optimizer]}**\n\n"
        f"$$\n{optimizers.update_rule_latex(exp.optimizer)}\n$$\n"
    )
    if filled:
        text += (
            f"\nWith this run's numbers at step {frame} (pause or drag the player to change):"
            f"\n\n$$\n{filled}\n$$\n"
        )
    st.markdown(text)


def _downloads(run, exp: Experiment, present: bool, scene: dict) -> None:
    name = exp.surface if exp.surface != "custom" else "custom"
    stem = f"gradient-valley-{name}-{exp.optimizer}-lr{exp.lr:g}"

    def html_file() -> str:
        full = {
            **scene,
            "bg": {
                "key": scene["bg"]["key"],
                "uri": run_cache.background(exp.surface, exp.formula, present),
            },
        }
        caption = f"{optimizers.TITLES[exp.optimizer]}, learning rate {exp.lr:g}, " + (
            f"{run.outcome.status.replace('_', ' ')}: {run.outcome.explanation}"
        )
        return export.standalone_html(
            full, title=f"Gradient Valley: {run.surface.title}", caption=caption
        )

    def json_file() -> str:
        return export.path_json({"experiment": encode(exp), **run.to_json()})

    cols = st.columns(3)
    cols[0].download_button(
        "Animation (HTML, plays offline)",
        html_file,
        f"{stem}.html",
        "text/html",
        on_click="ignore",
        width="stretch",
    )
    cols[1].download_button(
        "Path (CSV)",
        lambda: export.path_csv(run.path, run.loss, run.lr),
        f"{stem}.csv",
        "text/csv",
        on_click="ignore",
        width="stretch",
    )
    cols[2].download_button(
        "Path (JSON)",
        json_file,
        f"{stem}.json",
        "application/json",
        on_click="ignore",
        width="stretch",
    )


@st.fragment
def main_view(exp: Experiment, present: bool, internals: bool, three: bool) -> None:
    """Badge, player, update rule and downloads for one experiment."""
    try:
        run = run_cache.simulate(exp)
    except ValueError as error:
        st.error(f"This run cannot start: {plain(error)}")
        return
    badge.show(run.outcome)
    views = (present, internals, three)
    scene = run_cache.shared(_scene, (exp.key(), *views), exp, *views)
    key = scene["bg"]["key"]
    sent = st.session_state.setdefault(SENT_KEY, set())
    uri = None if key in sent else run_cache.background(exp.surface, exp.formula, present)
    scene = with_fan({**scene, "bg": {"key": key, "uri": uri}}, run)
    scene["alt"] = a11y.run_text(run)  # the map's text alternative
    result = valley_player(
        scene,
        key=PLAYER_KEY,
        on_pick=_on_pick,
        on_need_background=_on_need_background,
        on_need_fan=fan_ship.need_fan(PLAYER_KEY),
    )
    sent.add(key)
    if result.get("pick"):  # the start moved: the sidebar must show it
        st.rerun(scope="app")
    frame = _inspected_frame(result, scene, len(run.path) - 1)
    if len(run.path) > 1:
        _update_rule(run, frame)
    if np.isfinite(run.loss).all():
        _downloads(run, exp, present, scene)
