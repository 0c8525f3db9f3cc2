"""Run a lesson's model block on the engine, and check the claims its questions make.

`run_model_block` does what the lesson page shows: the range test (`core.real.lr_finder.lr_find`)
and/or training runs (`core.real.training.train_many`), the same seed, the same batches. Results
carry NumPy arrays only (no weights), so a page can cache them.
`core.lessons.model_claim_check.check_model_question` checks
each claim against a fresh run; ``factor`` moves the base rate (the block's ``lr``, or the range
test's suggestion) and ``seed_offset`` the seed, so a test can show a claim is not on a knife
edge. Imports the engine (JAX); the parser does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from core.lessons.model import ALL, Lesson, LessonError, ModelBlock


@dataclass(frozen=True)
class ModelRun:
    """One run of a model block: its label, rate and batch, and one result per seed."""

    label: str
    lr: float
    batch_size: int
    results: tuple  # core.real.training.TrainResult per seed, without weights

    @property
    def diverged(self) -> int:
        """How many of its seeds blew up."""
        return sum(r.diverged_at is not None for r in self.results)

    def mean(self, pick: Callable) -> float:
        return float(np.mean([pick(r) for r in self.results]))

    @property
    def train_loss(self) -> float:
        return self.mean(lambda r: r.train_loss[-1])

    @property
    def val_loss(self) -> float:
        return self.mean(lambda r: r.val_loss[-1])

    @property
    def val_accuracy(self) -> float | None:
        if self.results[0].val_accuracy is None:
            return None
        return self.mean(lambda r: r.val_accuracy[-1])

    @property
    def jitter(self) -> float:
        """Mean step-to-step change of the whole training set's loss over the second half of
        the run (between its measurements), averaged over seeds: how noisy the steps are."""
        return self.mean(lambda r: np.mean(np.abs(np.diff(r.train_loss[len(r.train_loss) // 2 :]))))


@dataclass(frozen=True)
class ModelOutcome:
    """Everything a model block computed."""

    range_test: object | None  # core.real.lr_finder.RangeTest, without weights
    base_lr: float | None  # the rate the compared multiples refer to (None: no suggestion)
    runs: tuple[ModelRun, ...]
    n_train: int

    def run(self, label: str) -> ModelRun:
        return next(r for r in self.runs if r.label == label)


def _model(block: ModelBlock):
    from core.real.models import get_model

    return get_model(block.model)


def batch_size_of(block: ModelBlock, size: int | None, n_train: int) -> int:
    if size is None:
        return _model(block).default_batch_size
    return n_train if size == ALL else size


def steps_of(block: ModelBlock, batch: int, n_train: int) -> int:
    """A run's training steps: the block's ``steps``, or with ``epochs`` as many as make that
    many passes over the training set in batches of ``batch`` (at least one)."""
    if block.epochs is None:
        return block.steps
    return max(1, round(block.epochs * n_train / batch))


def multiple_of(block: ModelBlock, multiple: float, batch: int, n_train: int) -> float:
    """A run's multiple of the base rate; with ``scale_lr`` the linear scaling rule: the rate
    grows with the batch, relative to the first batch size listed."""
    if not block.scale_lr:
        return multiple
    return multiple * batch / batch_size_of(block, block.batch_sizes[0], n_train)


def check_model_runnable(lesson: Lesson) -> None:
    """Raise LessonError for what only the model itself can tell: a batch larger than its
    training set; with ``epochs``, a run longer than MAX_STEPS or a block past MAX_WORK."""
    from core.lessons.model_block import MAX_STEPS, MAX_WORK

    for block in lesson.models.values():
        n = _model(block).data.n_train
        for size in block.batch_sizes:
            if size != ALL and size > n:
                raise LessonError(
                    lesson.path,
                    block.line_of("batch_size"),
                    f"batch_size {size} is larger than the training set of {block.model} "
                    f"({n} examples); write 'all' for full-batch descent.",
                )
        steps = [steps_of(block, batch_size_of(block, b, n), n) for _, _, b in block.runs()]
        if block.epochs is not None and (
            max(steps, default=0) > MAX_STEPS or sum(steps) + block.pretrain_steps > MAX_WORK
        ):
            raise LessonError(
                lesson.path,
                block.line_of("epochs"),
                f"epochs {block.epochs:g} makes runs of {', '.join(f'{s:,}' for s in steps)} "
                "steps; "
                f"each at most {MAX_STEPS:,}, {MAX_WORK:,} in all, so the lesson stays quick.",
            )


def run_model_block(
    block: ModelBlock,
    *,
    factor: float = 1.0,
    seed_offset: int = 0,
    lr: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ModelOutcome:
    """The block's range test and training runs. ``lr`` replaces a training block's rate (the
    lesson page's slider); ``factor`` then multiplies the base rate."""
    from core.real.lr_finder import lr_find
    from core.real.training import train_many

    model = _model(block)
    n = model.data.n_train
    seed = block.seed + seed_offset
    hyper = dict(block.hyper)
    test, base = None, lr if lr is not None else block.lr
    if block.task == "range_test":
        test = lr_find(
            model,
            block.optimizer,
            start_lr=block.start_lr,
            end_lr=block.end_lr,
            num_steps=block.num_steps,
            batch_size=batch_size_of(block, block.batch_sizes[0] if block.batch_sizes else None, n),
            seed=seed,
            hyper=hyper,
        )
        test = replace(test, params=None)
        picked = test.suggestions[block.suggestion]
        base = None if picked is None else picked.lr
    runs: list[ModelRun] = []
    specs = block.runs()
    if base is not None and specs:
        base *= factor
        by_batch: dict[int, list] = {}
        for label, multiple, size in specs:
            batch = batch_size_of(block, size, n)
            by_batch.setdefault(batch, []).append((label, multiple_of(block, multiple, batch, n)))
        total = block.pretrain_steps + block.seeds * sum(
            len(v) * steps_of(block, b, n) for b, v in by_batch.items()
        )
        start = _pretrained(block, model, seed, hyper, n)  # None: each run from its own init
        before = block.pretrain_steps  # step-runs done (the warm start, then batch sizes)
        for batch, members in by_batch.items():
            pairs = [(m, s) for _, m in members for s in range(seed, seed + block.seeds)]
            steps = steps_of(block, batch, n)
            report = None if progress is None else _reporter(progress, before, len(pairs), total)
            results = train_many(
                model,
                block.optimizer,
                [min(base * m, 100.0) for m, _ in pairs],
                steps,
                seeds=[s for _, s in pairs],
                schedule=block.schedule,
                schedule_args=dict(block.schedule_args),
                hyper=hyper,
                batch_size=batch,
                params=start,
                progress=report,
            )
            before += len(pairs) * steps
            results = [replace(r, params=None) for r in results]
            for i, (label, multiple) in enumerate(members):
                mine = tuple(results[i * block.seeds : (i + 1) * block.seeds])
                runs.append(ModelRun(label, min(base * multiple, 100.0), batch, mine))
        order = [label for label, _, _ in specs]
        runs.sort(key=lambda r: order.index(r.label))
    return ModelOutcome(test, base, tuple(runs), n)


def _pretrained(block: ModelBlock, model, seed: int, hyper: dict, n: int):
    """The warm start: the weights after ``pretrain_steps`` at ``pretrain_lr`` (the block's
    optimizer, first batch size and seed), or None when the block trains from scratch."""
    if not block.pretrain_steps:
        return None
    from core.real.training import train

    batch = batch_size_of(block, block.batch_sizes[0] if block.batch_sizes else None, n)
    first = train(
        model,
        block.optimizer,
        block.pretrain_lr,
        block.pretrain_steps,
        seed=seed,
        hyper=hyper,
        batch_size=batch,
    )
    if first.diverged_at is not None:
        raise ValueError(f"the warm start blew up at step {first.diverged_at}; lower pretrain_lr.")
    return first.params


def _reporter(progress: Callable, before: int, runs: int, total: int) -> Callable:
    """Progress of one batch size's call, as step-runs done out of the whole block's."""

    def report(step: int, steps: int) -> None:
        progress(before + step * runs, total)

    return report
