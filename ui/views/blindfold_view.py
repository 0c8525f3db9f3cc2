"""The blindfold walk's page: settings in the sidebar (and the URL), then one step at a time.

The walk (`core.valley.blindfold`) lives in the session; a new surface, formula, start or
goal starts a new one. Each Step is a form submission (the rate box and the Step button in one
form), so Enter in the rate box, or Enter/Space on the focused button, takes the step. The
settings travel in the address bar through the one schema (`core.schema.experiment`: surface,
formula, start, tol); the rate of each step does not (it is the learner's move).
"""

from __future__ import annotations

import streamlit as st

from core.schema.experiment import FIELD, Experiment, ExperimentError, encode
from core.valley import blindfold
from figures.palette import theme as figure_theme
from figures.valley.blindfold_scene import feel_figure
from ui import cache as run_cache
from ui import theme as page_theme
from ui.a11y import describe
from ui.a11y_charts import feel_text
from ui.controls.start_control import reset_start, set_start, start_control
from ui.controls.surface_control import CUSTOM, surface_control, surface_names
from ui.state import url_state
from ui.text import plain
from ui.views.blindfold_reveal import show_best, show_loss, show_reveal

PREFIX = "bw_"  # this page's widget keys (`ui.state.keys`)
WALK_KEY, SENT_KEY, NOTICES_KEY = "_gv_bw_walk", "_gv_bw_sent", "_gv_bw_notices"
RATE_KEY, ERROR_KEY, TOL_KEY = PREFIX + "rate", "_gv_bw_error", PREFIX + "tol"
LAST_RATE = "_gv_bw_last_rate"  # the box's text, kept while the box is not on screen
FIRST_RATE = FIELD["lr"].format(FIELD["lr"].default)
TOLERANCES = (0.1, 0.01, 1e-3, 1e-4, 1e-5, 1e-6)
INTRO = (
    "The valley is hidden. You feel only the slope under your feet (the arrow points downhill) "
    "and see how the loss has gone so far. Choose the length of each step, its **rate**: the "
    "step is rate × slope, $p \\leftarrow p - a\\,\\nabla f(p)$. Press **Step** (or Enter). "
    "Reach the bottom in as few steps as you can; then the valley is revealed, beside gradient "
    "descent at the best fixed rate."
)


def _load_link() -> None:
    """Put a link's settings (surface, formula, start, tol) into the widgets: on the first
    visit, and whenever the page is opened with a query it did not write (a lesson's link)."""
    ss = st.session_state
    query = url_state.query()
    if PREFIX + "surface" in ss and (not query or query == ss.get(SENT_KEY)):
        return
    exp, view, notices = url_state.read()
    if exp.surface not in surface_names():
        notices.append(f"There is no surface {exp.surface[:40]!r}; showing the default instead.")
        exp = Experiment()
    ss[PREFIX + "surface"], ss[PREFIX + "formula"] = exp.surface, exp.formula
    reset_start(PREFIX) if exp.start is None else set_start(exp.start, PREFIX)
    ss[TOL_KEY] = float(view["tol"])
    ss["present"] = bool(view.get("present")) or bool(ss.get("present"))
    ss[NOTICES_KEY] = notices
    ss.pop(WALK_KEY, None)


def _settings(sidebar):
    """Surface, start and goal; returns (experiment, surface or None, tol)."""
    name, formula, surface = surface_control(sidebar, run_cache.surface_of, prefix=PREFIX)
    point = start_control(sidebar, surface.start, prefix=PREFIX) if surface else None
    if TOL_KEY not in st.session_state:  # Streamlit forgot it (a run cut short, on a busy
        # server): keep the walk's own goal. The slider alone would open at its first option,
        # 0.1, a new goal that threw the learner's walk away (a journey caught it in CI).
        kept = st.session_state.get(WALK_KEY)  # ((surface, formula, start, tol), walk)
        st.session_state[TOL_KEY] = kept[0][3] if kept else blindfold.DEFAULT_TOLERANCE
    chosen = float(st.session_state[TOL_KEY])
    options = sorted({*TOLERANCES, chosen})  # a link's own goal is offered too
    tol = sidebar.select_slider(
        "Goal: loss gap left",
        options=options[::-1],
        key=TOL_KEY,
        format_func=lambda v: f"{v:g}",
        help="The bottom counts as reached when the loss is this share of the start's height "
        "above the lowest point: 0.001 is a thousandth of the way left.",
    )
    exp = Experiment(surface=name, formula=formula if name == CUSTOM else "", start=point)
    return exp, surface, float(tol)


