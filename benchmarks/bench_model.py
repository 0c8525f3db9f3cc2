"""Real-model speed against the bars of issue 5, with baselines measured in the same process.

    python benchmarks/bench_model.py

Bars (warm, medians): the LR range test on ``mlp-digits`` (100 mini-batch steps of 64) <= 2 s;
a 1,000-step training run (batch 64; the whole training and validation sets measured every
`training.eval_interval` steps, 4 here: 251 points per curve) <= 3 s. Beside each: the same
work as a plain NumPy loop (hand-written backprop) and as an optax loop (one jitted step per
Python iteration, the usual way to write one).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

from benchmarks.common import median_time, report  # noqa: E402
from core.real import lr_finder, models, training  # noqa: E402
from core.real.data import batch_indices  # noqa: E402

MODEL = models.get_model("mlp-digits")
DATA = MODEL.data
BATCH = 64


def numpy_run(rates: np.ndarray, rows: np.ndarray, every: int | None) -> float:
    """SGD on the same MLP in NumPy: forward, backprop by hand, update; optional evaluation."""
    params = [{k: np.array(v, np.float32) for k, v in layer.items()} for layer in MODEL.init(0)]
    x_all, y_all = DATA.x_train, DATA.y_train

    def forward(x):
        h = np.maximum(x @ params[0]["w"] + params[0]["b"], 0)
        z = h @ params[1]["w"] + params[1]["b"]
        z = z - z.max(axis=1, keepdims=True)
        return h, z - np.log(np.exp(z).sum(axis=1, keepdims=True))

    def loss(x, y):
        return -forward(x)[1][np.arange(len(y)), y].mean()

    last = 0.0
    for t, (lr, idx) in enumerate(zip(rates, rows, strict=True)):
        x, y = x_all[idx], y_all[idx]
        h, log_p = forward(x)
        d_z = np.exp(log_p)
        d_z[np.arange(len(y)), y] -= 1
        d_z /= len(y)
        d_h = (d_z @ params[1]["w"].T) * (h > 0)
        grads = [{"w": x.T @ d_h, "b": d_h.sum(0)}, {"w": h.T @ d_z, "b": d_z.sum(0)}]
        for layer, grad in zip(params, grads, strict=True):
            for k in layer:
                layer[k] -= lr * grad[k]
        if every and (t + 1) % every == 0:
            last = loss(x_all, y_all) + loss(DATA.x_val, DATA.y_val)
    return last


@functools.cache
def optax_step():
    """One jitted optax SGD step (the rate injected as data), built and compiled once."""
    tx = optax.inject_hyperparams(optax.sgd)(learning_rate=0.0)
    x_all, y_all = jnp.asarray(DATA.x_train), jnp.asarray(DATA.y_train)
    val = (jnp.asarray(DATA.x_val), jnp.asarray(DATA.y_val))

    @jax.jit
    def step(params, state, lr, idx):
        state.hyperparams["learning_rate"] = lr
        grads = jax.grad(MODEL.loss)(params, (x_all[idx], y_all[idx]))
        updates, state = tx.update(grads, state, params)
        params = optax.apply_updates(params, updates)
        return params, state

    @jax.jit
    def measure(params):
        return MODEL.loss(params, (x_all, y_all)) + MODEL.loss(params, val)

    return tx, step, measure


def optax_loop(rates: np.ndarray, rows: np.ndarray, every: int | None):
    """The same with optax: a jitted step called once per step from Python."""
    tx, step, measure = optax_step()
    params = MODEL.init(0)
    state = tx.init(params)
    state.hyperparams["learning_rate"] = jnp.float32(0.0)
    out = None
    for t, (lr, idx) in enumerate(zip(rates, rows, strict=True)):
        params, state = step(params, state, np.float32(lr), idx)
        if every and (t + 1) % every == 0:
            out = measure(params)
    return jax.block_until_ready((params, out))


def _faster(baseline: float, ours: float) -> str:
    return f"ours is {baseline / ours:.1f}x faster"


def main() -> None:
    ramp = lr_finder.ramp(1e-7, 10.0, 100)
    ramp_rows = batch_indices(DATA.n_train, BATCH, 100, 0)
    t_ours = median_time(lambda: lr_finder.lr_find(MODEL, "sgd"), repeat=15)
    t_numpy = median_time(lambda: numpy_run(ramp, ramp_rows, None), repeat=7, warmup=1)
    t_optax = median_time(lambda: optax_loop(ramp, ramp_rows, None), repeat=7)
    report(
        "LR range test, mlp-digits, 100 steps of 64 (bar: <= 2 s)",
        [
            ("core.real.lr_finder.lr_find (scan, smoothing, suggestions)", t_ours,
             "PASS" if t_ours <= 2.0 else "FAIL"),
            ("NumPy loop, hand-written backprop", t_numpy, _faster(t_numpy, t_ours)),
            ("optax loop, jitted step per iteration", t_optax, _faster(t_optax, t_ours)),
        ],
    )  # fmt: skip

    rates = np.full(1000, 0.1)
    every = training.eval_interval(MODEL, 1000)
    rows = batch_indices(DATA.n_train, BATCH, 1000, 0)
    t_ours = median_time(lambda: training.train(MODEL, "sgd", 0.1, 1000), repeat=9)
    t_numpy = median_time(lambda: numpy_run(rates, rows, every), repeat=3, warmup=1)
    t_optax = median_time(lambda: optax_loop(rates, rows, every), repeat=5)
    t_three = median_time(
        lambda: training.train_many(MODEL, "sgd", [0.01, 0.1, 1.0], 1000), repeat=5
    )
    report(
        f"Training, mlp-digits, 1,000 steps of 64, train+val loss every {every} steps "
        "(bar: <= 3 s)",
        [
            ("core.real.training.train", t_ours, "PASS" if t_ours <= 3.0 else "FAIL"),
            ("NumPy loop, hand-written backprop", t_numpy, _faster(t_numpy, t_ours)),
            ("optax loop, jitted step per iteration", t_optax, _faster(t_optax, t_ours)),
            ("core.real.training.train_many, 3 rates at once (the page's click)", t_three, ""),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
