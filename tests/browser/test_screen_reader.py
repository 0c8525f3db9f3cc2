"""What a screen reader gets, in real Chromium: the Playground's chart has a text alternative
that names the run on screen (its surface, optimizer, rate, start and outcome with its step,
the same words the page shows sighted readers), and the outcome badge is a live region that
stays on the page and takes the new outcome when the rate changes, so it is announced.
"""

from __future__ import annotations

import re

import pytest

from core.catalog.optimizers import entry
from core.schema.experiment import Experiment
from core.valley.simulation import simulate

pytestmark = pytest.mark.browser

MAP = ".gv-root .gv-map"
LIVE = '[role="status"][aria-live="polite"]:has(.gv-badge)'


def _alt(page) -> str:
    assert page.locator(MAP).get_attribute("role") == "img"
    return page.locator(MAP).get_attribute("aria-label") or ""


def _badge_word(page) -> str:
    """The badge's first chip, as shown: "Converged at step 115"."""
    return page.locator(".gv-badge > span").first.inner_text().strip()


def _settled_on(page, scene_before: str) -> None:
    """Wait for the rerun's new scene and the end of the script run."""
    page.wait_for_function(
        "(before) => document.querySelector('.gv-root').getAttribute('data-scene') !== before",
        arg=scene_before,
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        ".getAttribute('data-test-script-state') !== 'running'"
    )


def test_chart_alternative_and_live_badge(page, open_app):
    open_app(page, "", wait_for=".gv-root[data-scene]")
    exp = Experiment()  # the Playground's first run: its defaults
    run = simulate(exp)
    alt = _alt(page)
    # The sentence names what the sighted reader sees: the surface, the optimizer, the rate
    # on the slider, the start, and the badge's outcome and step.
    assert run.surface.title.removeprefix("The ") in alt
    assert entry(exp.optimizer).title in alt
    rate = page.get_by_role("slider", name="Learning rate").get_attribute("aria-valuetext")
    assert f"learning rate {float(rate):g}" in alt
    x, y = run.resolved.start
    assert f"({x:.3g}, {y:.3g})" in alt
    word = _badge_word(page)
    assert word.lower() in alt.lower(), (word, alt)
    assert re.search(r"(at|from) step \d+", alt)

    # The live region: present before the change, the same element after it, new words in it.
    live = page.locator(LIVE)
    assert live.count() == 1
    assert live.get_attribute("aria-atomic") == "true"
    live.evaluate("el => { el.__gvMarked = true; }")
    scene = page.locator(".gv-root").get_attribute("data-scene")
    slider = page.get_by_role("slider", name="Learning rate")
    slider.focus()
    page.keyboard.press("End")  # the largest rate on the slider: the walk blows up
    _settled_on(page, scene)
    page.wait_for_function(f"() => document.querySelector({LIVE!r}).innerText.includes('Diverged')")
    assert live.count() == 1
    assert live.evaluate("el => el.__gvMarked === true"), "the live region was replaced"
    new_word = _badge_word(page)
    assert new_word.startswith("Diverged") and new_word != word
    new_alt = _alt(page)
    assert new_word.lower() in new_alt.lower(), (new_word, new_alt)
    new_rate = slider.get_attribute("aria-valuetext")
    assert new_rate != rate and f"learning rate {float(new_rate):g}" in new_alt
