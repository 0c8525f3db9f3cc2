"""Journey: a student on the Playground, by mouse and keyboard, as a person does it.

Opens `/`, sees what to do first, drags the rate from tiny to divergent with the mouse and
with bursts of keys, picks every surface and sees a descent first, plays, clicks a start,
types a bad formula and reads the message verbatim, then copies the link and opens it in a
fresh browser: the same view, toggles included.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from core.schema.rate_grid import LR_GRID
from core.valley import surfaces
from tests.browser.conftest import CHART, IDLE
from ui.controls.lr_control import format_lr

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def _slider(page):
    return page.get_by_role("slider", name="Learning rate")


def _settled(page, lr: float) -> None:
    """Slider, link, run and exact box all say ``lr`` (once the rerun has landed)."""
    text = format_lr(lr)
    page.wait_for_function(
        "lr => new URLSearchParams(location.search).get('lr') === lr"
        " || (lr === '0.05' && !new URLSearchParams(location.search).has('lr'))",
        arg=text,
    )
    assert _slider(page).get_attribute("aria-valuetext") == text
    page.wait_for_function(  # the exact box holds the same number (its own formatting)
        "lr => Math.abs(Number(document.querySelector("
        "'[data-testid=stSidebar] input[aria-label=\"Exact learning rate\"]').value) / lr - 1)"
        " < 1e-9",
        arg=lr,
        timeout=15_000,
    )
    page.wait_for_selector(IDLE, state="attached")


def _badge(page) -> str:
    return page.locator(".gv-badge").first.inner_text()


def _no_connection_error(page) -> None:
    assert page.get_by_text("Connection error").count() == 0
    assert page.get_by_text("Cached ForwardMsg MISS").count() == 0


def _pick_surface(page, title: str) -> None:
    page.locator(SIDEBAR).get_by_label("Loss surface").click()
    page.get_by_role("option", name=title, exact=True).click()


def test_student_playground_journey(page, open_app, browser, server_url):
    page.set_default_timeout(60_000)
    open_app(page)
    page.get_by_text("Drag the learning rate in the sidebar").wait_for()  # what to do first

    # The mouse: from the slider's low end to its top, a drag across the whole track.
    slider = _slider(page)
    slider.focus()
    page.keyboard.press("Home")
    _settled(page, LR_GRID[0])
    assert _badge(page).startswith("Too slow")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    for k in range(1, 41):  # a drag is many small moves, each repainted in the page
        page.mouse.move(box["x"] + 2 + k * (box["width"] + 10) / 40, y)
        time.sleep(0.01)
    page.mouse.up()
    _settled(page, LR_GRID[-1])
    assert _badge(page).startswith("Diverged")
    # The step that left the valley is drawn and named on the map, though it was the first.
    page.wait_for_function(
        "() => /left at step 1|blew up at step 1/.test("
        "document.querySelector('.gv-map').textContent)"
    )

    # Bursts of keys: every press counts, and once input stops everything agrees.
    page.keyboard.press("Home")
    _settled(page, LR_GRID[0])
    position = 0
    for burst in range(6):
        for _ in range(15):
            page.keyboard.press("ArrowRight")
            time.sleep(0.04)
        position += 15
        time.sleep(0.3 if burst % 2 else 0.05)  # some bursts run into the rerun of the last
    _settled(page, LR_GRID[position])
    _no_connection_error(page)
    for _ in range(20):  # and back down, fast
        page.keyboard.press("ArrowLeft")
        time.sleep(0.02)
    position -= 20
    _settled(page, LR_GRID[position])
    _no_connection_error(page)

    # Every surface opens on a descent, not on a run that has already blown up.
    for name, surface in surfaces.SURFACES.items():
        _pick_surface(page, surface.title)
        page.wait_for_function(
            "name => (new URLSearchParams(location.search).get('surface') || 'valley') === name",
            arg=name,
        )
        page.wait_for_selector(IDLE, state="attached")
        badge = _badge(page)
        if surface.minima:
            assert not badge.startswith("Diverged"), (name, badge)
        else:  # no bottom (the saddle): it walks downhill, then off the map
            assert "runs downhill off the map" in badge, (name, badge)
    _pick_surface(page, surfaces.SURFACES["bowl"].title)
    page.wait_for_function("() => new URLSearchParams(location.search).get('surface') === 'bowl'")

    # Play to the end.
    page.wait_for_selector(CHART)
    page.select_option(".gv-speed", "20")
    page.get_by_role("button", name="Play", exact=True).click()
    steps = int(_query(page).get("steps", 150))
    page.get_by_text(f"step {steps} / {steps}").first.wait_for(timeout=60_000)

    # Click a start on the map: the start boxes and the link follow. A person looks at the
    # finished run first: by then the player has reported its last frame (300 ms after the
    # end) and the page has rerun. (Clicked within that rerun on a loaded machine, the start
    # reached the link in CI twice out of many runs not at all: not explained, see the notes.)
    page.wait_for_timeout(1000)
    page.wait_for_selector(IDLE, state="attached")
    plot = page.locator(".gv-map .nsewdrag").first.bounding_box()
    page.mouse.click(plot["x"] + plot["width"] * 0.25, plot["y"] + plot["height"] * 0.25)
    page.wait_for_function("() => new URLSearchParams(location.search).has('start')")
    x, y = (float(v) for v in _query(page)["start"].split(","))
    assert x < 0 and y > 0  # upper left of the bowl's centred domain

    # A bad formula: the message is shown verbatim, as text.
    _pick_surface(page, "Custom formula")
    formula = page.locator(SIDEBAR).get_by_role("textbox", name="Formula in x and y")
    formula.fill("__import__('os')")
    formula.press("Enter")
    error = page.locator(SIDEBAR).locator('[data-testid="stAlert"]').filter(has_text="import")
    error.first.wait_for()
    assert "__import__" in error.first.inner_text()

    # A good one, the internals on, then the link opened in a fresh browser: the same view.
    formula.fill("0.5*x^2 + 5*y^2")
    formula.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('formula')")
    page.get_by_text("Optimizer internals").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('internals')")
    page.wait_for_selector(CHART)
    page.wait_for_selector(IDLE, state="attached")
    link, badge = page.url, _badge(page)

    fresh = browser.new_context(viewport={"width": 1366, "height": 768})
    other = fresh.new_page()
    other.set_default_timeout(60_000)
    other.goto(link)
    other.wait_for_selector(CHART, timeout=60_000)
    assert other.locator(SIDEBAR).get_by_role(
        "textbox", name="Formula in x and y"
    ).input_value() == ("0.5*x^2 + 5*y^2")
    assert other.get_by_role("switch", name="Optimizer internals").is_checked()
    assert _slider(other).get_attribute("aria-valuetext") == _slider(page).get_attribute(
        "aria-valuetext"
    )
    assert other.locator(".gv-badge").first.inner_text() == badge
    _no_connection_error(page)
    fresh.close()
