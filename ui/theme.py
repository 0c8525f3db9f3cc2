"""Presentation mode: large type and thick lines for the back of a lecture hall.

`apply(True)` keeps the sidebar open (it holds the rate control), widens it so its labels
fit, and sets a compact page: large type scaled to the viewport's height, a small title and
tight gaps, so the chart, the rate control and the outcome fit on one projected screen
(1920 x 1080 or 1280 x 720) without scrolling. The players size their charts to the room
left (figures/js); the figures get the matching `figures.palette.PRESENTATION` theme (bigger
fonts, thicker lines, high contrast, Okabe-Ito colours) from the page. Charts drawn by
`st.plotly_chart` take `fit_height(...)`: the window's height, reported by the browser once
(and again after a resize), less what the page shows above the chart.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import streamlit as st

from ui.a11y import STYLE_HOST

# The app's icon as a data URL, read once a process: given as a file, Streamlit decodes and
# re-encodes the image on every run of every page (~2 ms, measured); a URL it passes through.
# Local, so the browser fetches no favicon from a font host, and it works offline.
ICON_URL = "data:image/png;base64," + base64.b64encode(
    (Path(__file__).resolve().parent.parent / "assets" / "icon.png").read_bytes()
).decode("ascii")

VIEWPORT_KEY = "_gv_viewport_height"  # the browser window's inner height, in CSS px
GUESS_HEIGHT = 720  # until the browser has said: the smallest projector the app is made for

PRESENT_CSS = """
<style>
html { font-size: clamp(16px, 2.05vh, 22px); }
[data-testid="stAppViewContainer"] { color: #000; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMarkdownContainer"] {
  font-size: 1.1rem; line-height: 1.4;
}
/* A compact page: just below the header (3.75rem), a one-line title, tight gaps. */
.stMainBlockContainer { padding: 4rem 2.5rem 2rem; }
[data-testid="stMain"] h1 { font-size: 2rem; padding: 0 0 .35rem; line-height: 1.2; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { padding: .3rem 0 .2rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: .55rem; }
[data-testid="stWidgetLabel"] p { font-size: 1.05rem; font-weight: 600; }
.gv-badge { font-size: 1.3rem !important; margin: 0 !important; }
/* The sidebar stays open and wide enough for its labels at this size; its own type a
   little smaller than the main area's, its navigation and widgets closer together. */
[data-testid="stSidebar"][data-collapsed="false"] {
  width: 25rem !important; min-width: 25rem !important;
}
[data-testid="stSidebarContent"] { font-size: .9rem; }
[data-testid="stSidebarContent"] [data-testid="stWidgetLabel"] p,
[data-testid="stSidebarContent"] p { font-size: .95rem; }
[data-testid="stSidebarNav"] span { font-size: .95rem; }
[data-testid="stSidebarNavItems"] { padding-top: .25rem; padding-bottom: .25rem; }
[data-testid="stSidebarNavLink"] { line-height: 1.6; min-height: 0; }
[data-testid="stSidebarHeader"] { margin-bottom: 0; height: 2.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: .5rem; }
[data-testid="stSidebarUserContent"] [data-testid="stVerticalBlock"] { gap: .5rem; }
</style>
"""
# Phones and tablets (a finger, not a mouse: `pointer: coarse`): every control at least 44 CSS
# px tall (WCAG 2.5.5's target size, Apple's 44 pt), nothing wider than the screen. Wrapped in
# the media query, so laptops and projectors keep their compact page. Checked at 390 x 844 and
# 768 x 1024 by tests/browser/test_phone_journeys.py.
TOUCH_MIN_PX = 44
TOUCH_CSS = f"""
<style>
@media (pointer: coarse) {{
  /* Buttons everywhere: Streamlit's, the players' (Play, Speed), the header's and the
     sidebar's open/close, the tables' toolbars; tabs are buttons too. */
  button, [role="tab"], [role="button"], select,
  [data-testid="stSidebarNavLink"], [data-testid="stNumberInputContainer"],
  [data-baseweb="select"] > div, [data-baseweb="input"], [data-baseweb="textarea"],
  label[data-baseweb="radio"], label[data-baseweb="checkbox"] {{
    min-height: {TOUCH_MIN_PX}px !important;
  }}
  label[data-baseweb="radio"], label[data-baseweb="checkbox"],
  [data-testid="stSidebarNavLink"] {{ align-items: center; }}
  [data-testid="stHeader"] button, [data-testid="stElementToolbar"] button,
  [data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] button {{
    min-width: {TOUCH_MIN_PX}px !important;
  }}
  /* A help mark and a tag's cross stay small to the eye; their padding (taken back by a
     negative margin, so the line does not grow) is what the finger hits. */
  [data-testid="stTooltipHoverTarget"] button, [data-testid="stTooltipIcon"] button,
  [data-baseweb="tag"] [role="button"] {{
    min-height: {TOUCH_MIN_PX}px !important; min-width: {TOUCH_MIN_PX}px !important;
    margin: -14px !important; box-sizing: border-box; background-clip: content-box;
  }}
  /* Sliders: the range inputs' box and the slider thumbs a finger can hold. */
  input[type="range"] {{ min-height: {TOUCH_MIN_PX}px; }}
  [role="slider"] {{
    min-height: {TOUCH_MIN_PX}px !important; min-width: {TOUCH_MIN_PX}px !important;
    background-clip: content-box !important; padding: 12px !important;
    box-sizing: border-box !important;
  }}
}}
/* Any screen: a wide formula scrolls in its own box, never the page. */
.katex-display, [data-testid="stMarkdownContainer"] pre {{ overflow-x: auto; max-width: 100%; }}
</style>
"""

# The root size (1 rem) follows the window's height: 22 px on a 1080-high screen, 16 px on a
# 720-high one: (lowest px, share of the height in vh, highest px), read off the CSS above.
ROOT_SIZE = tuple(
    float(v)
    for v in re.search(r"clamp\(([\d.]+)px, ([\d.]+)vh, ([\d.]+)px\)", PRESENT_CSS).groups()
)


# Reports window.innerHeight when it differs from the height the server knows (on mount and
# after a resize): one rerun the first time, none after.
_VIEWPORT_JS = Path(__file__).resolve().parent / "viewport.js"
_viewport = st.components.v2.component(
    "gradient_valley_viewport", js=_VIEWPORT_JS.read_text(encoding="utf-8")
)


def _store_viewport() -> None:
    height = (st.session_state.get("gv_viewport") or {}).get("height")
    if isinstance(height, (int, float)) and 200 <= height <= 10_000:
        st.session_state[VIEWPORT_KEY] = int(height)


def root_px(viewport: int) -> float:
    """The presentation root font size (1 rem) on a window this high: PRESENT_CSS's clamp."""
    lo, share, hi = ROOT_SIZE
    return min(hi, max(lo, share / 100 * viewport))


def fit_height(above_rem: float, *, minimum: int = 300) -> int:
    """A chart height in px that fits the window below `above_rem` rem of page (the header,
    title and whatever the page puts above the chart), in presentation mode."""
    viewport = int(st.session_state.get(VIEWPORT_KEY, GUESS_HEIGHT))
    return max(minimum, int(viewport - above_rem * root_px(viewport)))


def touch() -> None:
    """Make every control big enough for a finger on a touch screen (TOUCH_CSS); app.py calls
    it once a run, before any page draws. On a hidden element, as ui/a11y.py's style: a
    style-only st.html can land in Streamlit's event container and miss the page.

    It is drawn when the browser has loaded st.html's renderer, which Streamlit 1.67 fetches
    on first use in each opened tab (React.lazy; a skeleton until then). Headings, text, the
    header's buttons and st.popover are drawn without waiting, so for that moment (up to
    seconds on a busy machine, even after the script has finished) they show at Streamlit's
    sizes (the header's buttons 28 px, buttons 40 px). No carrier a script has is drawn
    sooner: st.markdown's HTML waits for a larger lazy renderer (rehype-raw), components too.
    Once drawn, the element stays at the same place in every run and page, so it is never
    drawn again. Measurements wait for the page to be drawn (tests/browser/touch_measure.py).
    """
    st.html(TOUCH_CSS + STYLE_HOST)


def apply(present: bool) -> None:
    """Set the page up for projection (or normal screens). Call it before the page draws its
    "Presentation mode" toggle (key "present")."""
    # Each page's toggle is a widget of its own, which would start switched off: hand the
    # mode on, so an instructor turns it on once for every page.
    st.session_state["present"] = present
    st.set_page_config(initial_sidebar_state="expanded" if present else "auto")
    if present:
        st.html(PRESENT_CSS)
        with st.sidebar:
            _viewport(
                key="gv_viewport",
                data={"known": st.session_state.get(VIEWPORT_KEY)},
                on_height_change=_store_viewport,
            )
