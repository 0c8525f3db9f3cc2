"""A question for the class: its prompt, options, the right option and the run that answers it.

From a lesson: the lesson's own prediction question and its experiment. From an experiment
(the playground's): "What happens at this rate?", the options the outcomes a run can have, and
the right one whatever the engine (`core.valley.simulation.simulate`) says happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.catalog.statuses import FLAG_WORD, STATUS_VERB, status_word
from core.schema.experiment import Experiment, encode

# The outcomes a student can predict, each as a key (status, or status+flag) and its words.
OUTCOMES = (
    ("converged", STATUS_VERB["converged"] + " smoothly"),
    ("converged+oscillation", f"{FLAG_WORD['oscillation']}, then {STATUS_VERB['converged']}"),
    ("oscillating", "keeps " + status_word("oscillating")),
    ("diverged", STATUS_VERB["diverged"]),
    ("too_slow", STATUS_VERB["too_slow"]),
    ("local_minimum", FLAG_WORD["local_minimum"]),
)
STALLED = ("stalled", STATUS_VERB["stalled"])  # offered only when it is the answer
PROMPT_MAX = 500


@dataclass(frozen=True)
class ClassQuestion:
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    source: str  # e.g. "Lesson: Too large" or "Playground"
    experiment: dict[str, str] = field(default_factory=dict)  # the run's URL query

    def __post_init__(self):
        if not self.prompt.strip() or len(self.prompt) > PROMPT_MAX:
            raise ValueError(f"A question needs a prompt of 1 to {PROMPT_MAX} characters.")
        if not 2 <= len(self.options) <= 8 or not 0 <= self.answer < len(self.options):
            raise ValueError("A question needs 2 to 8 options and one right answer among them.")


def outcome_key(status: str, flags: tuple[str, ...]) -> str:
    """Which of OUTCOMES (or STALLED) a run's outcome is."""
    if status == "converged" and "local_minimum" in flags:
        return "local_minimum"
    if status == "converged" and "oscillation" in flags:
        return "converged+oscillation"
    return status


def from_experiment(exp: Experiment, source: str = "Playground") -> ClassQuestion:
    """ "What happens at this rate?" for ``exp``, answered by running it."""
    from core.valley.simulation import simulate  # the engine (JAX) only when asked

    outcome = simulate(exp).outcome
    key = outcome_key(outcome.status, tuple(outcome.flags))
    choices = list(OUTCOMES) + ([STALLED] if key == STALLED[0] else [])
    keys = [k for k, _ in choices]
    prompt = f"What happens at this rate (learning rate {exp.lr:g}, {exp.optimizer})?"
    return ClassQuestion(prompt, tuple(w for _, w in choices), keys.index(key), source, encode(exp))


def from_lesson(lesson, question) -> ClassQuestion:
    """A lesson's prediction question (core.lessons.model.Question) as the lesson states it."""
    block = lesson.experiments.get(question.experiment_id)
    query = encode(block.experiment) if block is not None else {}
    return ClassQuestion(
        question.ask, tuple(question.choices), question.answer, f"Lesson: {lesson.title}", query
    )


def lesson_questions(lessons) -> list[tuple[str, ClassQuestion]]:
    """Every valley-lesson question as (label, question), for the instructor's picker."""
    out = []
    for lesson in lessons:
        for q in getattr(lesson, "questions", ()):
            if q.experiment_id in lesson.experiments:  # a model lesson's run is not the valley's
                out.append((f"{lesson.title}: {q.ask}", from_lesson(lesson, q)))
    return out
