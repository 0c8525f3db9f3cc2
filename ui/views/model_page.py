"""The real-model page: the link loaded into the widgets (`ui.state.model_url`), the title and
toggles,
then the part the reader chose (`ui.views.model_valley_view`, `ui.views.model_network_view`)."""

from __future__ import annotations

import streamlit as st

from figures.palette import theme as figure_theme
from ui import theme as page_theme
from ui.state import model_url, url_state
from ui.views import model_network_view, model_valley_view
from ui.views.model_valley_view import WHOLE_SET

VALLEY, NETWORK = model_url.LABELS["valley"], model_url.LABELS["network"]


def show() -> None:
    """The whole page."""
    notices = model_url.load(WHOLE_SET)  # before any widget: every one gets its value here
    present = model_url.presenting()
    page_theme.apply(present)
    ftheme = figure_theme(present)
    st.title("A real model")
    url_state.show_notices(notices)
    st.toggle("Presentation mode", key="present", help="Large type and lines for projection.")
    part = st.radio(
        "Part", [VALLEY, NETWORK], horizontal=True, key="part", label_visibility="collapsed"
    )
    model_url.save(WHOLE_SET)  # the link to this view, before the long runs below
    if part == VALLEY:
        model_valley_view.show(present, ftheme)
    else:
        model_network_view.show(ftheme)
