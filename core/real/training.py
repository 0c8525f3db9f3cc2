"""Mini-batch training of a real model with the engine's optimizers, compiled once per model.

A run is a `lax.scan` over steps. At step t the loop takes mini-batch t (row indices drawn
from the run's seed by `core.real.data.batch_indices`), computes the loss and gradient there, and
applies ``optimizers.make(name, lr[t], **hyper)``: the rate of every step comes in as data (any
engine schedule, or the range test's ramp), and so do the hyperparameters, so neither changing
the rate nor the schedule recompiles. Every few steps (`eval_interval`: every step for the
two-parameter line) the loss over the whole training set and over the validation set are
measured: the two curves whose gap is generalization.

Several runs (rates, seeds) go through one `vmap`. Long runs are scanned in chunks of at most
`MAX_CHUNK` steps so a progress callback can report between chunks; the chunk length is rounded
up to a fixed bucket and the padding steps are masked, so the step count does not recompile
either. A step whose loss or new parameters are not finite is not taken: the run freezes there
and is reported as diverged, as is a run whose training loss grows past `BLOW_UP` times its
start. Returned curves are cut at that point and never hold NaN or inf. The compiled loop
itself is in `core.real.training_kernel`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jax
import numpy as np

from core.real.data import batch_indices
from core.real.models import Model
from core.real.training_kernel import (  # noqa: F401  (re-exported: the loop's public pieces)
    BLOW_UP,
    MAX_CHUNK,
    MAX_EVALS,
    MAX_STEPS,
    Progress,
    chunk_length,
    eval_steps,
    full_hyper,
    run_many,
)


@dataclass(frozen=True)
class TrainResult:
    """One run's curves, cut at divergence: NumPy float64 arrays, no NaN or inf."""

    lr: np.ndarray  # (taken,) rate of each step taken
    batch_loss: np.ndarray  # (taken,) mini-batch loss at each step, before its update
    eval_steps: np.ndarray  # (m,) step counts k at which the whole sets were measured: 0 .. taken
    train_loss: np.ndarray  # (m,) loss over the whole training set after eval_steps[i] steps
    val_loss: np.ndarray  # (m,) the same over the validation set
    val_accuracy: np.ndarray | None  # (m,) classifiers: held-out accuracy
    path: np.ndarray | None  # (p, n_params) the parameters at path_steps (the line: every step)
    steps: int  # steps asked for
    diverged_at: int | None  # the step that blew up, or None
    params: Any  # the final parameters (a pytree of arrays)
    path_steps: np.ndarray | None = None  # (p,) the step counts of the rows of ``path``

    @property
    def final_val_accuracy(self) -> float | None:
        """The held-out accuracy at the last measurement kept (before a blow-up, if any)."""
        return None if self.val_accuracy is None else float(self.val_accuracy[-1])

    @property
    def result_accuracy(self) -> float | None:
        """The held-out accuracy as the run's result: None for a run that blew up, whose last
        accuracy before the blow-up is no result of training at that rate."""
        return None if self.diverged_at is not None else self.final_val_accuracy

    def to_json(self) -> dict[str, Any]:
        return {
            "train_loss": self.train_loss.tolist(),
            "val_loss": self.val_loss.tolist(),
            "val_accuracy": self.result_accuracy,  # None once it blew up: no result
            "eval_steps": self.eval_steps.tolist(),
            "lr": self.lr.tolist(),
            "batch_loss": self.batch_loss.tolist(),
            "steps": self.steps,
            "diverged_at": self.diverged_at,
        }


def eval_interval(model: Model, steps: int) -> int:
    """Steps between measurements of the whole sets: every step for the two-parameter line
    (its path is drawn point by point) and for short runs; else a power of two that keeps
    about `MAX_EVALS` points, enough for any curve on a screen."""
    every = 1
    if model.info.task == "regression":
        return every
    while steps / every > MAX_EVALS and every < MAX_CHUNK // 4:
        every *= 2
    return every


def schedule_rates(schedule: str, lr: float, steps: int, schedule_args: dict | None) -> np.ndarray:
    """The rate of every step under an engine schedule, (steps,) float64."""
    from core import schedules

    return np.asarray(schedules.lr_curve(schedule, lr, steps, **(schedule_args or {})), np.float64)


def _thin(at: np.ndarray, path_every: int) -> np.ndarray:
    """Which kept measurements the path keeps: steps that are multiples of ``path_every``, and
    the last one (where the run ended or froze)."""
    keep = at % path_every == 0
    if keep.size:
        keep[-1] = True
    return keep


