"""Phones and tablets: every page at 390 x 844 (a phone) and 768 x 1024 (a tablet), by taps.

A touch screen (Chromium's mobile emulation: has_touch, is_mobile) opens each page from the
navigation, as a person does, and on each, main area and opened sidebar alike: no horizontal
scrolling (the document is no wider than the window), the map inside the window, every
control at least 44 px tall (tests/browser/touch_measure.py says which). Then the journeys:
open the Playground from the navigation, tap the map to set the start, change the rate with a
tap on its slider and read the new outcome; open a lesson from the list and answer a question.
One server and one browser context per screen size for the whole module.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import app_url
from tests.browser.touch_measure import SCREENS, open_screens
from tests.browser.touch_measure import idle as _idle
from tests.browser.touch_measure import problems as _problems

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
OPEN_SIDEBAR = '[data-testid="stExpandSidebarButton"]'
# (navigation label, what shows once the page is drawn)
PAGES = [
    ("Playground", ".gv-map .main-svg"),
    ("Race", ".gvr-map .main-svg"),
    ("Learning-rate sweep", "[data-testid='stPlotlyChart'], .js-plotly-plot"),
    ("Many walkers", "h1"),
    ("Blindfold walk", "[data-testid='stFormSubmitButton']"),  # its Step button
    ("Real model", "h1"),
    ("Lessons", "h1"),
    ("Live class", "h1"),
    ("Join a class", "h1"),
]


screens = pytest.fixture(scope="module", name="screens")(open_screens)


def _sidebar_open(page) -> bool:
    return page.locator(SIDEBAR).evaluate("e => e.getBoundingClientRect().right > 0")


def _open_sidebar(page) -> None:
    if not _sidebar_open(page):
        page.locator(OPEN_SIDEBAR).tap()
    page.wait_for_function(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.left >= 0 && r.right > 0; }",
        arg=SIDEBAR,
    )


def _close_sidebar(page) -> None:
    if _sidebar_open(page):
        page.locator(f'{SIDEBAR} [data-testid="stSidebarCollapseButton"] button').tap()
    page.wait_for_function(
        "s => document.querySelector(s).getBoundingClientRect().right <= 0", arg=SIDEBAR
    )


def _go(page, label: str, ready: str, found: list[str] | None = None, where: str = "") -> None:
    """Open a page from the navigation by taps: open the sidebar, tap its link. With `found`,
    the open sidebar's controls (the page being left's) are measured on the way."""
    _open_sidebar(page)
    if found is not None:
        found += _problems(page, f"{where} (sidebar)", SIDEBAR, sidebar=True)
    page.locator(f'{SIDEBAR} a[data-testid="stSidebarNavLink"]', has_text=label).first.tap()
    page.locator(ready).first.wait_for(state="visible")
    _idle(page)
    if _sidebar_open(page):  # a phone closes it after a tap on a link; a tablet may not
        _close_sidebar(page)


def _open_lesson(page) -> None:
    page.locator("[data-testid='stMain'] a").filter(
        has_text="What the learning rate is"
    ).first.tap()
    page.get_by_role("radiogroup").first.wait_for()
    _idle(page)


@pytest.mark.timeout(600)  # ten pages and their sidebars, on a busy machine
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_page_fits_the_screen_and_a_finger(screens, server_url, screen):
    page = screens[screen]
    page.goto(app_url(server_url, "lessons"))
    _idle(page)
    found, where = [], f"{screen} Lessons"
    for label, ready in PAGES:
        _go(page, label, ready, found, where)  # measures the sidebar of the page it leaves
        where = f"{screen} {label}"
        found += _problems(page, where)
    # A lesson, opened from the list.
    _go(page, "Lessons", "h1", found, where)
    _open_lesson(page)
    found += _problems(page, f"{screen} a lesson")
    _open_sidebar(page)
    found += _problems(page, f"{screen} a lesson (sidebar)", SIDEBAR, sidebar=True)
    _close_sidebar(page)
    assert not found, "\n".join(found)


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_journey_by_taps(screens, server_url, screen):
    page = screens[screen]
    page.goto(app_url(server_url, "lessons"))
    _idle(page)
    # The Playground from the navigation; a tap on the map moves the start there.
    _go(page, "Playground", ".gv-map .main-svg")
    area = page.locator(".gv-map .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen][0]
    page.touchscreen.tap(box["x"] + 0.25 * box["width"], box["y"] + 0.3 * box["height"])
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')")
    _idle(page)
    start = _query(page)["start"]
    badge = page.locator(".gv-badge").first.inner_text()
    # The rate: a tap near the right end of its slider (a large rate), then the outcome.
    _open_sidebar(page)
    rate = page.locator(f"{SIDEBAR} .gv-rate-input").first
    rate.scroll_into_view_if_needed()
    r = rate.bounding_box()
    page.touchscreen.tap(r["x"] + 0.97 * r["width"], r["y"] + r["height"] / 2)
    page.wait_for_function(
        "() => (new URLSearchParams(location.search).get('lr') || '0.05') !== '0.05'"
    )
    _idle(page)
    _close_sidebar(page)
    assert _query(page)["start"] == start  # the start stayed where it was tapped
    page.wait_for_function(
        "before => document.querySelector('.gv-badge').innerText !== before", arg=badge
    )
    assert "Diverged" in page.locator(".gv-badge").first.inner_text()
    # A lesson from the list, and its first question answered by taps.
    _go(page, "Lessons", "h1")
    _open_lesson(page)
    group = page.get_by_role("radiogroup").first
    group.locator("label").first.tap()
    page.get_by_role("button", name="Check my prediction").first.tap()
    page.get_by_text("Right:").or_(page.get_by_text("Not quite")).first.wait_for()