def _problem(exp: Experiment) -> str | None:
    """The engine's words if this walk cannot start (a start outside the map), else None."""
    from core.valley.resolver import resolve

    try:
        resolve(exp)
    except ValueError as error:
        return plain(error)
    return None


def walk_name(exp: Experiment, tol: float) -> str:
    """The walk's name: its canonical query (the key of the kept best score)."""
    query = encode(exp, {"tol": tol})
    return "&".join(f"{k}={v}" for k, v in query.items()) or "surface=valley"


def _step(surface) -> None:
    """The Step button's action: one step at the rate in the box."""
    ss = st.session_state
    ss.pop(ERROR_KEY, None)
    name, walk = ss[WALK_KEY]
    ss[LAST_RATE] = text = str(ss.get(RATE_KEY, "")).strip()
    try:
        ss[WALK_KEY] = (name, blindfold.advance(walk, surface, text))
    except ExperimentError as error:  # the schema's words for a learning rate, named as here
        ss[ERROR_KEY] = "The rate" + str(error).removeprefix("lr")


def _again(start, tol) -> None:
    ss = st.session_state
    name, _ = ss[WALK_KEY]
    ss[WALK_KEY] = (name, blindfold.begin(run_cache.surface_of(*name[:2]), start, tol))
    ss.pop(ERROR_KEY, None)


def _feel(walk, surface, present: bool) -> None:
    """What the blindfolded walker knows: the arrow, the numbers, the loss so far."""
    theme = figure_theme(present)
    height = page_theme.fit_height(22) if present else 320
    (x, y), loss, (gx, gy) = walk.points[-1], walk.losses[-1], walk.grads[-1]
    left, right = st.columns(2)
    describe(feel_text((x, y), loss, (gx, gy), walk.steps), left)
    left.plotly_chart(
        feel_figure((gx, gy), theme=theme, height=height),
        key="bw_feel",
        theme=None,
        config={"displayModeBar": False},
    )
    show_loss(right, walk, theme, key="bw_loss")
    slope = (gx * gx + gy * gy) ** 0.5
    st.markdown(
        f"**Steps taken: {walk.steps}** · you stand at ({x:.4g}, {y:.4g}) · loss {loss:.4g} · "
        f"steepness of the slope {slope:.4g}"
    )


def _step_form(walk, surface) -> None:
    if RATE_KEY not in st.session_state:  # Streamlit forgets a widget's value while it is away
        st.session_state[RATE_KEY] = st.session_state.get(LAST_RATE, FIRST_RATE)
    with st.form("bw_step", border=False, enter_to_submit=True):
        box, button = st.columns([3, 1], vertical_alignment="bottom")
        box.text_input(
            "Rate for the next step",
            key=RATE_KEY,
            help=f"Leave it to step at the same rate again. {FIELD['lr'].range_text()}.",
        )
        button.form_submit_button("Step", type="primary", on_click=_step, args=(surface,))
    if st.session_state.get(ERROR_KEY):
        st.error(plain(st.session_state[ERROR_KEY]))
    if walk.rates:
        a = walk.rates[-1]
        st.caption(f"Your last step: rate {a:g}, {walk.steps} of {blindfold.WALK_LIMIT} steps.")


def show() -> None:
    """The whole page."""
    ss = st.session_state
    _load_link()
    present = bool(ss.get("present"))
    page_theme.apply(present)
    st.title("Blindfold walk")
    st.toggle("Presentation mode", key="present", help="Large type and lines for projection.")
    url_state.show_notices(ss.pop(NOTICES_KEY, []))
    exp, surface, tol = _settings(st.sidebar)
    ss[SENT_KEY] = url_state.write(exp, {"tol": tol, "present": present})
    st.markdown(INTRO)
    problem = "Fix the formula in the sidebar." if surface is None else _problem(exp)
    if problem:
        st.info(problem)
        st.stop()
    start = exp.start or surface.start
    name = (exp.surface, exp.formula, tuple(start), tol)
    if ss.get(WALK_KEY, (None,))[0] != name:
        ss[WALK_KEY] = (name, blindfold.begin(surface, start, tol))
        ss.pop(ERROR_KEY, None)
    walk = ss[WALK_KEY][1]
    if walk.goal.target is None:
        st.warning(
            "This surface has no known bottom: the walk can only end when a step leaves the "
            f"valley or after {blindfold.WALK_LIMIT} steps."
        )
    if not walk.done:
        _feel(walk, surface, present)
        _step_form(walk, surface)
        show_best(walk_name(exp, tol))
    else:
        show_reveal(exp, surface, walk, walk_name(exp, tol), present)
    st.button("Start again", key="bw_again", on_click=_again, args=(start, tol))
