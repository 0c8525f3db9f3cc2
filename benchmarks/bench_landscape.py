"""The loss landscape's grid (issue 15, part 3) against its bar, with baselines in the same run.

    python benchmarks/bench_landscape.py [--rounds 5] [--size 41]

Bar: a 41 x 41 grid of full-batch training losses of ``mlp-digits`` (1,437 images) through
trained weights, warm, <= 1 s (median over rounds). Measured in turn, round after round
(`benchmarks.common.interleaved_times`), so each round's figures share a spell of the machine:

- ``grid``: `core.real.landscape.loss_grid`, the page's call (one jitted call: the first layer
  as three matrix products done once, the rest vmapped over the grid's points);
- ``slice``: `slice_through`, what the page computes on a cache miss (directions, grid, centre);
- ``naive vmap``: the same grid as a vmap of the model's loss over whole weight vectors (rows of
  the grid in sequence), without the first layer's linearity;
- ``per-point loop``: a Python loop over the grid calling the jitted full-batch loss once per
  point (the baseline). Also printed: one full-batch loss evaluation x the number of points,
  the grid's CPU time and the load average (wall time on a shared machine includes waiting).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax.flatten_util import ravel_pytree  # noqa: E402

from benchmarks.common import fmt, interleaved_times, median_ratio, median_time  # noqa: E402
from core.real import landscape, models, training  # noqa: E402

NET = models.get_model("mlp-digits")
DATA = (jnp.asarray(NET.data.x_train), jnp.asarray(NET.data.y_train))


def trained_weights():
    return training.train(NET, "sgd", 0.1, 500, seed=0).params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=landscape.GRID_SIZE)
    args = parser.parse_args()
    params = trained_weights()
    d1, d2 = landscape.directions(params, 0)
    axis = np.linspace(-1.0, 1.0, args.size)
    points = args.size**2

    flat, unravel = ravel_pytree(params)
    f1, f2 = ravel_pytree(d1)[0], ravel_pytree(d2)[0]
    one_loss = jax.jit(lambda a, b: NET.loss(unravel(flat + a * f1 + b * f2), DATA))

    @jax.jit
    def naive(alphas, betas):
        at = lambda a, b: NET.loss(unravel(flat + a * f1 + b * f2), DATA)
        return jax.lax.map(lambda b: jax.vmap(lambda a: at(a, b))(alphas), betas)

    def loop():
        return [float(one_loss(a, b)) for b in axis for a in axis]

    t0 = time.perf_counter()
    grid = landscape.loss_grid(NET, params, d1, d2, axis, axis)
    cold = time.perf_counter() - t0
    check = np.asarray(naive(jnp.asarray(axis, jnp.float32), jnp.asarray(axis, jnp.float32)))
    worst = float(np.max(np.abs(grid - check) / np.abs(check)))
    one = median_time(lambda: one_loss(0.1, 0.2).block_until_ready(), repeat=50, warmup=3)

    fns = {
        "grid": lambda: landscape.loss_grid(NET, params, d1, d2, axis, axis),
        "slice": lambda: landscape.slice_through(NET, params, 0, args.size, 1.0),
        "naive vmap": lambda: np.asarray(naive(jnp.asarray(axis), jnp.asarray(axis))),
        "per-point loop": loop,
    }
    times = interleaved_times(fns, rounds=args.rounds, repeat=1, warmup=1)
    cpu = []  # the grid's own CPU time: on a machine shared with other work, wall time is more
    for _ in range(args.rounds):  # than this process's work whenever the cores are busy
        c0 = time.process_time()
        fns["grid"]()
        cpu.append(time.process_time() - c0)
    med = {name: statistics.median(v) for name, v in times.items()}
    row = lambda label, text: print(f"  {label:<42} {text}")
    print(
        f"\n== loss landscape: {args.size}x{args.size} = {points:,} full-batch losses of "
        f"mlp-digits ({NET.data.n_train:,} images, {NET.n_params:,} weights), "
        f"{args.rounds} rounds"
    )
    row("first call (trace + compile + run)", fmt(cold))
    for name, seconds in med.items():
        row(name, f"{fmt(seconds)}  (median of rounds)")
    row(f"one full-batch loss x {points:,}", f"{fmt(one * points)}  ({fmt(one).strip()} each)")
    row("ratio per-point loop / grid", f"{median_ratio(times, 'per-point loop', 'grid'):.1f}x")
    row("ratio naive vmap / grid", f"{median_ratio(times, 'naive vmap', 'grid'):.1f}x")
    row("ratio (one loss x points) / grid", f"{one * points / med['grid']:.1f}x")
    row("largest relative gap, grid vs naive vmap", f"{worst:.1e}")
    row("grid's CPU time (this process, median)", fmt(statistics.median(cpu)))
    row("load average while measuring", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    verdict = "meets" if med["grid"] <= 1.0 else "MISSES"
    row("bar: grid <= 1 s warm", f"{verdict} ({fmt(med['grid']).strip()})")


if __name__ == "__main__":
    main()
