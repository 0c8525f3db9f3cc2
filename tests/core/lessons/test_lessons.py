"""The lessons: every file parses, every experiment runs, every stated answer is what the engine
computes (with margin), and broken files fail alone, with their line and reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.lessons import (
    ExperimentBlock,
    Lesson,
    LessonError,
    Prose,
    Question,
    parse_text,
)
from core.lessons.claims import check_question, scale_rates, simulate_block
from core.schema.experiment import decode
from tests.lesson_helpers import ENTRIES, LESSONS, MARGIN, lesson_text

QUESTIONS = [  # the questions and the claim blocks about experiments
    (lesson, q)
    for lesson in LESSONS
    for q in lesson.checked()
    if q.experiment_id in lesson.experiments
]
BLOCKS = [(lesson, b) for lesson in LESSONS for b in lesson.experiments.values()]

ISSUE_TOPICS = [  # the course in an order that never uses an idea before it is taught (issue 17)
    "what-is-the-learning-rate",
    "too-small",
    "too-large",
    "local-minima",
    "sensitivity",
    "momentum",
    "adaptive",
    "stochastic",
    "lr-range-test",
    "decay",
    "cycles",
    "generalization",
]


def test_every_lesson_parses():
    broken = [str(e) for e in ENTRIES if isinstance(e, LessonError)]
    assert not broken, broken
    assert len(LESSONS) >= 12


def test_the_course_covers_the_issue_in_order():
    slugs = [lesson.slug for lesson in LESSONS]
    positions = [next(i for i, s in enumerate(slugs) if topic in s) for topic in ISSUE_TOPICS]
    assert positions == sorted(positions), slugs
    orders = [lesson.order for lesson in LESSONS]
    assert len(set(orders)) == len(orders), "two lessons share an order"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_lesson_shape(lesson: Lesson):
    assert lesson.title and lesson.summary
    assert 3 <= lesson.minutes <= 8, "about five minutes each"
    assert (lesson.experiments or lesson.models) and lesson.questions  # each runs live
    for question in lesson.questions:
        assert 0 <= question.answer < len(question.choices)
        assert question.feedback.strip()
        # The question comes before the experiment it reveals.
        block = lesson.block(question.experiment_id)
        assert question.line < block.line
    words = sum(len(p.text.split()) for p in lesson.parts if isinstance(p, Prose))
    assert 200 <= words <= 1100, f"{words} words of prose: not a five-minute lesson"


@pytest.mark.parametrize(("lesson", "block"), BLOCKS, ids=lambda x: getattr(x, "id", None))
def test_every_experiment_runs_and_round_trips_through_the_url(lesson, block: ExperimentBlock):
    runs = simulate_block(block)
    for run_spec in block.runs:
        run = runs[run_spec.label]
        assert np.isfinite(run.path).all() and len(run.path) >= 2
        assert run.outcome.explanation
        assert decode(run_spec.query, strict=True)[0] == run_spec.experiment


@pytest.mark.parametrize(("lesson", "question"), QUESTIONS, ids=lambda x: getattr(x, "id", None))
@pytest.mark.parametrize("factor", [1.0, 1.0 - MARGIN, 1.0 + MARGIN])
def test_every_stated_answer_is_what_the_engine_computes(lesson, question: Question, factor):
    block = lesson.experiments[question.experiment_id]
    results = check_question(question, block, factor)
    failed = [
        f"line {r.claim.line}: '{r.claim}' is false: {r.detail}" for r in results if not r.holds
    ]
    assert not failed, f"{lesson.slug} (rates x{factor}): " + "; ".join(failed)


def test_a_false_claim_is_reported_false():
    lesson = parse_text(
        lesson_text(
            "ask: Diverges?\nchoice: yes\nchoice: no\nanswer: no\nclaim: status diverged\n"
            "feedback: It converges.",
            "surface: custom\nformula: x^2 + y^2\nlr: 0.1",
        ),
        "bad-claim.md",
    )
    (question,) = lesson.questions
    (result,) = check_question(question, lesson.experiments[question.experiment_id])
    assert not result.holds and "converged" in result.detail


def test_scale_rates_moves_every_rate():
    exp, _, _ = decode({"lr": "0.1", "schedule": "cyclic", "max_lr": "0.4", "base_lr": "0.01"})
    scaled = scale_rates(exp, 1.05)
    assert math.isclose(scaled.lr, 0.105)
    assert math.isclose(scaled.schedule_args["max_lr"], 0.42)
    assert math.isclose(scaled.schedule_args["base_lr"], 0.0105)


# -- the format ---------------------------------------------------------------------------
