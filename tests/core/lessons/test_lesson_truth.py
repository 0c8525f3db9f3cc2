"""The lessons' words: every number or outcome the prose states sits in a claim block the engine
checks, no question is answered by the text before it, and lessons point at each other by
address (numbers change when the course is reordered)."""

from __future__ import annotations

import re

import pytest

from core.lessons import ExperimentBlock, Lesson, ModelBlock, Prose, Question, Says, parse_text
from tests.lesson_helpers import LESSONS, lesson_text

# Words that state how a run ends: an engine outcome, so the engine must check them.
OUTCOME = re.compile(
    r"\b(converg\w*|diverg\w*|oscillat\w*|blows? up|blew up|blown up|trapped|stalls?|stalled)\b",
    re.IGNORECASE,
)
# Numbers that are not results: a year in a citation ("Smith 2017", "et al. 2021"), the 8x8
# digits, "2D"/"3D", and the numbers of the list items.
NOT_A_RESULT = re.compile(
    r"\b(1[89]\d\d|20\d\d)[a-z]?\b|\b8x8\b|\b[23]D\b|^\s*\d+\.\s", re.IGNORECASE | re.MULTILINE
)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.DOTALL)
CODE = re.compile(r"```.*?```|`[^`]*`", re.DOTALL)
LINK_TARGET = re.compile(r"\]\(([^)]*)\)")
LESSON_LINK = re.compile(r"/lessons\?lesson=([a-z0-9-]+)")


def unchecked_statements(text: str) -> list[str]:
    """The numbers and outcome words of a prose text outside its maths, code and link targets
    (what a claim block would have to check)."""
    text = LINK_TARGET.sub("]()", CODE.sub(" ", MATH.sub(" ", text)))
    text = NOT_A_RESULT.sub(" ", text)
    found = [m.group() for m in OUTCOME.finditer(text)]
    return found + re.findall(r"\d[\d,.]*%?", text)


def _prose_texts(lesson: Lesson):
    """Every text a learner reads that no claim checks: prose and captions (claim blocks and a
    question's own words are checked by its claims)."""
    for part in lesson.parts:
        if isinstance(part, Prose):
            yield part.line, part.text
        elif isinstance(part, ExperimentBlock | ModelBlock) and part.caption:
            yield part.line, part.caption


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_number_and_outcome_in_the_prose_is_checked_by_the_engine(lesson: Lesson):
    unchecked = [
        f"line {line}: {', '.join(found)}"
        for line, text in _prose_texts(lesson)
        if (found := unchecked_statements(text))
    ]
    assert not unchecked, (
        f"{lesson.slug}: numbers or outcomes outside a claim block (put the sentence in a "
        "```claim block with the claims that make it true): " + "; ".join(unchecked)
    )


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[$\\{}]", " ", text).lower().split())


def _said_before(lesson: Lesson, question: Question) -> str:
    """All the text a learner has read when the question is asked: the title and summary at the
    top of the page, prose, claim blocks, captions, and earlier questions with their feedback."""
    said = [lesson.title, lesson.summary]
    for part in lesson.parts:
        if part is question:
            break
        if isinstance(part, Prose | Says):
            said.append(part.text)
        elif isinstance(part, ExperimentBlock | ModelBlock):
            said.append(part.caption)
        elif isinstance(part, Question):
            said += [part.ask, *part.choices, part.feedback]
    return _normal(" ".join(said))


def gives_away(said: str, question: Question) -> bool:
    """The text before names the right answer but not every wrong one."""

    def named(choice: str) -> bool:
        return re.search(rf"(?<![\w.]){re.escape(_normal(choice))}(?![\w])", said) is not None

    wrong = [c for i, c in enumerate(question.choices) if i != question.answer]
    return named(question.choices[question.answer]) and not all(named(c) for c in wrong)


QUESTIONS = [(lesson, q) for lesson in LESSONS for q in lesson.questions]


@pytest.mark.parametrize(("lesson", "question"), QUESTIONS, ids=lambda x: getattr(x, "id", None))
def test_no_question_is_answered_by_the_text_before_it(lesson: Lesson, question: Question):
    said = _said_before(lesson, question)
    answer = question.choices[question.answer]
    assert not gives_away(said, question), (
        f"{lesson.slug}, line {question.line}: the text before the question names its answer "
        f"{answer!r} and not all the other choices"
    )


def test_the_give_away_check_can_fail():
    lesson = parse_text(
        lesson_text(
            question="ask: Which rate diverges?\nchoice: 0.05\nchoice: 0.25\nanswer: 0.25\n"
            "claim: status converged\nfeedback: F",
            between="",
        ).replace("Some prose.", "A rate of 0.25 is too large."),
        "give-away.md",
    )
    (question,) = lesson.questions
    assert gives_away(_said_before(lesson, question), question)
    assert unchecked_statements("A rate of 0.25 diverges (Smith 2017), see $a = 0.3$.") == [
        "diverges",
        "0.25",
    ]


def test_lessons_link_to_lessons_by_address_not_by_number():
    slugs = {lesson.slug for lesson in LESSONS}
    for lesson in LESSONS:
        text = lesson.path.read_text(encoding="utf-8")
        numbered = re.findall(r"\blessons? \d+", text, re.IGNORECASE)
        assert not numbered, f"{lesson.slug}: {numbered} (link the lesson by its address)"
        broken = set(LESSON_LINK.findall(text)) - slugs
        assert not broken, f"{lesson.slug} links to lessons that do not exist: {broken}"
