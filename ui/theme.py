"""Presentation mode: large type and thick lines for the back of a lecture hall.

`apply(True)` collapses the sidebar and enlarges the page's text with CSS; the figures get
the matching `figures.palette.PRESENTATION` theme (bigger fonts, thicker lines, high
contrast, Okabe-Ito colours) from the page.
"""

from __future__ import annotations

import streamlit as st

PRESENT_CSS = """
<style>
html { font-size: 22px; }
[data-testid="stAppViewContainer"] { color: #000; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMarkdownContainer"] {
  font-size: 1.15rem; line-height: 1.45;
}
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.05rem; font-weight: 600; }
.gv-badge { font-size: 1.35rem !important; }
</style>
"""


def apply(present: bool) -> None:
    """Set the page up for projection (or normal screens)."""
    st.set_page_config(initial_sidebar_state="collapsed" if present else "auto")
    if present:
        st.html(PRESENT_CSS)
