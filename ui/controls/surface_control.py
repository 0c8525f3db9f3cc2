"""The surface picker and the custom formula box, bound under a page's key prefix."""

from __future__ import annotations

import streamlit as st

from core.schema.experiment import MAX_FORMULA_LENGTH
from core.valley import surfaces
from ui.controls.start_control import reset_start
from ui.state.keys import key
from ui.state.surface_rate import follow_surface
from ui.text import code, plain

CUSTOM = "custom"


def surface_names() -> list[str]:
    return [*surfaces.SURFACES, CUSTOM]


def _surface_title(name: str) -> str:
    return "Custom formula" if name == CUSTOM else surfaces.SURFACES[name].title


FORMULA_EXAMPLE = "0.5*x^2 + 5*y^2"
FORMULA_HELP = (  # Markdown: the operators and the example in code spans, shown as typed
    f"For example {code(FORMULA_EXAMPLE)}. Operators {' '.join(map(code, '+-*/^'))}; "
    "functions such as sin, cos, exp, log, sqrt, abs."
)


def _surface_changed(surface_key: str, on_change) -> None:
    """A surface was picked: the page's own reaction, then the rate that teaches there."""
    on_change()
    follow_surface(st.session_state[surface_key])


def surface_control(
    sidebar,
    surface_of,
    *,
    prefix: str = "",
    on_change=None,
    formula_help: str | None = FORMULA_HELP,
):
    """Surface picker (and formula box); returns (name, formula, Surface or None if invalid).

    ``surface_of(name, formula)`` builds the surface or raises ValueError, whose message is
    shown under the box. ``prefix``: the page's key prefix (`key`); ``on_change``: called
    when either changes (by default: back to the surface's own start).
    """
    surface_key, formula_key = key("surface", prefix), key("formula", prefix)
    on_change = on_change or (lambda: reset_start(prefix))
    sidebar.selectbox(
        "Loss surface",
        surface_names(),
        key=surface_key,
        format_func=_surface_title,
        on_change=_surface_changed,
        args=(surface_key, on_change),
    )
    name, formula = st.session_state[surface_key], ""
    if name == CUSTOM:
        formula = sidebar.text_input(
            "Formula in x and y",
            key=formula_key,
            placeholder=FORMULA_EXAMPLE,
            on_change=on_change,
            help=formula_help,
            max_chars=MAX_FORMULA_LENGTH,
        ).strip()
    try:
        surface = surface_of(name, formula)
    except ValueError as error:  # FormulaError, SurfaceError, ExperimentError
        sidebar.error(plain(error))  # the engine's words, shown as text
        surface = None
    return name, formula, surface
