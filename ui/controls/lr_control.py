"""The learning-rate control: a log-scale slider with fine steps, plus the exact value, typed.

The slider (label "Learning rate", a public contract) moves over 22 "nice" values per decade
from 1e-5 to 10, so an arrow key moves by 4-17% and common rates (0.01, 0.05, 0.2, 1) sit on
it exactly. It is a component of ours (`ui/controls/rate_slider/`): it follows every key press and
drag in the page and keeps at most one rerun in flight, so fast input loses nothing.
The number box beside it holds the exact rate: typing 0.0123 keeps 0.0123 and parks the slider
on its nearest value; a rate out of range (0, -1) is refused in words. Session state: ``lr``
is the rate the run uses, ``lr_slider`` the slider's grid value.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from core.schema.experiment import FIELD, ExperimentError
from core.schema.rate_grid import HIGH_EXP, LOW_EXP, LR_GRID, MANTISSAS  # noqa: F401  (re-exported)
from ui.controls.rate_slider import committed, rate_slider
from ui.text import plain

_LOG_GRID = np.log(np.array(LR_GRID))

SLIDER_KEY, EXACT_KEY, VALUE_KEY = "lr_slider", "lr_exact", "lr"
DRAG_KEY = "lr_drag"  # the slider component's own state: {"rate": {"index", "n"}}
ERROR_KEY = "_gv_lr_error"  # why the typed rate was refused, until the rate next changes


def nearest(lr: float) -> float:
    """The slider value closest to ``lr`` on a log scale."""
    lr = min(max(float(lr), LR_GRID[0]), LR_GRID[-1])
    return LR_GRID[int(np.argmin(np.abs(_LOG_GRID - math.log(lr))))]


def format_lr(v: float) -> str:
    """Enough digits to be exact for the grid and for typed values: 0.05, 1.2e-05, 2.5."""
    return f"{v:.6g}"


def set_lr(lr: float) -> None:
    """Set the rate from outside the widgets (URL, lessons): both widgets follow."""
    st.session_state[VALUE_KEY] = float(lr)
    st.session_state[EXACT_KEY] = float(lr)
    st.session_state[SLIDER_KEY] = nearest(lr)
    st.session_state.pop(ERROR_KEY, None)


def _from_slider() -> None:
    index = committed(DRAG_KEY, len(LR_GRID))
    if index is not None:
        set_lr(LR_GRID[index])


def _from_exact() -> None:
    value = st.session_state.get(EXACT_KEY)
    if value is None:  # emptied box: fall back to the slider
        value = float(st.session_state[SLIDER_KEY])
    try:
        value = FIELD["lr"].parse(value)
    except ExperimentError as error:  # 0, -1, 1e9: say so, keep the rate the run uses
        kept = st.session_state[VALUE_KEY]
        st.session_state[EXACT_KEY] = kept
        st.session_state[ERROR_KEY] = f"{error} Keeping {format_lr(kept)}."
        return
    set_lr(value)


_LABELS = [format_lr(v) for v in LR_GRID]
HELP = "Log scale from 0.00001 to 10: each arrow key changes the rate by 4-17%."


def lr_control(container=st) -> float:
    """Draw the slider and the exact box; return the learning rate."""
    if VALUE_KEY not in st.session_state or SLIDER_KEY not in st.session_state:
        set_lr(st.session_state.get(VALUE_KEY, FIELD["lr"].default))
    with container:
        rate_slider(
            DRAG_KEY,
            _LABELS,
            LR_GRID.index(st.session_state[SLIDER_KEY]),
            label="Learning rate",
            help=HELP,
            on_change=_from_slider,
        )
    spec = FIELD["lr"]
    container.number_input(
        "Exact learning rate",
        key=EXACT_KEY,
        format="%g",
        step=None,
        on_change=_from_exact,
        help=f"Type any rate {spec.range_text()}.",
    )
    if st.session_state.get(ERROR_KEY):
        container.error(plain(st.session_state[ERROR_KEY]))
    return float(st.session_state[VALUE_KEY])
