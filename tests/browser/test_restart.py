"""A server restart while the tab stays open (mid-lesson, mid-experiment) loses nothing that
matters: the page reconnects to the new process and the learner carries on where they were.

tests/browser/test_lessons.py covers a reload and a restart with a fresh browser context; here
the tab is never reloaded: Streamlit's client reconnects to the restarted server on its own,
the new session must take the lesson's place from the URL and the answers from localStorage,
and the playground its settings from the URL. Each check then acts on the new session, so a
stale page left over from the old process cannot pass it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from core.lessons import Lesson, load_all
from tests.browser.conftest import CHART
from ui.controls.lr_control import LR_GRID, format_lr

pytestmark = pytest.mark.browser

STORAGE_KEY = "gradient-valley.progress.v1"
LESSON = next(e for e in load_all() if isinstance(e, Lesson) and len(e.questions) >= 2)
FIRST, SECOND = LESSON.questions[:2]


def _predict(page, question, choice: int) -> None:
    page.get_by_text(question.choices[choice], exact=True).click()
    button = page.get_by_role("button", name="Check my prediction")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Check my prediction') && !b.disabled)"
    )
    button.first.click()


def _answers(page) -> dict:
    return page.evaluate(
        f"() => ((JSON.parse(localStorage.getItem('{STORAGE_KEY}') || '{{}}').lessons || {{}})"
        f"['{LESSON.slug}'] || {{}}).answers || {{}}"
    )


def test_a_restart_mid_lesson_and_mid_experiment_keeps_the_learners_place(
    browser, restartable_server
):
    url, restart = restartable_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)

    # Mid-lesson: the first question answered, the second not yet.
    page.goto(f"{url}/lessons?lesson={LESSON.slug}")
    page.get_by_role("heading", name=LESSON.title).wait_for()
    _predict(page, FIRST, FIRST.answer)
    page.get_by_text(f"Right: {FIRST.choices[FIRST.answer]}").wait_for()
    page.wait_for_function(
        f"() => (((JSON.parse(localStorage.getItem('{STORAGE_KEY}') || '{{}}').lessons || {{}})"
        f"['{LESSON.slug}'] || {{}}).answers || {{}})['{FIRST.id}'] !== undefined"
    )

    restart()  # the tab stays open; its websocket drops and reconnects to the new process

    # Answering the second question completes the lesson only if the new session got the
    # first answer back from the browser: the place and the progress both survived.
    page.get_by_role("heading", name=LESSON.title).wait_for()
    _predict(page, SECOND, SECOND.answer)
    if len(LESSON.questions) == 2:
        page.get_by_text("Lesson complete").wait_for()
    assert _answers(page) == {FIRST.id: FIRST.answer, SECOND.id: SECOND.answer}
    assert f"lesson={LESSON.slug}" in page.url

    # Mid-experiment on the playground: a shared setting, then a restart, then one more step.
    lr = 0.2
    page.goto(f"{url}/?surface=bowl&optimizer=momentum&lr={format_lr(lr)}")
    page.wait_for_selector(CHART)
    restart()
    slider = page.get_by_role("slider", name="Learning rate")
    following = format_lr(LR_GRID[LR_GRID.index(lr) + 1])
    url_lr = "() => new URL(location.href).searchParams.get('lr')"
    for _ in range(4):  # a key pressed before the tab has reconnected is ignored: try again
        expect(slider).to_be_enabled(timeout=60_000)
        slider.focus()
        slider.press("ArrowRight")
        try:
            page.wait_for_function(f"lr => ({url_lr})() === lr", arg=following, timeout=15_000)
            break
        except PlaywrightTimeout:
            assert page.evaluate(url_lr) == format_lr(lr)  # unchanged, not lost
    assert page.evaluate(url_lr) == following
    assert "surface=bowl" in page.url and "optimizer=momentum" in page.url
    page.wait_for_selector(CHART)
    context.close()
