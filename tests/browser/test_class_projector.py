"""The live class on a projector, in real Chromium at 1920 x 1080 and 1280 x 720: once a
question is asked and voting is open, the room code, the question, the next step's button and
every answer's bar are on screen without scrolling (the room watches the bars fill)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.class_helpers import button, metric

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("GV_SHOTS", "")  # a folder for screenshots, when looking by eye

# Boxes of what must be seen from the back of the room, relative to the window.
SEEN_JS = """() => {
  // As projected: Streamlit's main area scrolled to its top (a click scrolls its button in).
  const main = '[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]';
  for (const e of document.querySelectorAll(main)) e.scrollTop = 0;
  const box = e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; };
  const bars = [...document.querySelectorAll('[data-testid="stPlotlyChart"] .ytick text')];
  return {
    window: window.innerHeight,
    code: box(document.querySelector('h1 code, h2 code, h3 code')),
    qr: box(document.querySelector('[data-testid="stImage"] img')),
    bars: bars.map(box),
  };
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
def test_the_open_vote_fits_the_projector(browser, server_url, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server_url}/classroom")
        button(page, "Start a class").click()
        button(page, "Ask this question").click()
        button(page, "Open voting").click()
        expect(metric(page, "Voting")).to_have_text("open")
        expect(page.locator('[data-testid="stPlotlyChart"] .ytick text').first).to_be_visible()
        seen = page.evaluate(SEEN_JS)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/projector-{width}x{height}.png")
        assert len(seen["bars"]) >= 2, seen
        for name in ("code", "qr"):
            assert seen[name][1] <= height, (name, seen)
        for _top, bottom in seen["bars"]:
            assert bottom <= height, ("an answer's bar is below the window", seen)
        for label in ("Close voting",):
            box = button(page, label).bounding_box()
            assert box and box["y"] + box["height"] <= height, label
    finally:
        context.close()
