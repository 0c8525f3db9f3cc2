"""The learning-rate control: a log-scale slider with fine steps, plus the exact value, typed.

The slider (label "Learning rate", a public contract) moves over 22 "nice" values per decade
from 1e-5 to 10, so an arrow key moves by 4-17% and common rates (0.01, 0.05, 0.2, 1) sit on
it exactly. The number box beside it holds the exact rate: typing 0.0123 keeps 0.0123 and parks
the slider on its nearest value. ``st.session_state["lr"]`` is the rate the run uses.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from core.experiment import FIELD
from core.rate_grid import HIGH_EXP, LOW_EXP, LR_GRID, MANTISSAS  # noqa: F401  (re-exported)

_LOG_GRID = np.log(np.array(LR_GRID))

SLIDER_KEY, EXACT_KEY, VALUE_KEY = "lr_slider", "lr_exact", "lr"


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


def _from_slider() -> None:
    value = float(st.session_state[SLIDER_KEY])
    st.session_state[VALUE_KEY] = value
    st.session_state[EXACT_KEY] = value


def _from_exact() -> None:
    value = st.session_state.get(EXACT_KEY)
    if value is None:  # emptied box: fall back to the slider
        value = float(st.session_state[SLIDER_KEY])
        st.session_state[EXACT_KEY] = value
    st.session_state[VALUE_KEY] = float(value)
    st.session_state[SLIDER_KEY] = nearest(value)


def lr_control(container=st) -> float:
    """Draw the slider and the exact box; return the learning rate."""
    if VALUE_KEY not in st.session_state or SLIDER_KEY not in st.session_state:
        set_lr(st.session_state.get(VALUE_KEY, FIELD["lr"].default))
    container.select_slider(
        "Learning rate",
        options=LR_GRID,
        key=SLIDER_KEY,
        format_func=format_lr,
        on_change=_from_slider,
        help="Log scale from 0.00001 to 10: each arrow key changes the rate by 4-17%.",
    )
    spec = FIELD["lr"]
    container.number_input(
        "Exact learning rate",
        min_value=spec.lo,
        max_value=spec.hi,
        key=EXACT_KEY,
        format="%g",
        step=None,
        on_change=_from_exact,
        help=f"Type any rate {spec.range_text()}.",
    )
    return float(st.session_state[VALUE_KEY])