def _cut(
    records: dict[str, np.ndarray],
    r: int,
    every: int,
    rates: np.ndarray,
    params,
    path_every: int | None = None,
) -> TrainResult:
    """One run's records, cut where it blew up (see the module docstring)."""
    steps = rates.shape[0]
    batch = records["batch_loss"][r].astype(np.float64)
    train = records["train_loss"][r].astype(np.float64)
    at = eval_steps(steps, every)
    bound = BLOW_UP * max(abs(train[0]), 1e-12)
    # (step that blew up, steps whose results are kept) for each way of blowing up, earliest wins
    candidates = [(steps, steps)]
    dead = ~records["alive"][r]
    if dead.any():  # this step's loss or new weights were not finite: it was not taken
        t = int(np.argmax(dead))
        candidates.append((t, t))
    blown = np.flatnonzero(batch[1:] > bound)
    if blown.size:  # the weights reached by step t - 1 give a batch loss past the bound
        t = int(blown[0]) + 1
        candidates.append((t - 1, t))
    gone = np.flatnonzero(np.isfinite(train) & (train > bound))
    if gone.size:
        k = int(at[gone[0]])
        candidates.append((k - 1, k))
    diverged_at, taken = min(candidates)
    keep = (at <= taken) & np.isfinite(train)
    take = lambda key: records[key][r][keep].astype(np.float64) if key in records else None
    path, path_steps = take("path"), None
    if path is not None:
        on_path = _thin(at[keep], path_every or every)
        path, path_steps = path[on_path], at[keep][on_path]
    return TrainResult(
        lr=np.asarray(rates[:taken], np.float64),
        batch_loss=batch[:taken],
        eval_steps=at[keep],
        train_loss=take("train_loss"),
        val_loss=take("val_loss"),
        val_accuracy=take("val_accuracy"),
        path=path,
        steps=steps,
        diverged_at=None if diverged_at == steps else diverged_at,
        params=params,
        path_steps=path_steps,
    )


def train_many(
    model: Model,
    optimizer: str = "sgd",
    lrs: Sequence[float] = (0.1,),
    steps: int = 1000,
    *,
    seeds: Sequence[int] = (0,),
    schedule: str = "constant",
    schedule_args: dict | None = None,
    hyper: dict[str, float] | None = None,
    batch_size: int | None = None,
    params: Any = None,
    every: int | None = None,
    record_path: bool | None = None,
    path_every: int | None = None,
    progress: Progress | None = None,
) -> list[TrainResult]:
    """Train once per (rate, seed) pair, all in one compiled pass; a single rate or seed is
    shared by every run. Each run starts from ``params`` if given, else ``model.init(seed)``,
    and draws its own batches from its seed. The whole training and validation sets are
    measured every ``every`` steps (default: `eval_interval`). With ``record_path`` (default:
    only the two-parameter line) the parameters are recorded too, flattened, every
    ``path_every`` steps (a multiple of ``every``; default ``every``) and at the last step kept."""
    lrs, seeds = list(lrs), [int(s) for s in seeds]
    if len(lrs) == 1:
        lrs = lrs * len(seeds)
    if len(seeds) == 1:
        seeds = seeds * len(lrs)
    if len(lrs) != len(seeds) or not lrs:
        raise ValueError(
            f"Give one seed, one rate, or as many of each; got {len(lrs)} and {len(seeds)}."
        )
    steps = int(steps)
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}; got {steps}.")
    batch = model.default_batch_size if batch_size is None else int(batch_size)
    rates = np.stack([schedule_rates(schedule, float(lr), steps, schedule_args) for lr in lrs])
    rows = np.stack([batch_indices(model.data.n_train, batch, steps, s) for s in seeds])
    every = eval_interval(model, steps) if every is None else int(every)
    if every < 1 or chunk_length(steps) % every:
        raise ValueError(
            f"every must be a power of two of at most {chunk_length(steps)}; got {every}."
        )
    path_every = every if path_every is None else int(path_every)
    if path_every < 1 or path_every % every:
        raise ValueError(f"path_every must be a multiple of {every}; got {path_every}.")
    records, final = run_many(
        model,
        optimizer,
        rates,
        rows,
        [model.init(s) if params is None else params for s in seeds],
        hyper,
        every=every,
        record_path=record_path,
        progress=progress,
    )
    return [
        _cut(
            records,
            r,
            every,
            rates[r],
            jax.tree_util.tree_map(lambda a, r=r: a[r], final),
            path_every,
        )
        for r in range(len(lrs))
    ]


def train(
    model: Model,
    optimizer: str = "sgd",
    lr: float = 0.1,
    steps: int = 1000,
    *,
    seed: int = 0,
    **options,
) -> TrainResult:
    """One training run; see `train_many` for the options."""
    return train_many(model, optimizer, [lr], steps, seeds=[seed], **options)[0]
