"""Journey: a self-paced learner takes the whole course by clicking, as a person does.

Opens /lessons, clicks lesson 1's card, answers every question, follows "Next" through every
lesson, reloads midway and finds the progress kept. At every step the address bar names the
lesson on screen (a copied link, or the next click, must not land on another lesson).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from core.lessons import Lesson, load_all
from tests.browser.conftest import predict_right

# The whole course by clicking takes 3-5 minutes on a busy 2-core machine: past pytest's 300 s.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

LESSONS = [e for e in load_all() if isinstance(e, Lesson)]
RELOAD_AFTER = len(LESSONS) // 2  # reload the page once, midway through the course


def _lesson_in_url(page) -> str | None:
    return parse_qs(urlparse(page.url).query).get("lesson", [None])[0]


def _on_lesson(page, lesson: Lesson) -> None:
    """The lesson is on screen and the address bar names it."""
    page.get_by_role("heading", name=lesson.title, exact=True).wait_for()
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('lesson') === {lesson.slug!r}"
    )


def _answer_all(page, lesson: Lesson) -> None:
    for k, question in enumerate(lesson.questions):
        predict_right(page, k, question)
        # An answer must not throw the learner out of the lesson.
        assert _lesson_in_url(page) == lesson.slug
        page.get_by_role("heading", name=lesson.title, exact=True).wait_for()
    page.get_by_text("Lesson complete").wait_for()


def test_self_paced_learner_takes_the_course_by_clicking(page, server_url):
    page.set_default_timeout(120_000)
    page.goto(f"{server_url}/lessons")
    page.get_by_role("heading", name="Lessons").wait_for()
    page.get_by_role("link", name=f"1. {LESSONS[0].title}").click()

    for number, lesson in enumerate(LESSONS, start=1):
        _on_lesson(page, lesson)
        _answer_all(page, lesson)
        if number == RELOAD_AFTER:
            page.reload()
            _on_lesson(page, lesson)
            page.get_by_text("Lesson complete").wait_for()  # answers kept in this browser
            assert page.get_by_role("button", name="Check my prediction").count() == 0
        if number < len(LESSONS):
            page.get_by_role("link", name=f"Next: {LESSONS[number].title}").click()

    # Back to the course list by clicking: every lesson is done.
    page.get_by_role("link", name="All lessons").click()
    page.get_by_text(f"Your progress: {len(LESSONS)} of {len(LESSONS)} done").wait_for()
    assert _lesson_in_url(page) is None
