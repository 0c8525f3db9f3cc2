"""Mini-batch training of a real model with the engine's optimizers, compiled once per model.

A run is a `lax.scan` over steps. At step t the loop takes mini-batch t (row indices drawn
from the run's seed by `core.data.batch_indices`), computes the loss and gradient there, and
applies ``optimizers.make(name, lr[t], **hyper)``: the rate of every step comes in as data (any
engine schedule, or the range test's ramp), and so do the hyperparameters, so neither changing
the rate nor the schedule recompiles. After each step the loss over the whole training set and
over the validation set are recorded: the two curves whose gap is generalization.

Several runs (rates, seeds) go through one `vmap`. Long runs are scanned in chunks of at most
`MAX_CHUNK` steps so a progress callback can report between chunks; the chunk length is rounded
up to a fixed bucket and the padding steps are masked, so the step count does not recompile
either. A step whose loss or new parameters are not finite is not taken: the run freezes there
and is reported as diverged, as is a run whose training loss grows past `BLOW_UP` times its
start. Returned curves are cut at that point and never hold NaN or inf.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from core import optimizers
from core.data import batch_indices
from core.models import Model

CHUNKS = (32, 64, 128, 256)
MAX_CHUNK = CHUNKS[-1]
MAX_STEPS = 10_000
BLOW_UP = 1e3  # a training loss this many times its start has left for good

Progress = Callable[[int, int], None]  # (steps done, steps in all)


@dataclass(frozen=True)
class TrainResult:
    """One run's curves, cut at divergence: NumPy float64 arrays, no NaN or inf."""

    lr: np.ndarray  # (taken,) rate of each step taken
    batch_loss: np.ndarray  # (taken,) mini-batch loss at each step, before its update
    train_loss: np.ndarray  # (taken + 1,) loss over the whole training set after k steps
    val_loss: np.ndarray  # (taken + 1,) the same over the validation set
    val_accuracy: np.ndarray | None  # (taken + 1,) classifiers: held-out accuracy after k steps
    path: np.ndarray | None  # (taken + 1, n_params) small models: the parameters after k steps
    steps: int  # steps asked for
    diverged_at: int | None  # the step that blew up, or None
    params: Any  # the final parameters (a pytree of arrays)

    @property
    def final_val_accuracy(self) -> float | None:
        return None if self.val_accuracy is None else float(self.val_accuracy[-1])

    def to_json(self) -> dict[str, Any]:
        return {
            "train_loss": self.train_loss.tolist(),
            "val_loss": self.val_loss.tolist(),
            "val_accuracy": self.final_val_accuracy,
            "lr": self.lr.tolist(),
            "batch_loss": self.batch_loss.tolist(),
            "steps": self.steps,
            "diverged_at": self.diverged_at,
        }


def chunk_length(steps: int) -> int:
    for size in CHUNKS:
        if steps <= size:
            return size
    return MAX_CHUNK


def full_hyper(optimizer: str, hyper: dict[str, float] | None) -> dict[str, float]:
    """Every hyperparameter of the optimizer: its defaults, overridden by ``hyper``."""
    if optimizer not in optimizers.HYPERPARAMS:
        raise ValueError(
            f"Unknown optimizer {str(optimizer)[:40]!r}; choose one of "
            f"{', '.join(optimizers.HYPERPARAMS)}."
        )
    defaults = optimizers.HYPERPARAMS[optimizer]
    unknown = sorted(set(hyper or {}) - set(defaults))
    if unknown:
        raise ValueError(
            f"{', '.join(unknown)} does not apply to {optimizer}; it takes "
            f"{', '.join(defaults) or 'no hyperparameters'}."
        )
    return {**defaults, **{k: float(v) for k, v in (hyper or {}).items()}}


def _tree_where(take, new, old):
    return jax.tree_util.tree_map(lambda a, b: jnp.where(take, a, b), new, old)


def _all_finite(tree) -> jax.Array:
    leaves = jax.tree_util.tree_leaves(tree)
    return jnp.all(jnp.stack([jnp.all(jnp.isfinite(leaf)) for leaf in leaves]))


def _flat(tree) -> jax.Array:
    return jnp.concatenate([jnp.ravel(leaf) for leaf in jax.tree_util.tree_leaves(tree)])


@functools.lru_cache(maxsize=64)
def _kernels(model: Model, optimizer: str, evaluate: bool, record_path: bool):
    """Jitted (chunk, evaluate) functions over R runs at once, for one model and optimizer."""
    value_and_grad = jax.value_and_grad(model.loss)
    metric = model.accuracy

    def measure(params, data):
        x_tr, y_tr, x_val, y_val = data
        out = {
            "train_loss": model.loss(params, (x_tr, y_tr)),
            "val_loss": model.loss(params, (x_val, y_val)),
        }
        if metric is not None:
            out["val_accuracy"] = metric(params, (x_val, y_val))
        if record_path:
            out["path"] = _flat(params)
        return out

    def one_chunk(carry, rows, rates, active, hyper, data):
        x_tr, y_tr = data[0], data[1]

        def step(carry, xs):
            params, state, alive = carry
            idx, lr, on = xs
            loss, grads = value_and_grad(params, (x_tr[idx], y_tr[idx]))
            opt = optimizers.make(optimizer, lr, **hyper)
            updates, new_state = opt.update(grads, state, params)
            new_params = jax.tree_util.tree_map(jnp.add, params, updates)
            ok = jnp.isfinite(loss) & _all_finite(new_params)
            take = alive & on & ok
            params, state = _tree_where(take, (new_params, new_state), (params, state))
            out = {"batch_loss": jnp.where(alive & on, loss, jnp.nan)}
            if evaluate:
                nan = jnp.float32(jnp.nan)
                out.update(
                    jax.tree_util.tree_map(lambda v: jnp.where(take, v, nan), measure(params, data))
                )
            return (params, state, alive & (ok | ~on)), out

        return jax.lax.scan(step, carry, (rows, rates, active))

    chunk = jax.jit(jax.vmap(one_chunk, in_axes=(0, 0, 0, None, None, None)))
    start = jax.jit(jax.vmap(measure, in_axes=(0, None)))
    return chunk, start


