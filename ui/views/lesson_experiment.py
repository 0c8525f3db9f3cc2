"""One lesson experiment as a compact live playground: the path(s) over the surface, what became
of each run, a rate slider to try other values, and links to open or share the exact run.

A single run is shown in the playground's own animated player (`ui.components.valley_component`); a
``vary`` block draws its runs together on one map (`figures.valley.path.map_figure`) with a table of
outcomes. Runs are cached by experiment, shared by every session.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from core.lessons import ExperimentBlock
from core.schema.experiment import Experiment, encode
from core.valley.fan import fan as fan_of
from core.valley.noise_theory import predicted_ball
from figures.palette import theme as theme_for
from figures.valley.fan_scene import badge_entry, fan_data
from figures.valley.path import PathSpec, map_figure
from figures.valley.scene import scene_of_run
from ui import a11y
from ui import cache as run_cache
from ui.controls.lr_control import LR_GRID, format_lr
from ui.controls.rate_slider import rate_slider
from ui.text import plain
from ui.views import fan_ship

COMPACT_HEIGHT = 380
PRESENT_HEIGHT = 560


def run_of(exp: Experiment):
    """The engine's run of an experiment (cached: lessons are read by many learners)."""
    return run_cache.simulate(exp)


def _background(exp_surface: str, formula: str, present: bool) -> tuple[str, str]:
    key = f"{exp_surface}:{formula}:{int(present)}"
    return key, run_cache.background(exp_surface, formula, present)


def playground_url(exp: Experiment, present: bool = False) -> str:
    """A link to the playground with exactly this experiment (relative to the lessons page)."""
    query = encode(exp, {"present": True} if present else None)
    return "./" + ("?" + urlencode(query) if query else "")


def _rate_options(lr: float) -> list[float]:
    return sorted(set(LR_GRID) | {float(lr)})


def _rate_slider(block: ExperimentBlock, key: str) -> float | None:
    """A slider to try other rates (not for a block that varies the rate itself)."""
    if block.vary == "lr":
        return None
    lesson_lr = block.experiment.lr
    options = _rate_options(lesson_lr)
    chosen = rate_slider(
        key,
        [format_lr(v) for v in options],
        options.index(lesson_lr),
        label="Try another learning rate",
        help=f"The lesson's rate is {format_lr(lesson_lr)}. Log scale.",
    )
    return float(lesson_lr) if chosen is None else options[chosen]


def render_experiment(block: ExperimentBlock, *, key: str, present: bool) -> None:
    """Draw one experiment block; a run that cannot be simulated shows its reason instead."""
    theme = theme_for(present)
    height = PRESENT_HEIGHT if present else COMPACT_HEIGHT
    with st.container(border=True):
        lr = _rate_slider(block, f"{key}-lr")
        runs = [
            (r.label, r.experiment if lr is None else r.experiment.replace(lr=lr))
            for r in block.runs
        ]
        try:
            results = [(label, exp, run_of(exp)) for label, exp in runs]
            bg_key, bg_uri = _background(runs[0][1].surface, runs[0][1].formula, present)
        except ValueError as error:
            st.error(f"This experiment cannot run: {plain(error)}")
            return
        if len(results) == 1:
            rates = None if lr is None else (f"{key}-lr", block.experiment.lr)
            bg = (bg_key, bg_uri)
            _single(results[0], key=key, bg=bg, theme=theme, height=height, rates=rates)
        else:
            _several(results, key=key, background=bg_uri, theme=theme, height=height)
        if block.caption:
            st.caption(block.caption)
        _links(results, present)


def _fan(exp: Experiment, rates: tuple, slider: str) -> dict:
    surface = run_cache.surface_of(exp.surface, exp.formula)
    return fan_data(fan_of(exp, rates), floor=run_cache.floor_of(surface), slider=slider)


