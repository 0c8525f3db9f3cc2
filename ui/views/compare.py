"""What the race, sweep and walkers pages share: their controls, URL state and cached engine calls.

The three pages read and write the playground's URL schema (`core.schema.experiment`): a link to any
of them restores the surface, optimizer, rate, steps, start, seed and presentation mode, and a
race link also its racers and their rates (`ui.controls.race_controls`). Their widgets are the
playground's (`ui.controls.experiment_controls`, one binder over the schema's fields) under their
own key prefix
(``cmp_``), so they never disturb the playground's; moving between the three keeps the
settings, and a page opened without a query starts from the last experiment seen on any of
them or on the playground.
"""

from __future__ import annotations

import streamlit as st

from core.schema.experiment import FIELD, Experiment
from ui import cache as run_cache
from ui import theme
from ui.controls import experiment_controls as binder
from ui.controls import race_controls
from ui.controls.experiment_controls import CUSTOM
from ui.controls.lr_control import lr_control, set_lr
from ui.controls.start_control import carried, start_control
from ui.state import url_state
from ui.text import plain

MAX_STEPS = 2000  # these pages run hundreds of walks per setting
PREFIX = "cmp_"  # the key prefix of these pages' widgets (`ui.controls.experiment_controls.key`)
LAST_KEY, NOTICES_KEY = "_gv_cmp_last", "_gv_cmp_notices"
PAGE_KEY = "_gv_cmp_page"  # the title of the page shown last
SHARED_KEYS = tuple(PREFIX + k for k in ("surface", "formula", "steps", "noise", "seed"))
SHARED_KEYS += carried(PREFIX)
PLAYGROUND_LAST = "_gv_last"  # the playground's last (experiment, view), read only


def begin(title: str) -> bool:
    """Load the link (first visit) or the last experiment, apply the theme, draw the title and
    the presentation toggle. Returns whether presentation mode is on."""
    ss = st.session_state
    # A first run cut short (a rerun asked for by the window's height report, on a busy
    # server) may have set the surface but never drawn the steps widget, whose value then
    # dropped: load the link again until both are there, or the steps open at 1.
    if PREFIX + "surface" not in ss or PREFIX + "steps" not in ss:
        exp, view, notices = url_state.read()
        if not url_state.query():
            last = ss.get(LAST_KEY) or ss.get(PLAYGROUND_LAST)
            if last:
                exp, view = last
        notices += binder.load(exp, PREFIX, MAX_STEPS) + race_controls.load(exp, view)
        ss["present"] = bool(view.get("present"))
        ss[NOTICES_KEY] = notices
    elif ss.get(PAGE_KEY) != title:
        _carry_over()
    ss[PAGE_KEY] = title
    present = bool(ss.get("present"))
    theme.apply(present)
    st.title(title)
    st.toggle("Presentation mode", key="present", help="Large type and lines for projection.")
    url_state.show_notices(ss.pop(NOTICES_KEY, []))
    return present


def _carry_over() -> None:
    """Another page was shown last run. Its widgets, though under the same keys, are other
    widgets (Streamlit ties a widget to its page), which would start from their defaults:
    hand their values on as this page's starting values."""
    ss = st.session_state
    for key in SHARED_KEYS:
        if key in ss:
            ss[key] = ss[key]
    set_lr(ss.get("lr", FIELD["lr"].default))


def controls(
    sidebar, *, optimizer: bool = True, rate: bool = True, start: bool = True, seed: bool = True
) -> tuple[Experiment, object]:
    """Surface, optimizer, rate, steps, start and gradient noise (with its seed unless the page
    shows the seed elsewhere: ``seed=False``); returns (experiment, surface or None)."""
    ss = st.session_state
    name, formula, surface = binder.surface_control(
        sidebar, run_cache.surface_of, prefix=PREFIX, formula_help=None
    )
    opt = ss.get(PREFIX + "optimizer", FIELD["optimizer"].default)
    if optimizer:
        opt = binder.optimizer_picker(sidebar, PREFIX)
    lr = lr_control(sidebar) if rate else float(ss.get("lr", FIELD["lr"].default))
    steps = binder.steps_control(sidebar, PREFIX, MAX_STEPS, step=50)
    point = None
    if start and surface is not None:
        point = start_control(sidebar, surface.start, prefix=PREFIX)
    noise, seed = binder.noise_control(sidebar, PREFIX, seed_widget=seed)
    exp = Experiment(
        surface=name,
        formula=formula if name == CUSTOM else "",
        optimizer=opt,
        lr=lr,
        steps=steps,
        start=point,
        seed=seed,
        noise=noise,
        params=binder.given_params(opt, PREFIX),
    )
    return exp, surface


def finish(exp: Experiment, present: bool, race: dict | None = None) -> None:
    """Write the URL (with the race's racers and rates when ``race`` is given) and remember
    the experiment, and the race's settings, for the next page."""
    ss = st.session_state
    if race is not None:
        ss[race_controls.RACE_KEY] = race
    url_state.write(exp, {"present": present, **(race or {})})
    ss[LAST_KEY] = (exp, {"present": present, **ss.get(race_controls.RACE_KEY, {})})


def check(exp: Experiment) -> str | None:
    """The engine's message if this experiment cannot run (escaped: the pages show it with
    `st.info`, which reads Markdown), else None."""
    from core.valley.resolver import resolve

    try:
        resolve(exp)
    except ValueError as error:
        return plain(error)
    return None