def _stack(trees: Sequence[Any]):
    return jax.tree_util.tree_map(lambda *leaves: jnp.stack(leaves), *trees)


def run_many(
    model: Model,
    optimizer: str,
    rates: np.ndarray,
    rows: np.ndarray,
    inits: Sequence[Any],
    hyper: dict[str, float] | None = None,
    *,
    evaluate: bool = True,
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], Any]:
    """R runs at once: ``rates`` (R, steps), ``rows`` (R, steps, batch), one init per run.

    Returns the raw per-step records (R, steps[+1], ...) with NaN after a run froze, and the
    final parameters stacked along a leading axis of R.
    """
    hyper = full_hyper(optimizer, hyper)
    n_runs, steps = rates.shape
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}; got {steps}.")
    record_path = model.info.task == "regression"
    chunk_fn, start_fn = _kernels(model, optimizer, evaluate, record_path)
    data = tuple(
        jnp.asarray(a)
        for a in (model.data.x_train, model.data.y_train, model.data.x_val, model.data.y_val)
    )
    hyper_t = {k: jnp.float32(v) for k, v in hyper.items()}
    params = _stack(
        [jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float32), p) for p in inits]
    )
    state = jax.vmap(optimizers.make(optimizer, 0.0, **hyper_t).init)(params)
    carry = (params, state, jnp.ones(n_runs, bool))

    length = chunk_length(steps)
    padded = -(-steps // length) * length
    pad = padded - steps
    rates_p = np.pad(np.asarray(rates, np.float32), ((0, 0), (0, pad)))
    rows_p = np.pad(np.asarray(rows, np.int32), ((0, 0), (0, pad), (0, 0)))
    active = np.arange(padded) < steps

    records: list[dict] = []
    for begin in range(0, padded, length):
        sl = slice(begin, begin + length)
        carry, out = chunk_fn(carry, rows_p[:, sl], rates_p[:, sl], active[sl], hyper_t, data)
        records.append(out)
        if progress is not None:
            progress(min(begin + length, steps), steps)
    joined = {
        k: np.concatenate([np.asarray(r[k]) for r in records], axis=1)[:, :steps]
        for k in records[0]
    }
    if evaluate:
        first = start_fn(params, data)
        for k, v in first.items():
            joined[k] = np.concatenate([np.asarray(v)[:, None], joined[k]], axis=1)
    return joined, carry[0]


def schedule_rates(schedule: str, lr: float, steps: int, schedule_args: dict | None) -> np.ndarray:
    """The rate of every step under an engine schedule, (steps,) float64."""
    from core import schedules

    return np.asarray(schedules.lr_curve(schedule, lr, steps, **(schedule_args or {})), np.float64)


def _cut(
    records: dict[str, np.ndarray], r: int, steps: int, rates: np.ndarray, params
) -> TrainResult:
    """One run's records cut where it blew up (see the module docstring)."""
    train = records["train_loss"][r].astype(np.float64)
    bad = ~np.isfinite(train)
    bad[1:] |= train[1:] > BLOW_UP * max(abs(train[0]), 1e-12)
    diverged_at = None
    taken = steps
    if bad.any():
        k = int(np.argmax(bad))  # the first point after k steps that is missing or blown up
        diverged_at = k - 1
        taken = k if np.isfinite(train[k]) else k - 1
    take = lambda key: records[key][r][: taken + 1].astype(np.float64) if key in records else None
    return TrainResult(
        lr=np.asarray(rates[:taken], np.float64),
        batch_loss=records["batch_loss"][r][:taken].astype(np.float64),
        train_loss=take("train_loss"),
        val_loss=take("val_loss"),
        val_accuracy=take("val_accuracy"),
        path=take("path"),
        steps=steps,
        diverged_at=diverged_at,
        params=params,
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
    progress: Progress | None = None,
) -> list[TrainResult]:
    """Train once per (rate, seed) pair, all in one compiled pass; a single rate or seed is
    shared by every run. Each run starts from ``params`` if given, else ``model.init(seed)``,
    and draws its own batches from its seed."""
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
    records, params = run_many(
        model,
        optimizer,
        rates,
        rows,
        [model.init(s) if params is None else params for s in seeds],
        hyper,
        progress=progress,
    )
    return [
        _cut(records, r, steps, rates[r], jax.tree_util.tree_map(lambda a, r=r: a[r], params))
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
