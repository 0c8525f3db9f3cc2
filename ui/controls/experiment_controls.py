"""The experiment controls shared by the pages: surface, optimizer, rate, steps, schedule, start.

Widgets write to ``st.session_state`` under keys with a page's prefix (`ui.state.keys`: "" on the
playground, ``cmp_`` on the compare pages, which call these same functions); `load` puts an
`Experiment` into those keys (from the URL or a lesson), and `read` turns the widgets back into
an `Experiment`, so the URL, the widgets and the engine always describe the same run. Values a
widget cannot hold (a hyperparameter out of range) are refused with a message in words beside
the control.

Public labels (a contract with tests and lessons): "Loss surface", "Optimizer", "Learning rate",
"Gradient noise" (and its "Noise seed", shown once the noise is on).
"""

from __future__ import annotations

import streamlit as st

from core import schedules
from core.catalog import schedules as schedule_catalog
from core.catalog.optimizers import CATALOG, NAMES, TITLES
from core.schema.experiment import FIELD, Experiment, ExperimentError
from ui.controls.lr_control import lr_control, set_lr
from ui.controls.start_control import reset_start, set_start, start_control
from ui.controls.surface_control import (  # noqa: F401  (re-exported: the pages' controls in one place)
    CUSTOM,
    FORMULA_EXAMPLE,
    FORMULA_HELP,
    surface_control,
    surface_names,
)
from ui.state.keys import HP_PREFIX, SCHED_PREFIX, hp_key, key, sched_key  # noqa: F401
from ui.text import plain


def load(exp: Experiment, prefix: str = "", max_steps: int | None = None) -> list[str]:
    """Put an experiment into the state of a page's widgets (keys under ``prefix``); returns
    notices for what could not be used. ``max_steps``: the page's own cap on the steps."""
    notices = []
    ss = st.session_state
    surface = exp.surface
    if surface not in surface_names():
        notices.append(f"There is no surface {surface!r}; showing the default surface instead.")
        surface = FIELD["surface"].default
    ss[key("surface", prefix)] = surface
    ss[key("formula", prefix)] = exp.formula
    ss[key("optimizer", prefix)] = exp.optimizer
    set_lr(exp.lr)
    steps = int(exp.steps)
    if max_steps is not None and steps > max_steps:
        notices.append(f"These pages run at most {max_steps} steps; using {max_steps}.")
        steps = max_steps
    ss[key("steps", prefix)] = steps
    ss[key("seed", prefix)] = int(exp.seed)
    ss[key("noise", prefix)] = float(exp.noise)
    ss[key("schedule", prefix)] = exp.schedule
    for name, default in CATALOG[exp.optimizer].defaults.items():
        ss[hp_key(exp.optimizer, name, prefix)] = float(exp.params.get(name, default))
    for name in schedules.PARAMS[exp.schedule]:
        ss[sched_key(exp.schedule, name, prefix)] = exp.schedule_args.get(name)
    start_domain = _domain_of(exp.replace(surface=surface))
    if exp.start is not None and start_domain is not None:
        (x0, x1), (y0, y1) = start_domain
        if not (x0 <= exp.start[0] <= x1 and y0 <= exp.start[1] <= y1):
            notices.append(
                f"The start ({exp.start[0]:g}, {exp.start[1]:g}) is outside the plotted area "
                f"x in [{x0:g}, {x1:g}], y in [{y0:g}, {y1:g}]; starting from the surface's "
                "own start instead."
            )
            exp = exp.replace(start=None)
    if exp.start is None:
        reset_start(prefix)
    else:
        set_start(exp.start, prefix)
    return notices


def _domain_of(exp: Experiment):
    """The plotted area of the experiment's surface, or None if the surface cannot be built
    (a bad formula is reported where the formula is typed)."""
    from core.valley.resolver import surface_of

    try:
        return surface_of(exp).domain
    except ValueError:
        return None


def pick_start(x: float, y: float) -> None:
    """Set the playground's start point (a click on the map)."""
    set_start((x, y))


def _checked(name: str, value, errors: list[str]):
    """``value`` parsed by the schema's field ``name``, or None with a message."""
    try:
        return FIELD[name].parse(value)
    except ExperimentError as error:
        errors.append(f"{error} Using the default instead.")
        return None


def optimizer_control(sidebar, errors: list[str]) -> tuple[str, dict]:
    """The optimizer menu and its hyperparameters, labelled and explained by the catalog."""
    optimizer = sidebar.selectbox("Optimizer", list(NAMES), key="optimizer", format_func=TITLES.get)
    params = {}
    with sidebar.expander(f"{TITLES[optimizer]} settings"):
        for h in CATALOG[optimizer].hyper:
            key = hp_key(optimizer, h.name)
            st.session_state.setdefault(key, float(h.default))
            value = st.number_input(
                plain(h.label or h.name), key=key, format="%g", step=None, help=plain(h.help)
            )
            value = _checked(h.name, value, errors)
            if value is not None and value != h.default:
                params[h.name] = value
    return optimizer, params