def with_fan(scene: dict, run, slider: str, lesson_lr: float) -> dict:
    """The scene with the fan of the lesson slider's rates (the page redraws from it while the
    slider is dragged; one fan for every rate, sent once a session: `ui.views.fan_ship`)."""
    exp = run.experiment
    rates = tuple(_rate_options(lesson_lr))
    lesson = exp.replace(lr=lesson_lr)
    key = (lesson.key(), rates, slider)
    data = lambda: run_cache.shared(_fan, key, lesson, rates, slider)  # noqa: E731
    scene = fan_ship.with_fan(scene, key, data, rates.index(exp.lr), slider)
    return {**scene, "badge": badge_entry(run.outcome)}


def _single(result, *, key: str, bg, theme, height: int, rates=None) -> None:
    from ui.components.valley_component import valley_player

    _, exp, run = result
    ball = predicted_ball(exp)  # noisy SGD on a quadratic: the ball theory predicts
    scene = scene_of_run(
        run,
        ball=None if ball is None else ball.outline(2.0),
        floor=min((m.value for m in run.surface.minima), default=None),
        bg_key=bg[0],
        bg_uri=bg[1],
        theme=theme,
        clickable=False,
        identity=(exp.key(), theme.name),
        height=height,
    )
    if rates is not None:  # (slider key, the lesson's rate): the slider's rates as a fan
        scene = with_fan(scene, run, *rates)
    scene = {**scene, "alt": a11y.run_text(run)}  # the map's text alternative
    player = f"{key}-player"
    valley_player(scene, key=player, on_need_fan=fan_ship.need_fan(player))
    _outcome_line(run)


def _several(results, *, key: str, background: str, theme, height: int) -> None:
    surface = results[0][2].surface
    paths = [
        PathSpec(points=run.path, name=_label(label), color=theme.color(i), loss=run.loss)
        for i, (label, _, run) in enumerate(results)
    ]
    figure = map_figure(
        surface.domain,
        paths,
        background=background,
        minima=surface.marked_minima,
        theme=theme,
        height=height,
    )
    a11y.describe(" ".join(a11y.run_text(run) for _, _, run in results))
    st.plotly_chart(figure, key=f"{key}-map", config={"displayModeBar": False})
    rows = [
        {
            "run": _label(label),
            "outcome": run.outcome.status.replace("_", " "),
            "at step": run.outcome.step,
            "final loss": f"{float(run.loss[-1]):.3g}",
        }
        for label, _, run in results
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    for label, _, run in results:
        st.markdown(f"**{_label(label)}:** {run.outcome.explanation}")


def _outcome_line(run) -> None:
    status = run.outcome.status.replace("_", " ")
    st.markdown(f"**Outcome: {status}.** {run.outcome.explanation}")


def _label(label: str) -> str:
    """A run's name for people: 'lr = 0.05', 'Adam', 'Step decay'."""
    from core import optimizers, schedules

    field, _, value = label.partition("=")
    if not value:
        return "run"
    titles = {"optimizer": optimizers.TITLES, "schedule": schedules.TITLES}.get(field, {})
    return titles.get(value, f"{field} = {value}")


def _links(results, present: bool) -> None:
    links = " · ".join(
        f"[Open {_label(label) if len(results) > 1 else 'this run'} in the playground]"
        f"({playground_url(exp)})"
        for label, exp, _ in results
    )
    st.markdown(links)
    if not present:
        with st.popover("Share this experiment", icon=":material/share:"):
            base = _base_url()
            for label, exp, _ in results:
                name = _label(label) if len(results) > 1 else "This run"
                st.markdown(f"{name}:")
                st.code(base + playground_url(exp)[2:], language=None)


def _base_url() -> str:
    """The app's root URL as the learner's browser sees it ('' when unknown)."""
    url = getattr(st.context, "url", None) or ""
    root = url.split("?")[0].rsplit("/", 1)[0] if url else ""
    return (root + "/") if root else "/"
