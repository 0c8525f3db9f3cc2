"""What the lesson tests share: the course as loaded, the margin every claim must survive, and
a minimal lesson's text to vary."""

from __future__ import annotations

from core.lessons import Lesson, load_all

ENTRIES = load_all()
LESSONS = [e for e in ENTRIES if isinstance(e, Lesson)]
# Every claim must survive every learning rate moving this much either way.
MARGIN = 0.05

GOOD_QUESTION = (
    "ask: Will it converge?\nchoice: Yes\nchoice: No\nanswer: Yes\nclaim: status converged\n"
    "feedback: It does."
)
GOOD_EXPERIMENT = "surface: custom\nformula: x^2 + y^2\nlr: 0.1\nsteps: 50"


def lesson_text(question=GOOD_QUESTION, experiment=GOOD_EXPERIMENT, front=None, between=""):
    front = front or "title: T\norder: 3\nminutes: 5\nsummary: S"
    return (
        f"---\n{front}\n---\n\nSome prose.\n\n```question\n{question}\n```\n{between}\n"
        f"```experiment e\n{experiment}\n```\n\nMore prose.\n"
    )