def schedule_control(sidebar, lr: float, steps: int, errors: list[str]) -> tuple[str, dict]:
    """The schedule menu and its arguments, labelled, explained and bounded by the catalog."""
    schedule = sidebar.selectbox(
        "Schedule",
        list(schedule_catalog.NAMES),
        key="schedule",
        format_func=schedule_catalog.TITLES.get,
    )
    args = {}
    names = schedule_catalog.SCHEDULES[schedule].arguments
    if not names:
        return schedule, args
    try:
        shown = schedules.resolve(schedule, lr, steps, {})
    except ValueError:
        shown = {}
    with sidebar.expander(f"{schedule_catalog.TITLES[schedule]} settings", expanded=False):
        st.caption("Empty boxes use the default shown in grey.")
        for name in names:
            key = sched_key(schedule, name)
            st.session_state.setdefault(key, None)
            arg = schedule_catalog.ARGUMENTS[name]
            label, help_text = plain(arg.label), plain(arg.help)
            if arg.range is None:
                value = st.selectbox(
                    label,
                    [None, *arg.choices],
                    key=key,
                    format_func=lambda v: v or "default",
                    help=help_text,
                )
            else:
                default = shown.get(name)
                value = st.number_input(
                    label,
                    key=key,
                    help=help_text,
                    step=1 if arg.range.whole else None,
                    format="%d" if arg.range.whole else "%g",
                    placeholder=f"{default:g}" if default is not None else "default",
                )
            if value is not None:  # checked by the schema's row, made from the same range
                value = _checked(name, value, errors)
                if value is not None:
                    args[name] = value
    return schedule, args


def optimizer_picker(sidebar, prefix: str = "") -> str:
    """The optimizer menu alone (the compare pages keep a link's hyperparameters as given)."""
    return sidebar.selectbox(
        "Optimizer", list(NAMES), key=key("optimizer", prefix), format_func=TITLES.get
    )


def given_params(optimizer: str, prefix: str = "") -> dict:
    """The hyperparameters `load` put under ``prefix`` for ``optimizer`` that differ from the
    defaults (another optimizer's are not carried over)."""
    ss = st.session_state
    return {
        name: ss[hp_key(optimizer, name, prefix)]
        for name, default in CATALOG[optimizer].defaults.items()
        if ss.get(hp_key(optimizer, name, prefix), default) != default
    }


def steps_control(sidebar, prefix: str = "", max_steps: int | None = None, step: int = 10) -> int:
    """The number of steps, at most the schema's bound (or the page's lower ``max_steps``)."""
    top = int(FIELD["steps"].hi) if max_steps is None else int(max_steps)
    return int(
        sidebar.number_input(
            "Steps", min_value=1, max_value=top, key=key("steps", prefix), step=step
        )
    )


def noise_control(sidebar, prefix: str = "", seed_widget: bool = True) -> tuple[float, int]:
    """Gradient noise (sigma) and, once it is on, its seed: bounded and explained by the
    schema's rows. Returns (noise, seed). ``seed_widget=False``: the page shows the seed's
    widget elsewhere (the sweep's search duel)."""
    ss = st.session_state
    ss.setdefault(key("noise", prefix), float(FIELD["noise"].default))
    ss.setdefault(key("seed", prefix), int(FIELD["seed"].default))
    noise = sidebar.number_input(
        "Gradient noise",
        min_value=0.0,
        max_value=float(FIELD["noise"].hi),
        step=0.1,
        format="%g",
        key=key("noise", prefix),
        help=plain(
            "Standard deviation of random noise added to each slope coordinate at every step "
            "(0: exact gradients), as a mini-batch's gradient is noisy."
        ),
    )
    seed = int(ss[key("seed", prefix)])
    if noise > 0 and seed_widget:
        seed = sidebar.number_input(
            "Noise seed",
            min_value=0,
            max_value=int(FIELD["seed"].hi),
            step=1,
            key=key("seed", prefix),
            help=plain("The same seed draws the same noise: the same path."),
        )
    return float(noise), int(seed)


def read(sidebar, surface_of):
    """Draw every control in ``sidebar``; return (experiment, surface, theory slot).

    ``surface_of(name, formula)`` builds the surface or raises ValueError with a message,
    shown under the formula box; the surface is then None. The theory slot is an empty
    container right under the learning rate, for the page to fill once the run is known.
    """
    errors: list[str] = []
    name, formula, surface = surface_control(sidebar, surface_of)
    optimizer, params = optimizer_control(sidebar, errors)
    lr = lr_control(sidebar)
    theory = sidebar.container()
    steps = steps_control(sidebar)
    schedule, schedule_args = schedule_control(sidebar, lr, steps, errors)
    noise, seed = noise_control(sidebar)
    hint = "Or click on the map to start from there."
    start = start_control(sidebar, surface.start, hint=hint) if surface is not None else None
    for message in errors:
        sidebar.error(plain(message))
    exp = Experiment(
        surface=name,
        formula=formula if name == CUSTOM else "",
        optimizer=optimizer,
        lr=lr,
        steps=steps,
        start=start,
        schedule=schedule,
        seed=seed,
        noise=noise,
        params=params,
        schedule_args=schedule_args,
    )
    return exp, surface, theory
