"""The playground page: the link (or the last run) loaded into the controls, the view toggles,
the sidebar's controls, then the run (`ui.views.playground_view.main_view`) and the URL written
back.
"""

from __future__ import annotations

import streamlit as st

from ui import cache as run_cache
from ui import theme
from ui.components.valley_component import preload_player
from ui.controls import experiment_controls as controls
from ui.state import url_state
from ui.views.playground_view import main_view
from ui.views.theory import show_theory

LOADED_KEY = "_gv_loaded_from"  # (experiment key, notices) of the last link loaded
VIEW_TOGGLES = ("present", "internals", "three")  # view fields (core.schema.experiment) in the link
FIRST_STEP = "Drag the learning rate in the sidebar, press Play, or click the map to start there."


def show() -> None:
    """The whole page."""
    # A new session (or a return from another page) starts from the link, else from the last run.
    if "surface" not in st.session_state:
        exp, view, notices = url_state.read()
        if not url_state.query() and "_gv_last" in st.session_state:
            exp, view = st.session_state["_gv_last"]
        notices += controls.load(exp)
        for toggle in VIEW_TOGGLES:  # the view fields of the one schema, as the link has them
            st.session_state[toggle] = bool(view.get(toggle))
        st.session_state[LOADED_KEY] = (None, notices)

    present = bool(st.session_state.get("present"))
    theme.apply(present)
    preload_player(st.sidebar)

    st.title("Playground")
    with st.container(horizontal=True, gap="medium"):
        st.toggle("Presentation mode", key="present", help="Large type and lines for projection.")
        internals = st.toggle("Optimizer internals", key="internals")
        three = st.toggle("3D view", key="three")

    exp, surface, theory_slot = controls.read(st.sidebar, run_cache.surface_of)
    view = {"present": present, "internals": internals, "three": three}

    loaded_key, notices = st.session_state[LOADED_KEY]
    if loaded_key is None:  # first run after loading: remember what the link described
        st.session_state[LOADED_KEY] = loaded_key, notices = (exp.key(), notices)
    if notices and loaded_key == exp.key():
        url_state.show_notices(notices)

    if surface is None:
        st.info("Fix the formula in the sidebar to see its valley.")
    else:
        show_theory(theory_slot, exp)
        if not present:  # a projected demo has its presenter; a newcomer needs a first move
            st.caption(FIRST_STEP)
        main_view(exp, present, internals, three)
        st.session_state["_gv_last"] = (exp, view)
    url_state.write(exp, view)
