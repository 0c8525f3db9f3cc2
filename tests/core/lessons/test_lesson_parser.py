"""The lesson format: a minimal lesson parses, broken files name their line and reason, the
README documents every claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.lessons import (
    LESSONS_DIR,
    Lesson,
    LessonError,
    Prose,
    load_all,
    parse_file,
    parse_text,
)
from tests.lesson_helpers import GOOD_EXPERIMENT, GOOD_QUESTION, lesson_text


def test_a_minimal_lesson_parses_into_its_parts():
    lesson = parse_text(lesson_text(), "07-x.md")
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
    lesson = parse_text(lesson_text(question, between=between), "x.md")
    (q,) = lesson.questions
    assert q.ask == "First line\nsecond line\n\nnew paragraph"
    assert q.feedback == "Why: because.\n- a list item"
    assert q.answer == 1
    assert any("not-a-block" in p.text for p in lesson.parts if isinstance(p, Prose))


def test_vary_makes_one_run_per_value():
    experiment = GOOD_EXPERIMENT.replace("lr: 0.1", "vary: lr = 0.1 | 0.3")
    question = GOOD_QUESTION.replace("status converged", "status diverged for lr=0.3")
    block = parse_text(lesson_text(question, experiment), "x.md").experiments["e"]
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
        lesson_text(front="title: T\norder: 1\nminutes: 5\nsummary: S\nauthor: me"),
        "author: me",
        "unknown key",
    ),
    (lesson_text(experiment="surface: custom\nformula: x^2\nlr: -1"), "lr: -1", "lr must be"),
    (lesson_text(experiment="lr: 0.1\nspeed: 3"), "speed: 3", "unknown key 'speed'"),
    (lesson_text(experiment="lr: 0.1\npresent: 1"), "present: 1", "unknown key 'present'"),
    (lesson_text(experiment="vary: lr = 0.1"), "vary: lr = 0.1", "2 to 6"),
    (lesson_text(experiment="lr: 0.1\nvary: lr = 0.1 | 0.2"), "vary: lr = 0.1 | 0.2", "both set"),
    (lesson_text(experiment="vary: lr = 0.1 | big"), "vary: lr = 0.1 | big", "lr must be a number"),
    (
        lesson_text(GOOD_QUESTION.replace("answer: Yes", "answer: Maybe")),
        "answer: Maybe",
        "not one of the choices",
    ),
    (lesson_text(GOOD_QUESTION.replace("choice: No\n", "")), "```question", "2 to 6"),
    (lesson_text(GOOD_QUESTION.replace("claim: status converged\n", "")), "```question", "claim"),
    (
        lesson_text(GOOD_QUESTION.replace("status converged", "status fine")),
        "claim: status fine",
        "status takes",
    ),
    (
        lesson_text(GOOD_QUESTION.replace("status converged", "wins sgd")),
        "claim: wins sgd",
        "unknown claim",
    ),
    (
        lesson_text(GOOD_QUESTION.replace("status converged", "fastest adam")),
        "claim: fastest adam",
        "vary",
    ),
    (
        lesson_text(GOOD_QUESTION + "\nexperiment: nowhere"),
        "```question",
        "no experiment or model block has the id",
    ),
    (
        lesson_text(GOOD_QUESTION.replace("ask: ", "  ask: ")),
        "  ask: Will it converge?",
        "indented line",
    ),
    (
        lesson_text(GOOD_QUESTION.replace("ask: Will", "ask Will")),
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
        lesson_text().replace("```experiment e", "```experiment Bad_Id"),
        "```experiment Bad_Id",
        "id must be",
    ),
    (  # learners read "SGD" and "Momentum" in the app, so a choice must too (lesson 8 had keys)
        lesson_text(GOOD_QUESTION.replace("choice: No", "choice: sgd")),
        "choice: sgd",
        "engine's name for an optimizer",
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
    text = lesson_text(experiment="surface: custom\nformula: x^2\nlr: -1")
    error = pytest.raises(LessonError, parse_text, text, "x.md").value
    assert text.split("\n")[error.line - 1] == "lr: -1"


def test_a_broken_file_does_not_break_the_others(tmp_path: Path):
    for name, order in (("01-what-is-the-learning-rate", 1), ("03-too-large", 3)):
        front = f"title: {name}\norder: {order}\nminutes: 5\nsummary: S"
        (tmp_path / f"{name}.md").write_text(lesson_text(front=front))
    (tmp_path / "02-broken.md").write_text(
        lesson_text(experiment="lr: 0.1\nspeed: 3").replace("order: 3", "order: 2")
    )
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
        parse_text(lesson_text(), "Bad Name.md")
    big = tmp_path / "big.md"
    big.write_text("x" * 300_000)
    with pytest.raises(LessonError, match="larger than"):
        parse_file(big)


def test_the_readme_documents_every_claim():
    from core.lessons import CLAIMS

    readme = (LESSONS_DIR / "README.md").read_text()
    from core.lessons import MODEL_CLAIMS

    for kind in (*CLAIMS, *MODEL_CLAIMS):
        assert f"| `{kind}" in readme, kind


# -- model blocks: a real model in a lesson ---------------------------------------------------


def test_claim_blocks_are_prose_about_the_block_above_with_checked_claims():
    from core.lessons import Says
    from core.lessons.claims import check_question

    says = (
        "```claim\nsays: It arrives within 40 steps and ends at the bottom.\n"
        "claim: converges_between 1 40\nclaim: ends_near 0 0 0.01\n"
        "claim: passes_within 0 0 0.01\nclaim: final_loss_below 1e-4\n```\n"
    )
    text = lesson_text(experiment="surface: custom\nformula: x^2 + y^2\nlr: 0.1\nsteps: 60")
    lesson = parse_text(text + says, "says.md")
    (part,) = lesson.says
    assert isinstance(part, Says) and part.experiment_id == "e" and "40 steps" in part.text
    assert all(r.holds for r in check_question(part, lesson.experiments["e"]))
    wrong = says.replace("converges_between 1 40", "converges_between 1 3")
    results = check_question(parse_text(text + wrong, "w.md").says[0], lesson.experiments["e"])
    assert [r.holds for r in results] == [False, True, True, True]
    with pytest.raises(LessonError, match="no experiment or model block comes before"):
        parse_text(lesson_text().replace("Some prose.", says), "early.md")
    with pytest.raises(LessonError, match="point and a radius"):
        parse_text(text + says.replace("0 0 0.01", "0 0 -1", 1), "bad.md")


def test_aliases_are_former_addresses():
    from core.lessons import renamed

    front = "title: T\norder: 3\naliases: 03-old 3-older\nminutes: 5\nsummary: S"
    lesson = parse_text(lesson_text(front=front), "new.md")
    assert lesson.aliases == ("03-old", "3-older")
    assert renamed([lesson]) == {"03-old": "new", "3-older": "new"}
    with pytest.raises(LessonError, match="alias"):
        parse_text(lesson_text(front=front.replace("3-older", "Bad_Name")), "new.md")
