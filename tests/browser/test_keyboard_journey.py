"""Journey: a learner without a mouse takes the first lesson with the keyboard alone, in real
Chromium. Tab (and Shift+Tab) walk the page in reading order, every stop showing a visible
focus ring; the lesson opens from its card with Enter; each prediction is chosen with Space
and the arrow keys in its radio group and checked with Enter; the experiment's player plays
and pauses with Space and steps with the arrow keys; the lesson ends complete. No click, no
typed URL after the first.
"""

from __future__ import annotations

import pytest

from core.lessons import Lesson, load_all
from tests.browser.conftest import IDLE

pytestmark = pytest.mark.browser

LESSON = next(e for e in load_all() if isinstance(e, Lesson))  # the course's first lesson
MAX_TABS = 150  # stops between two targets on the longest stretch of the page, with margin

# What has the focus: its tag, role, name and where it is, and whether a focus indicator (an
# outline at least 2 px wide, or a box shadow) is drawn on it or on a close ancestor (a
# radio's input is hidden: its label carries the ring).
FOCUSED_JS = """() => {
  const host = document.activeElement;
  if (!host || host === document.body) return null;
  let a = host;  // a component with isolated styles keeps its focus inside its shadow root
  while (a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  const ring = (e) => { const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
        || (s.boxShadow && s.boxShadow !== 'none'); };
  let shown = false;
  for (let e = a, i = 0; e && i < 5; e = e.parentElement || e.getRootNode().host, i++)
    if (ring(e)) { shown = true; break; }
  const group = host.closest('[role=radiogroup]');
  return { tag: a.tagName, type: a.type || '', role: a.getAttribute('role') || '',
           text: (a.getAttribute('aria-label') || a.innerText || a.value || '').trim().slice(0, 60),
           group: group ? [...document.querySelectorAll('[role=radiogroup]')].indexOf(group) : -1,
           player: !!host.closest('.gv-root'), cls: a.className || '', shown,
           sidebar: !!host.closest('[data-testid=stSidebar]'),
           order: [...document.querySelectorAll('*')].indexOf(host) };
}"""


def _tab_to(page, wanted, what: str, back: bool = False) -> dict:
    """Press Tab (Shift+Tab if `back`) until `wanted(focused)`; every stop on the way must show
    its focus. Returns the focused element's description."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            continue
        assert focused["shown"], f"no visible focus on {focused} (going to {what})"
        if wanted(focused):
            return focused
    raise AssertionError(f"{what} not reached within {MAX_TABS} presses of Tab")


def _frame(page) -> int:
    return int(page.locator(".gv-root").first.get_attribute("data-frame") or -1)


def _player_by_keys(page) -> None:
    """The experiment's player, from its Play button: Space plays and pauses, the arrow keys
    step back and on, Home and End go to the ends."""
    _tab_to(page, lambda f: f["player"] and f["tag"] == "BUTTON", "the player's Play button")
    root = page.locator(".gv-root").first
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelector('.gv-root').dataset.frame === '0'")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.gv-root').dataset.frame === '2'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.gv-root').dataset.frame === '1'")
    page.keyboard.press("Space")  # play
    page.wait_for_function("() => document.querySelector('.gv-root').dataset.playing === '1'")
    page.wait_for_function("() => +document.querySelector('.gv-root').dataset.frame > 1")
    page.keyboard.press("Space")  # pause
    page.wait_for_function("() => document.querySelector('.gv-root').dataset.playing === '0'")
    paused = _frame(page)
    page.wait_for_timeout(300)
    assert _frame(page) == paused, "still moving after Space paused it"
    page.keyboard.press("End")
    page.wait_for_function(
        "() => { const r = document.querySelector('.gv-root');"
        " return r.dataset.frame === r.querySelector('input[type=range]').max; }"
    )
    assert root.get_attribute("data-playing") == "0"


def _walk_back(page, stops: int) -> None:
    """Shift+Tab `stops` times: each stop shows its focus, each comes before the last."""
    walked = []
    _tab_to(page, lambda f: walked.append(f["order"]) or len(walked) == stops, "back", back=True)
    assert walked == sorted(walked, reverse=True), "Shift+Tab did not walk back"


def test_first_lesson_by_keyboard_alone(page, open_app):
    page.set_default_timeout(60_000)
    open_app(page, "lessons", wait_for=None)
    page.get_by_role("heading", name="Lessons").wait_for()
    # A person reads before pressing Tab; the test waits for the page's style (its focus ring)
    # to be in the page, which a loaded machine may deliver a moment after the heading.
    page.wait_for_selector(".gv-style-host", state="attached")
    page.wait_for_selector(IDLE, state="attached")

    # Through the sidebar's pages to the course list's first card; then Enter opens it.
    card = f"1. {LESSON.title}"
    stops = []
    _tab_to(page, lambda f: stops.append(f) or card in f["text"], "the first card")
    assert any(s["sidebar"] for s in stops) and not stops[-1]["sidebar"]  # the pages, then main
    order = [s["order"] for s in stops]
    assert order == sorted(order), "the focus order is not the page's reading order"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=LESSON.title, exact=True).wait_for()

    for k, question in enumerate(LESSON.questions):
        # Into the k-th radio group: Space picks the first choice, the arrows the right one.
        _tab_to(page, lambda f, k=k: f["group"] == k, f"question {k + 1}'s choices")
        page.keyboard.press("Space")
        for _ in range(question.answer):
            page.keyboard.press("ArrowDown")
        group = page.get_by_role("radiogroup").nth(k)
        group.get_by_role("radio").nth(question.answer).wait_for(state="attached")
        page.wait_for_function(
            "([k, i]) => document.querySelectorAll('[role=radiogroup]')[k]"
            ".querySelectorAll('input[type=radio]')[i].checked",
            arg=[k, question.answer],
        )
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')].some("
            "b => b.innerText.includes('Check my prediction') && !b.disabled)"
        )
        _tab_to(page, lambda f: "Check my prediction" in f["text"], "the Check button")
        page.keyboard.press("Enter")
        page.get_by_text("Right:").nth(k).wait_for()
        if k == 0:
            # The experiment the first answer opens: its player, by keys; Shift+Tab walks back.
            page.locator(".gv-root[data-scene]").first.wait_for()
            _player_by_keys(page)
            _walk_back(page, 4)

    page.get_by_text("Lesson complete").wait_for()
