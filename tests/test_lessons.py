"""The lessons: every file parses, every experiment runs, every stated answer is what the engine
computes (with margin), and broken files fail alone, with their line and reason."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from core.experiment import decode
from core.lessons import (
    LESSONS_DIR,
    ExperimentBlock,
    Lesson,
    LessonError,
    Prose,
    Question,
    load_all,
    parse_file,
    parse_text,
)
from core.lessons.claims import check_question, scale_rates, simulate_block

ENTRIES = load_all()
LESSONS = [e for e in ENTRIES if isinstance(e, Lesson)]
QUESTIONS = [(lesson, q) for lesson in LESSONS for q in lesson.questions]
BLOCKS = [(lesson, b) for lesson in LESSONS for b in lesson.experiments.values()]
# Every claim must survive every learning rate moving this much either way.
MARGIN = 0.05

ISSUE_TOPICS = [  # the twelve lessons the course must have, in order (issue 6)
    "what-is-the-learning-rate",
    "too-small",
    "too-large",
    "sensitivity",
    "lr-range-test",
    "decay",
    "cycles",
    "momentum",
    "adaptive",
    "stochastic",
    "local-minima",
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
    assert lesson.experiments and lesson.questions
    for question in lesson.questions:
        assert 0 <= question.answer < len(question.choices)
        assert question.feedback.strip()
        # The question comes before the experiment it reveals.
        block = lesson.experiments[question.experiment_id]
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
        _lesson(
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

GOOD_QUESTION = (
    "ask: Will it converge?\nchoice: Yes\nchoice: No\nanswer: Yes\nclaim: status converged\n"
    "feedback: It does."
)
GOOD_EXPERIMENT = "surface: custom\nformula: x^2 + y^2\nlr: 0.1\nsteps: 50"


def _lesson(question=GOOD_QUESTION, experiment=GOOD_EXPERIMENT, front=None, between=""):
    front = front or "title: T\norder: 3\nminutes: 5\nsummary: S"
    return (
        f"---\n{front}\n---\n\nSome prose.\n\n```question\n{question}\n```\n{between}\n"
        f"```experiment e\n{experiment}\n```\n\nMore prose.\n"
    )


def test_a_minimal_lesson_parses_into_its_parts():
    lesson = parse_text(_lesson(), "07-x.md")
    assert (lesson.slug, lesson.title, lesson.order, lesson.minutes) == ("07-x", "T", 3, 5)
    kinds = [type(p).__name__ for p in lesson.parts]
    assert kinds == ["Prose", "Question", "ExperimentBlock", "Prose"]
    (question,) = lesson.questions
    assert question.experiment_id == "e" and question.choices == ("Yes", "No")
    assert lesson.experiments["e"].experiment.lr == 0.1


def test_continued_values_comments_and_other_fences():
    question = (
        "# a comment\nask: First line\n  second line\n\n  new paragraph\nchoice: a\nchoice: b\n"
        "answer: b\nclaim: status converged\nfeedback: Why: because.\n  - a list item"
    )
    between = "\n~~~python\n```experiment not-a-block\n~~~\n"
    lesson = parse_text(_lesson(question, between=between), "x.md")
    (q,) = lesson.questions
    assert q.ask == "First line\nsecond line\n\nnew paragraph"
    assert q.feedback == "Why: because.\n- a list item"
    assert q.answer == 1
    assert any("not-a-block" in p.text for p in lesson.parts if isinstance(p, Prose))


def test_vary_makes_one_run_per_value():
    experiment = GOOD_EXPERIMENT.replace("lr: 0.1", "vary: lr = 0.1 | 0.3")
    question = GOOD_QUESTION.replace("status converged", "status diverged for lr=0.3")
    block = parse_text(_lesson(question, experiment), "x.md").experiments["e"]
    assert [r.label for r in block.runs] == ["lr=0.1", "lr=0.3"]
    assert [r.experiment.lr for r in block.runs] == [0.1, 0.3]
    assert block.run("lr=0.3").query["lr"] == "0.3"


BROKEN = [
    # (text, the offending line's text or None, words the reason must contain)
    ("no front matter\n", "no front matter", "front matter"),
    ("---\ntitle: T\norder: 1\nminutes: 5\nsummary: S\n", "---", "never closed"),
    ("---\ntitle: T\norder: one\nminutes: 5\nsummary: S\n---\n", "order: one", "order"),
    ("---\ntitle: T\nminutes: 5\nsummary: S\n---\n", "---", "lacks order"),
    ("---\ntitle: T\ntitle: U\norder: 1\nminutes: 5\nsummary: S\n---\n", "title: U", "twice"),
    (
        _lesson(front="title: T\norder: 1\nminutes: 5\nsummary: S\nauthor: me"),
        "author: me",
        "unknown key",
    ),
    (_lesson(experiment="surface: custom\nformula: x^2\nlr: -1"), "lr: -1", "lr must be"),
    (_lesson(experiment="lr: 0.1\nspeed: 3"), "speed: 3", "unknown key 'speed'"),
    (_lesson(experiment="lr: 0.1\npresent: 1"), "present: 1", "unknown key 'present'"),
    (_lesson(experiment="vary: lr = 0.1"), "vary: lr = 0.1", "2 to 6"),
    (_lesson(experiment="lr: 0.1\nvary: lr = 0.1 | 0.2"), "vary: lr = 0.1 | 0.2", "both set"),
    (_lesson(experiment="vary: lr = 0.1 | big"), "vary: lr = 0.1 | big", "lr must be a number"),
    (
        _lesson(GOOD_QUESTION.replace("answer: Yes", "answer: Maybe")),
        "answer: Maybe",
        "not one of the choices",
    ),
    (_lesson(GOOD_QUESTION.replace("choice: No\n", "")), "```question", "2 to 6"),
    (_lesson(GOOD_QUESTION.replace("claim: status converged\n", "")), "```question", "claim"),
    (
        _lesson(GOOD_QUESTION.replace("status converged", "status fine")),
        "claim: status fine",
        "status takes",
    ),
    (
        _lesson(GOOD_QUESTION.replace("status converged", "wins sgd")),
        "claim: wins sgd",
        "unknown claim",
    ),
    (
        _lesson(GOOD_QUESTION.replace("status converged", "fastest adam")),
        "claim: fastest adam",
        "vary",
    ),
    (_lesson(GOOD_QUESTION + "\nexperiment: nowhere"), "```question", "no experiment has the id"),
    (
        _lesson(GOOD_QUESTION.replace("ask: ", "  ask: ")),
        "  ask: Will it converge?",
        "indented line",
    ),
    (
        _lesson(GOOD_QUESTION.replace("ask: Will", "ask Will")),
        "ask Will it converge?",
        "expected 'key: value'",
    ),
    (
        "---\ntitle: T\norder: 1\nminutes: 5\nsummary: S\n---\n```question\nask: x\n",
        "```question",
        "never closed",
    ),
    ("---\ntitle: T\norder: 1\nminutes: 5\nsummary: S\n---\nJust prose.\n", None, "no experiment"),
    (
        _lesson().replace("```experiment e", "```experiment Bad_Id"),
        "```experiment Bad_Id",
        "id must be",
    ),
]


@pytest.mark.parametrize(("text", "where", "reason"), BROKEN, ids=[b[2] for b in BROKEN])
def test_a_broken_lesson_names_its_line_and_reason(text, where, reason):
    with pytest.raises(LessonError) as caught:
        parse_text(text, "09-broken.md")
    error = caught.value
    assert reason in error.reason, error.reason
    if where is None:
        assert error.line is None, str(error)
    else:
        assert error.line is not None, str(error)
        assert text.split("\n")[error.line - 1] == where, str(error)
    assert str(error).startswith("09-broken.md")


def test_the_line_numbers_point_at_the_offending_line():
    text = _lesson(experiment="surface: custom\nformula: x^2\nlr: -1")
    error = pytest.raises(LessonError, parse_text, text, "x.md").value
    assert text.split("\n")[error.line - 1] == "lr: -1"


def test_a_broken_file_does_not_break_the_others(tmp_path: Path):
    for name in ("01-what-is-the-learning-rate.md", "03-too-large.md"):
        shutil.copy(LESSONS_DIR / name, tmp_path / name)
    (tmp_path / "02-broken.md").write_text(_lesson(experiment="lr: 0.1\nspeed: 3"))
    (tmp_path / "04-not-utf8.md").write_bytes(b"---\ntitle: \xff\n")
    (tmp_path / "README.md").write_text("not a lesson")
    entries = load_all(tmp_path)
    assert [e.slug for e in entries] == [
        "01-what-is-the-learning-rate",
        "02-broken",
        "03-too-large",
        "04-not-utf8",
    ]
    assert isinstance(entries[0], Lesson) and isinstance(entries[2], Lesson)
    assert isinstance(entries[1], LessonError) and entries[1].reason.startswith("unknown key")
    assert entries[1].title == "T"  # the list can still name a lesson whose body is broken
    assert isinstance(entries[3], LessonError) and entries[3].line == 2


def test_bad_file_names_and_oversized_files_are_refused(tmp_path: Path):
    with pytest.raises(LessonError, match="file name"):
        parse_text(_lesson(), "Bad Name.md")
    big = tmp_path / "big.md"
    big.write_text("x" * 300_000)
    with pytest.raises(LessonError, match="larger than"):
        parse_file(big)


def test_the_readme_documents_every_claim():
    from core.lessons import CLAIMS

    readme = (LESSONS_DIR / "README.md").read_text()
    for kind in CLAIMS:
        assert f"| `{kind}" in readme, kind
