"""A lesson's ```blindfold block: its settings are the schema's, decoded strictly; it opens the
walk on its surface; the first lesson opens with one; a start off the surface is an error."""

from __future__ import annotations

import pytest

from core.lessons import LessonError, parse_text
from core.lessons.blindfold_block import BlindfoldBlock
from core.lessons.claims import check_runnable
from tests.lesson_helpers import LESSONS, lesson_text


def _with_block(body: str):
    return parse_text(lesson_text(between=f"\n```blindfold\n{body}\n```\n"), "walk.md")


def test_a_blindfold_block_parses_into_the_walks_query():
    lesson = _with_block("surface: custom\nformula: x^2 + 4*y^2\nstart: 3,2\ntol: 0.01")
    (block,) = [p for p in lesson.parts if isinstance(p, BlindfoldBlock)]
    assert block.query == {
        "surface": "custom",
        "formula": "x^2 + 4*y^2",
        "start": "3,2",
        "tol": "0.01",
    }
    assert block.id == "b1"
    check_runnable(lesson)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("surface: bowl\nlr: 0.1", "unknown key 'lr'"),
        ("surface: bowl\ntol: 2", "tol must be"),
        ("surface: bowl\nstart: a,b", "start must be"),
        ("surface: custom", "needs a formula"),
    ],
)
def test_a_bad_blindfold_block_names_its_line_and_reason(body, reason):
    with pytest.raises(LessonError, match=reason):
        _with_block(body)


def test_a_blindfold_start_off_the_surface_is_refused_before_the_lesson_is_shown():
    lesson = _with_block("surface: bowl\nstart: 9,9")
    with pytest.raises(LessonError, match="outside the plotted area"):
        check_runnable(lesson)


def test_the_first_lesson_opens_with_the_blindfold_walk():
    first = min(LESSONS, key=lambda lesson: lesson.order)
    kinds = [type(p).__name__ for p in first.parts]
    assert kinds.index("BlindfoldBlock") < kinds.index("Question")  # before any question
