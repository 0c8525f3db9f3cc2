"""A learner takes the blindfold walk on the bowl by keyboard alone, in real Chromium: opens the
page from the navigation, picks the bowl, types a rate, steps with Enter (in the rate box, then
on the Step button) until the bottom, sees the valley revealed beside gradient descent at the
best fixed rate, and after a reload finds their best kept by the browser."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import shown
from ui.components.blindfold_scores import STORAGE_KEY

pytestmark = pytest.mark.browser

NAV = '[data-testid="stSidebarNav"]'
HIDDEN = (  # the walking view draws no picture of the surface (a layout image is an <image>)
    "() => document.querySelectorAll('.st-key-bw_feel .main-svg').length >= 1"
    " && document.querySelectorAll('.st-key-bw_feel image, .st-key-bw_loss image').length === 0"
)
REVEALED = "() => document.querySelectorAll('.st-key-bw_reveal .main-svg image').length >= 1"


def steps_shown(page, n: int) -> None:
    shown(page, f"Steps taken: {n} ·").wait_for()


def test_a_blindfold_walk_on_the_bowl_by_keyboard_to_the_reveal_and_a_kept_best(page, open_app):
    page.set_default_timeout(60_000)  # a first walk compiles the engine on a fresh server
    open_app(page, "lessons", wait_for=NAV)
    link = page.locator(NAV).get_by_role("link", name="Blindfold walk")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.pathname.endsWith('/blindfold')")
    steps_shown(page, 0)

    menu = page.get_by_role("combobox", name="Loss surface")
    menu.focus()
    page.keyboard.type("round bowl")  # the menu filters to the one surface of that name
    page.get_by_role("option", name="The round bowl").wait_for()
    page.wait_for_function("() => document.querySelectorAll('[role=option]').length === 1")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search === '?surface=bowl'")  # the link names it
    shown(page, "you stand at (-3, 2.5)").wait_for()
    page.wait_for_function(HIDDEN)

    # Rate 0.4 on x^2 + y^2 multiplies the loss by (1 - 0.8)^2 = 0.04 a step: 15.25, 0.61,
    # 0.0244, 0.000976, under a thousandth of 15.25 at the third step.
    box = page.get_by_role("textbox", name="Rate for the next step")
    box.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0.4")
    page.keyboard.press("Enter")  # Enter in the rate box takes the step
    steps_shown(page, 1)
    shown(page, "loss 0.61 ·").wait_for()
    page.keyboard.press("Enter")  # the same rate as before
    steps_shown(page, 2)
    page.wait_for_function(HIDDEN)
    page.keyboard.press("Tab")  # to the Step button, and press it with the keyboard
    assert page.evaluate("document.activeElement.innerText") == "Step"
    page.keyboard.press("Space")

    shown(page, "You reached the bottom in 3 steps.").wait_for()
    page.wait_for_function(REVEALED)
    reveal = page.locator(".st-key-bw_reveal")
    assert "your walk: 3 steps" in reveal.text_content()
    assert "gradient descent at rate 0.5" in reveal.text_content()
    shown(page, "Your best on this walk: 3 steps").wait_for()
    page.get_by_test_id("stMetric").nth(1).wait_for()  # its script loads on first use
    metrics = page.get_by_test_id("stMetric").all_inner_texts()
    assert any("Your steps" in m and "3" in m for m in metrics), metrics
    assert any("Gradient descent at rate 0.5" in m and "1" in m for m in metrics), metrics
    shown(page, "On a quadratic the best fixed rate is").wait_for()
    page.wait_for_function(f"() => localStorage.getItem({json.dumps(STORAGE_KEY)}) !== null")
    stored = json.loads(page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})"))
    assert stored == {"best": {"surface=bowl": 3}}

    page.reload()  # a new session: the browser remembers the best, the walk starts afresh
    steps_shown(page, 0)
    shown(page, "Your best on this walk: 3 steps").wait_for()
    assert page.url.endswith("/blindfold?surface=bowl")
