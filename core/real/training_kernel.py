"""The compiled training loop: mini-batch steps scanned in chunks, R runs at once under vmap.

See `core.real.training` for what a run is. Here: one `lax.scan` per chunk of at most `MAX_CHUNK`
steps (rounded up to a bucket; padding steps are masked), itself scanned in blocks of
``every`` steps after each of which the whole training and validation sets are measured. The
rate of every step and the optimizer's hyperparameters come in as data, so one compilation
serves every rate, schedule and hyperparameter value of a (model, optimizer) pair.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from core import jax_setup, optimizers  # noqa: F401  (jax_setup: compilation cache settings)
from core.real.models import Model

CHUNKS = (32, 64, 128, 256)
MAX_CHUNK = CHUNKS[-1]
MAX_STEPS = 10_000
MAX_EVALS = 256  # measurements of the whole training and validation sets per run, about
BLOW_UP = 1e3  # a training loss this many times its start has left for good

Progress = Callable[[int, int], None]  # (steps done, steps in all)


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
def _kernels(model: Model, optimizer: str, evaluate: bool, record_path: bool, every: int):
    """Jitted (chunk, measure) functions over R runs at once, for one model and optimizer.

    A chunk is scanned in blocks of ``every`` steps; after each block the whole training and
    validation sets are measured once (the costly part: a forward pass over every row).
    """
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
            alive = alive & (ok | ~on)
            out = {"batch_loss": jnp.where(on, loss, jnp.nan), "alive": alive}
            return (params, state, alive), out

        def block(carry, xs):
            carry, per_step = jax.lax.scan(step, carry, xs)
            if not evaluate:
                return carry, (per_step, {})
            params, _, alive = carry
            nan = jnp.float32(jnp.nan)
            measured = jax.tree_util.tree_map(
                lambda v: jnp.where(alive, v, nan), measure(params, data)
            )
            return carry, (per_step, measured)

        blocks = jax.tree_util.tree_map(
            lambda a: a.reshape(a.shape[0] // every, every, *a.shape[1:]), (rows, rates, active)
        )
        carry, (per_step, measured) = jax.lax.scan(block, carry, blocks)
        per_step = jax.tree_util.tree_map(lambda a: a.reshape(-1, *a.shape[2:]), per_step)
        return carry, per_step, measured

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
    every: int = 1,
    record_path: bool | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, np.ndarray], Any]:
    """R runs at once: ``rates`` (R, steps), ``rows`` (R, steps, batch), one init per run.

    Returns the raw records and the final parameters (stacked along a leading axis of R).
    Per step: ``batch_loss`` and ``alive`` (R, steps). With ``evaluate``, the measurements
    (R, 1 + ceil(steps / every), ...) at steps ``eval_steps(steps, every)``, NaN once a run froze;
    with ``record_path`` (default: only for the regression line) also ``path``, the flattened
    parameters at each measurement (leaves in pytree order, as ``ravel_pytree`` lays them out).
    """
    hyper = full_hyper(optimizer, hyper)
    n_runs, steps = rates.shape
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}; got {steps}.")
    if record_path is None:
        record_path = model.info.task == "regression"
    length = chunk_length(steps)
    if length % every:
        raise ValueError(f"every ({every}) must divide the chunk length {length}.")
    chunk_fn, start_fn = _kernels(model, optimizer, evaluate, record_path, every)
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

    padded = -(-steps // length) * length
    pad = padded - steps
    rates_p = np.pad(np.asarray(rates, np.float32), ((0, 0), (0, pad)))
    rows_p = np.pad(np.asarray(rows, np.int32), ((0, 0), (0, pad), (0, 0)))
    active = np.arange(padded) < steps

    per_step: list[dict] = []
    measured: list[dict] = []
    for begin in range(0, padded, length):
        sl = slice(begin, begin + length)
        carry, steps_out, measures = chunk_fn(
            carry, rows_p[:, sl], rates_p[:, sl], active[sl], hyper_t, data
        )
        per_step.append(steps_out)
        measured.append(measures)
        if progress is not None:
            progress(min(begin + length, steps), steps)
    joined = {
        k: np.concatenate([np.asarray(r[k]) for r in per_step], axis=1)[:, :steps]
        for k in per_step[0]
    }
    if evaluate:
        n_evals = len(eval_steps(steps, every))
        first = start_fn(params, data)
        for k, v in first.items():
            later = np.concatenate([np.asarray(m[k]) for m in measured], axis=1)
            joined[k] = np.concatenate([np.asarray(v)[:, None], later], axis=1)[:, :n_evals]
    return joined, carry[0]


def eval_steps(steps: int, every: int) -> np.ndarray:
    """The step counts after which the whole sets are measured: 0, every, 2 every, ..., steps."""
    return np.minimum(np.arange(0, -(-steps // every) + 1) * every, steps)
