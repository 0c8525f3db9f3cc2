"""The parsed shape of a lesson, and the error a broken lesson file raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.experiment import Experiment, encode

STATUSES = ("converged", "diverged", "oscillating", "too_slow", "stalled")
FLAGS = ("overshoot", "oscillation", "local_minimum")
FLAGS = ("overshoot", "oscillation", "local_minimum")
# Claim kinds: what the argument is, and whether it needs several runs (a `vary` block).
#   status S              the run's outcome status is S
#   flag F / no_flag F    the run's outcome carries (does not carry) flag F
#   ends_in global|local  the run settles in the global (a local, non-global) minimum
#   fastest V             of the runs, V converges in the fewest steps
#   lowest_final_loss V   of the runs, V ends lowest (a diverged run counts as worst)
#   longest_first_step V  of the runs, V's first step is the longest
#   diverges_at_lr LO HI  the run diverges while its (scheduled) rate lies in [LO, HI]
#   best_loss_at_lr LO HI the rate of the step taken from the lowest point of the run lies in
#                         [LO, HI] (a range test's "where the loss turns up")
CLAIMS = {
    "status": ("one", STATUSES),
    "flag": ("one", FLAGS),
    "no_flag": ("one", FLAGS),
    "ends_in": ("one", ("global", "local")),
    "fastest": ("compare", None),
    "lowest_final_loss": ("compare", None),
    "longest_first_step": ("compare", None),
    "diverges_at_lr": ("one", "range"),
    "best_loss_at_lr": ("one", "range"),
}


class LessonError(ValueError):
    """A lesson file that cannot be used, with where and why."""

    def __init__(self, path: Path | str, line: int | None, reason: str):
        self.path = Path(path)
        self.line = line
        self.reason = reason
        self.title: str | None = None  # known when the front matter itself was readable
        self.order: int | None = None
        where = f"{self.path.name}:{line}" if line else self.path.name
        super().__init__(f"{where}: {reason}")

    @property
    def slug(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Prose:
    text: str  # Markdown with LaTeX ($...$, $$...$$)
    line: int


@dataclass(frozen=True)
class LessonRun:
    """One run of an experiment block: a label ('' for a single run) and its experiment."""

    label: str
    experiment: Experiment

    @property
    def query(self) -> dict[str, str]:
        """The run's URL query: open it in the playground or share it."""
        return encode(self.experiment)


@dataclass(frozen=True)
class ExperimentBlock:
    id: str
    line: int
    runs: tuple[LessonRun, ...]
    caption: str = ""
    vary: str | None = None  # the field that differs between runs

    @property
    def experiment(self) -> Experiment:
        return self.runs[0].experiment

    def run(self, label: str) -> LessonRun:
        for run in self.runs:
            if run.label == label:
                return run
        raise KeyError(label)


@dataclass(frozen=True)
class Claim:
    kind: str
    args: tuple[str, ...]
    line: int
    run: str = ""  # which run of a `vary` block a one-run claim is about

    def __str__(self) -> str:
        where = f" for {self.run}" if self.run else ""
        return f"{self.kind} {' '.join(self.args)}{where}"


@dataclass(frozen=True)
class Question:
    id: str
    line: int
    experiment_id: str
    ask: str
    choices: tuple[str, ...]
    answer: int  # index into choices
    feedback: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Lesson:
    slug: str
    path: Path
    title: str
    order: int
    minutes: int
    summary: str
    parts: tuple[Prose | ExperimentBlock | Question, ...]
    experiments: dict[str, ExperimentBlock] = field(default_factory=dict)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(p for p in self.parts if isinstance(p, Question))
