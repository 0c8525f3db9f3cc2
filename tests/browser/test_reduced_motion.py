"""Motion, in real Chromium: a reader who asked the system for less motion
(`prefers-reduced-motion: reduce`, Playwright's `reduced_motion`) gets a Playground whose player
does not animate by itself: the whole path is drawn at once, the player stays still, and the
page's CSS animations and transitions are off. Pressing Play still plays the walk.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STILL_MS = 1500  # long enough for a 20-steps-a-second player to move many frames


def test_reduced_motion_shows_the_path_and_plays_on_request(browser, open_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_app(page, "", wait_for=".gv-root[data-scene]")
        assert page.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")
        root = page.locator(".gv-root")
        last = page.locator(".gv-root input[type=range]").get_attribute("max")
        # The final path at once, and no movement of its own.
        assert root.get_attribute("data-frame") == last
        page.wait_for_timeout(STILL_MS)
        assert root.get_attribute("data-frame") == last
        assert root.get_attribute("data-playing") != "1"
        # The page's own CSS: nothing slides or fades (a button's hover transition, say).
        durations = page.evaluate(
            "() => [...document.querySelectorAll('button')].map("
            "b => parseFloat(getComputedStyle(b).transitionDuration) || 0)"
        )
        assert durations and max(durations) == 0, durations
        # Play still plays: from the start again, frame after frame.
        page.get_by_role("button", name="Play", exact=True).click()
        page.wait_for_function("() => document.querySelector('.gv-root').dataset.playing === '1'")
        page.wait_for_function(
            "(last) => { const f = +document.querySelector('.gv-root').dataset.frame;"
            " return f > 0 && f < +last; }",
            arg=last,
        )
    finally:
        context.close()
