"""The parsed shape of a lesson, and the error a broken lesson file raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.catalog.range_test import RULES  # noqa: F401  (the lessons name the rules so)
from core.catalog.statuses import FLAGS, STATUSES  # noqa: F401  (re-exported for the parser)
from core.lessons.claim_kinds import CLAIMS, MODEL_CLAIMS  # noqa: F401  (the parser's tables)
from core.schema.experiment import Experiment, encode


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


ALL = 0  # a batch size of 0 stands for "all": the whole training set (full-batch descent)


@dataclass(frozen=True)
class ModelBlock:
    """A real model trained by the engine (`core.real.models`): a range test, or training runs.

    The runs are the product of nothing or of one varied setting: ``compare`` (multiples of
    ``lr``, or of the range test's ``suggestion``) or several ``batch_sizes``.
    """

    id: str
    line: int
    task: str  # "range_test" or "train"
    model: str
    optimizer: str = "sgd"
    hyper: tuple[tuple[str, float], ...] = ()
    lr: float | None = None  # train: the base rate
    steps: int = 300  # training steps of each run
    batch_sizes: tuple[int, ...] = ()  # () the model's own; ALL the whole training set
    seed: int = 0
    seeds: int = 1  # seeds drawn at once per run: seed, seed + 1, ...
    schedule: str = "constant"
    schedule_args: tuple[tuple[str, float | str], ...] = ()
    start_lr: float = 1e-7
    end_lr: float = 10.0
    num_steps: int = 100
    suggestion: str = "minimum"  # range test: the rule the compared multiples refer to
    compare: tuple[float, ...] = ()
    epochs: float | None = None  # train: each run's steps are this many passes over the data
    scale_lr: bool = False  # several batch sizes: rate x B / (first B), the linear scaling rule
    pretrain_steps: int = 0  # train: a warm start, trained first at pretrain_lr (same batches)
    pretrain_lr: float | None = None
    caption: str = ""
    key_lines: tuple[tuple[str, int], ...] = ()  # where each key was written

    @property
    def vary(self) -> str | None:
        if self.compare:
            return "lr"
        return "batch_size" if len(self.batch_sizes) > 1 else None

    @property
    def trains(self) -> bool:
        """Whether the block trains anything (a range test alone does not)."""
        return self.task == "train" or bool(self.compare)

    def runs(self) -> tuple[tuple[str, float, int | None], ...]:
        """(label, multiple of the base rate, batch size or None for the model's own)."""
        if not self.trains:
            return ()
        batch = self.batch_sizes[0] if len(self.batch_sizes) == 1 else None
        if self.compare:
            return tuple((f"lr=x{_number(m)}", m, batch) for m in self.compare)
        if len(self.batch_sizes) > 1:
            return tuple((f"batch_size={batch_label(b)}", 1.0, b) for b in self.batch_sizes)
        return (("", 1.0, batch),)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label, _, _ in self.runs())

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, self.line)


def batch_label(size: int | None) -> str:
    return "all" if size == ALL else str(size)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True)
class Claim:
    kind: str
    args: tuple[str, ...]
    line: int
    run: str = ""  # which run of a `vary` block a one-run claim is about

    def __str__(self) -> str:
        where = f" for {self.run}" if self.run else ""
        return " ".join((self.kind, *self.args)) + where


def check_run_reference(claim: Claim, vary: str | None, labels, path: Path, noun: str) -> None:
    """The run a claim names must exist. A comparing claim (scope "compare", checked by the
    caller for several runs) names one of the varied values; any other claim on a block with
    several runs ends with 'for RUN'; a block with one run takes no 'for RUN'."""
    scope = (CLAIMS.get(claim.kind) or MODEL_CLAIMS.get(claim.kind))[0]
    if scope == "compare":
        if claim.run or f"{vary}={claim.args[0]}" not in labels:
            raise LessonError(
                path,
                claim.line,
                f"{claim.args[0][:40]!r} is not one of the runs of {vary}: "
                f"{', '.join(labels)} (name it by what follows '=').",
            )
    elif vary is not None and claim.run not in labels:
        raise LessonError(
            path,
            claim.line,
            f"this {noun} has several runs; end the claim with 'for RUN', RUN one of "
            f"{', '.join(labels)}.",
        )
    elif vary is None and claim.run:
        raise LessonError(
            path, claim.line, f"'for RUN' only applies to a {noun} with several runs."
        )


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
class Says:
    """Prose that states what a run shows (a number, an outcome), shown as prose, with the
    claims that make it true: the test suite checks them as it checks a question's."""

    id: str
    line: int
    experiment_id: str  # the experiment or model block the sentence is about
    text: str  # Markdown with LaTeX, shown like any prose
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class Lesson:
    slug: str
    path: Path
    title: str
    order: int
    minutes: int
    summary: str
    parts: tuple[Prose | Says | ExperimentBlock | ModelBlock | Question, ...]
    experiments: dict[str, ExperimentBlock] = field(default_factory=dict)
    models: dict[str, ModelBlock] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # former addresses (file names) of this lesson

    def block(self, block_id: str) -> ExperimentBlock | ModelBlock:
        """The experiment or model block with this id."""
        return self.experiments.get(block_id) or self.models[block_id]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(p for p in self.parts if isinstance(p, Question))

    @property
    def says(self) -> tuple[Says, ...]:
        return tuple(p for p in self.parts if isinstance(p, Says))

    def checked(self) -> tuple[Question | Says, ...]:
        """Every part whose claims the engine checks: the questions and the claim blocks."""
        return tuple(p for p in self.parts if isinstance(p, Question | Says))
