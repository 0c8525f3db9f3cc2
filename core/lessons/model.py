"""The parsed shape of a lesson, and the error a broken lesson file raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.catalog.range_test import RULES  # noqa: F401  (the lessons name the rules so)
from core.catalog.statuses import FLAGS, STATUSES
from core.schema.experiment import Experiment, encode

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
#   converges_between LO HI  the run converges, at a step in [LO, HI]
#   final_loss_below X / final_loss_above X  the run's last loss is below (above) X
#   ends_near X Y R       the run's last point lies within R of (X, Y)
#   passes_within X Y R   some point of the run lies within R of (X, Y)
#   never_within X Y R    no point of the run lies within R of (X, Y)
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
    "converges_between": ("one", "steps"),
    "final_loss_below": ("one", "number"),
    "final_loss_above": ("one", "number"),
    "ends_near": ("one", "point_radius"),
    "passes_within": ("one", "point_radius"),
    "never_within": ("one", "point_radius"),
}
# Claims about a ``model`` block (a real model trained by the engine), checked by
# `core.lessons.model_runs`. A run of a model block may draw several seeds: "diverges" means
# every seed blew up, "trains" that none did, and the numbers are averaged over the seeds.
#   suggestion_between RULE LO HI  the range test's RULE (steepest, minimum, valley) suggests a
#                                  rate in [LO, HI]
#   diverges / trains              the run blows up (does not blow up)
#   val_accuracy_above X / _below  final held-out accuracy above (below) X, 0 < X < 1
#   train_loss_above X / _below    final loss over the whole training set above (below) X
#   val_loss_above X / _below      final loss on the held-out set above (below) X
#   best_val_accuracy V            of the runs, V ends with the highest held-out accuracy
#   lowest_val_loss V              of the runs, V ends with the lowest validation loss
#   smaller_batch_noisier          of runs differing in batch size, each smaller batch makes
#                                  the training loss jitter more in the second half of the run
#   loss_rise_above X / _below     the training loss climbs to more (less) than X times the
#                                  lowest measured before it (`core.lessons.model_loss_rise`)
#   val_loss_lowest_between LO HI  the validation loss is lowest at a step in [LO, HI]
#   val_loss_rises_by X            the final validation loss is more than X above its lowest
#   val_loss_below_start / _above_start  the final validation loss is below (above) the one
#                                  the run started from (a warm start: the pretrained weights')
MODEL_CLAIMS = {
    "suggestion_between": ("range_test", "rule_range"),
    "diverges": ("one", "none"),
    "trains": ("one", "none"),
    "val_accuracy_above": ("one", "fraction"),
    "val_accuracy_below": ("one", "fraction"),
    "train_loss_above": ("one", "positive"),
    "train_loss_below": ("one", "positive"),
    "val_loss_above": ("one", "positive"),
    "val_loss_below": ("one", "positive"),
    "best_val_accuracy": ("compare", None),
    "lowest_val_loss": ("compare", None),
    "smaller_batch_noisier": ("batches", "none"),
    "loss_rise_above": ("one", "positive"),
    "loss_rise_below": ("one", "positive"),
    "val_loss_lowest_between": ("one", "step_range"),
    "val_loss_rises_by": ("one", "positive"),
    "val_loss_below_start": ("one", "none"),
    "val_loss_above_start": ("one", "none"),
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
