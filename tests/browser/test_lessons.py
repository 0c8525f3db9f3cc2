"""One lesson walked end to end in real Chromium: predict, read the feedback, run the experiment;
then reload, restart the browser and restart the server, and find the progress kept."""

from __future__ import annotations

import pytest

from core.lessons import Lesson, load_all
from tests.browser.conftest import CHART, predict_right

pytestmark = pytest.mark.browser

LESSON = next(e for e in load_all() if isinstance(e, Lesson))  # the course's first lesson
FIRST, SECOND = LESSON.questions[:2]
STORAGE_KEY = "gradient-valley.progress.v1"


def _open_lesson(page, url: str):
    page.goto(f"{url}/lessons?lesson={LESSON.slug}")
    page.get_by_role("heading", name=LESSON.title).wait_for()


def _predict(page, question, choice: int) -> None:
    page.get_by_text(question.choices[choice], exact=True).click()
    button = page.get_by_role("button", name="Check my prediction")
    button.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Check my prediction') && !b.disabled)"
    )
    button.click()


def _stored(page) -> dict:
    return page.evaluate(f"() => JSON.parse(localStorage.getItem('{STORAGE_KEY}') || 'null')")


def test_a_lesson_end_to_end_and_progress_survives_reload_and_restarts(browser, restartable_server):
    url, restart_server = restartable_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    _open_lesson(page, url)

    # The experiment stays hidden until the prediction is made.
    page.get_by_text("Make your prediction").first.wait_for()
    assert page.locator(CHART).count() == 0

    _predict(page, FIRST, FIRST.answer)
    page.get_by_text(f"Right: {FIRST.choices[FIRST.answer]}").wait_for()
    page.get_by_text(FIRST.feedback.split("$")[0].strip()).first.wait_for()

    # The revealed experiment plays in the player to its last step.
    page.wait_for_selector(CHART)
    page.get_by_role("button", name="Play").first.click()
    steps = LESSON.experiments[FIRST.experiment_id].experiment.steps
    page.get_by_text(f"step {steps} / {steps}").first.wait_for()

    # A wrong prediction on the second question: the feedback names the right answer.
    wrong = (SECOND.answer + 1) % len(SECOND.choices)
    _predict(page, SECOND, wrong)
    page.get_by_text(f"Not quite. The answer is: {SECOND.choices[SECOND.answer]}").wait_for()
    page.get_by_text("Lesson complete").wait_for()
    page.wait_for_function(
        f"() => (JSON.parse(localStorage.getItem('{STORAGE_KEY}') || '{{}}').lessons || {{}})"
        f"['{LESSON.slug}']?.done === true"
    )
    expected = {FIRST.id: FIRST.answer, SECOND.id: wrong}
    assert _stored(page)["lessons"][LESSON.slug]["answers"] == expected

    # Reload: a new Streamlit session, answers and reveal restored from this browser.
    page.reload()
    page.get_by_text("Lesson complete").wait_for()
    page.get_by_text(f"Right: {FIRST.choices[FIRST.answer]}").wait_for()
    assert page.get_by_role("button", name="Check my prediction").count() == 0

    # Browser restart: a new browser context holding only what the old one stored on disk.
    saved = context.storage_state()
    context.close()
    restart_server()  # and a server restart: nothing is kept on the server
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, storage_state=saved)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/lessons")
    page.get_by_text(f"{LESSON.minutes} min · Done").wait_for()
    page.get_by_text("Your progress: 1 of").wait_for()
    _open_lesson(page, url)
    page.get_by_text(f"Not quite. The answer is: {SECOND.choices[SECOND.answer]}").wait_for()
    context.close()


def test_a_lessons_real_model_block_trains_after_the_prediction(page, server_url):
    # The range-test lesson runs a real network: a range test, then training runs at multiples
    # of a suggestion. Each question appears once the one before it is answered.
    lesson = next(e for e in load_all() if isinstance(e, Lesson) and e.slug == "lr-range-test")
    trained = next(b for b in lesson.models.values() if b.compare)  # a model block that trains
    runs = [f"({m:g}×)" for m in trained.compare]
    page.set_default_timeout(120_000)
    page.goto(f"{server_url}/lessons?lesson={lesson.slug}")
    page.get_by_role("heading", name=lesson.title).wait_for()
    for k, question in enumerate(lesson.questions):
        predict_right(page, k, question)

    # The range test and the training curves, drawn by Plotly in this browser.
    page.wait_for_function(
        """(run) => [...document.querySelectorAll('div.stPlotlyChart .js-plotly-plot')]
            .some(gd => (gd._fullData || []).some(d => (d.name || '').includes(run)))""",
        arg=runs[-1],
    )
    figures = page.evaluate(
        """() => [...document.querySelectorAll('div.stPlotlyChart .js-plotly-plot')]
            .map(gd => ({axis: gd._fullLayout.xaxis.type,
                         names: gd._fullData.map(d => d.name || '')}))"""
    )
    range_test = [f for f in figures if any(n.startswith("valley:") for n in f["names"])]
    assert range_test and range_test[0]["axis"] == "log"  # rates on a log axis, rule marked
    names = [n for f in figures for n in f["names"]]
    for run in runs:  # one run per multiple of the block's compare
        assert any(run in n for n in names), run
