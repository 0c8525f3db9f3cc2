"""The start point's widgets: two boxes, x and y, that default to the surface's own start.

Every page binds them under its own key prefix (`ui.controls.experiment_controls.key`): the
playground's keys are
``start_x``, ``start_y`` and ``start_custom``; the compare pages' ``cmp_start_x`` and so on.
``start_custom`` says the learner (or a link, or a click on the map) chose the point; while it
is off the boxes follow the surface's default and the experiment has no start of its own.
"""

from __future__ import annotations

import streamlit as st

from core.schema.experiment import FIELD

X, Y, CUSTOM = "start_x", "start_y", "start_custom"  # the keys, before a page's prefix


def reset_start(prefix: str = "") -> None:
    """A new surface (or formula) starts from its own default point."""
    st.session_state[prefix + CUSTOM] = False
    st.session_state.pop(prefix + X, None)
    st.session_state.pop(prefix + Y, None)


def set_start(point: tuple[float, float], prefix: str = "") -> None:
    """Set the start point (a link, or a click on the map)."""
    ss = st.session_state
    ss[prefix + X], ss[prefix + Y] = float(point[0]), float(point[1])
    ss[prefix + CUSTOM] = True


def _mark_start(prefix: str) -> None:
    st.session_state[prefix + CUSTOM] = True


def start_control(
    sidebar, default_start: tuple[float, float], *, prefix: str = "", hint: str | None = None
) -> tuple[float, float] | None:
    """Start point boxes; None means the surface's default. ``hint``: a caption under them."""
    ss = st.session_state
    if not ss.get(prefix + CUSTOM) or prefix + X not in ss:
        ss[prefix + X], ss[prefix + Y] = map(float, default_start)
        ss[prefix + CUSTOM] = False
    spec = FIELD["start"]
    values = []
    for column, name, label in zip(sidebar.columns(2), (X, Y), ("Start x", "Start y"), strict=True):
        value = column.number_input(
            label,
            min_value=spec.lo,
            max_value=spec.hi,
            key=prefix + name,
            format="%g",
            step=0.1,
            on_change=_mark_start,
            args=(prefix,),
        )
        values.append(float(value))
    if hint:
        sidebar.caption(hint)
    point = (values[0], values[1])
    if not ss.get(prefix + CUSTOM) or point == tuple(map(float, default_start)):
        return None
    return point


def carried(prefix: str = "") -> tuple[str, ...]:
    """The session keys that hold the start, for a page that hands them on to the next."""
    return (prefix + X, prefix + Y, prefix + CUSTOM)
