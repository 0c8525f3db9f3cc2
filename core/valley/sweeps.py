"""Many runs in one vectorised call: learning-rate sweeps and crowds of walkers.

A sweep asks "which rate?": the same start, many rates, several optimizers; its final losses
against the rate draw the U-shaped curve. Walkers ask "from where?": the same rate, a grid of
start points; which minimum each start reaches draws the basins of attraction.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from core.catalog.statuses import STATUSES
from core.schema.experiment import Experiment, ExperimentError
from core.schema.rate_grid import LR_GRID
from core.valley import kernel
from core.valley.layout import Summary
from core.valley.outcomes import classify, floor_cap
from core.valley.resolver import resolve
from core.valley.simulation import theta_fields

MAX_RUNS = 20_000  # runs one call may ask for (rates x optimizers, or starts)
# With noisy gradients each rate runs this many seeds (exp.seed, exp.seed + 1, ...): the U-curve
# becomes a band, the median and the 10th-90th percentiles of the final loss over the seeds.
NOISE_SEEDS = 16
BAND = (10, 90)  # percentiles


@dataclass(frozen=True)
class SweepResult:
    lr: np.ndarray  # (K,)
    results: dict[str, dict[str, np.ndarray]]  # optimizer -> name -> (K,)

    def to_json(self) -> dict:
        return {
            "lr": self.lr.tolist(),
            "results": {
                name: {k: _jsonable(v) for k, v in r.items()} for name, r in self.results.items()
            },
        }


def _jsonable(values: np.ndarray) -> list:
    if values.dtype.kind == "f":
        return [float(v) if np.isfinite(v) else None for v in values]
    return values.tolist()


def log_rates(lr_min: float, lr_max: float, num: int) -> np.ndarray:
    """`num` learning rates spaced evenly on a log scale from lr_min to lr_max."""
    if not (0 < lr_min < lr_max) or not (np.isfinite(lr_min) and np.isfinite(lr_max)):
        raise ExperimentError(
            f"The rate range needs 0 < lr-min < lr-max; got {lr_min:g} and {lr_max:g}."
        )
    if not 2 <= num <= MAX_RUNS:
        raise ExperimentError(f"The number of rates must be between 2 and {MAX_RUNS}; got {num}.")
    return np.geomspace(lr_min, lr_max, num)


def _summaries(exp: Experiment, thetas: np.ndarray, res) -> np.ndarray:
    """The summary vectors (see `core.valley.layout.Summary`) of one run per row of thetas."""
    run = kernel.summary_kernel(
        res.surface.fn,
        exp.optimizer,
        exp.schedule,
        kernel.bucket(exp.steps),
        tuple(sorted(res.schedule_args)),
        exp.noise > 0,
    )
    return np.asarray(run(thetas), dtype=np.float64)


def _rate_thetas(exp: Experiment, res, lrs: np.ndarray, seeds=None) -> np.ndarray:
    """One theta row per rate (and seed, if `seeds` gives one per rate). Schedule arguments
    that default from the rate (a one-cycle peak, a cyclic range) are proportional to it, so
    they are rescaled with each rate."""
    doubled = resolve(exp.replace(lr=2 * exp.lr)).schedule_args
    sched = tuple(
        res.schedule_args[key] * lrs / exp.lr
        if doubled[key] != res.schedule_args[key]
        else np.full(len(lrs), res.schedule_args[key])
        for key in sorted(res.schedule_args)
    )
    fields = theta_fields(res)._replace(lr=lrs, sched=sched)
    return (fields if seeds is None else fields._replace(seed=seeds)).pack()


def sweep(exp: Experiment, optimizers, lrs) -> SweepResult:
    """Final loss, best loss and outcome for every (optimizer, rate) pair, one call each.

    The schedule's arguments that default from the rate (e.g. a one-cycle peak) follow each
    rate; the experiment's own rate is otherwise unused. With noisy gradients (exp.noise > 0)
    every rate runs `NOISE_SEEDS` seeds in the same vmapped call (the seeds a batch axis
    beside the rates): final_loss and best_loss are then medians over the seeds,
    final_loss_lo / final_loss_hi the `BAND` percentiles, and the status the most common one.
    """
    lrs = np.asarray(lrs, dtype=np.float64).ravel()
    optimizers = list(dict.fromkeys(optimizers))
    if not optimizers:
        raise ExperimentError("Choose at least one optimizer to sweep.")
    if len(lrs) * len(optimizers) > MAX_RUNS:
        raise ExperimentError(
            f"A sweep may run at most {MAX_RUNS} (rate, optimizer) pairs; "
            f"asked for {len(lrs) * len(optimizers)}."
        )
    seeds = NOISE_SEEDS if exp.noise > 0 else 1
    every_lr = np.repeat(lrs, seeds)  # rate k's seeds side by side
    seed_of = exp.seed + np.tile(np.arange(seeds), len(lrs))
    runs = {}
    for name in optimizers:
        e = exp.replace(optimizer=name)
        res = resolve(e)
        runs[name] = (e, _rate_thetas(e, res, every_lr, seed_of if seeds > 1 else None), res)
    # One thread per optimizer's batch of runs, so the machine's cores work on several at once
    # (JAX dispatches synchronously and releases the GIL while a batch runs).
    with ThreadPoolExecutor(max_workers=min(len(runs), os.cpu_count() or 1)) as pool:
        pending = {name: pool.submit(_summaries, *run) for name, run in runs.items()}
    results = {}
    for name, (_, _, res) in runs.items():
        summaries = pending[name].result()
        cap = floor_cap(name, every_lr, exp.noise, res.hyper.get("momentum", 0.0))
        labels = classify(res.surface, summaries, cap)
        s = Summary.of(summaries)
        one = {
            "final_loss": s.final_loss,
            "best_loss": s.best_loss,
            "status": labels["status"],
            "diverged_at": s.diverged_at.astype(int),
            "early_loss": s.early_loss,
            "minimum": labels["minimum"],
        }
        results[name] = one if seeds == 1 else _seed_band(one, len(lrs), seeds)
    return SweepResult(lrs, results)


def _seed_band(runs: dict, rates: int, seeds: int) -> dict[str, np.ndarray]:
    """Per rate, over its seeds: median losses, the `BAND` percentiles of the final loss, the
    most common status (ties: the first in the catalog's order) and its minimum and step."""
    by_rate = {k: np.asarray(v).reshape(rates, seeds) for k, v in runs.items()}
    status = by_rate["status"]
    order = [s for s in STATUSES if np.any(status == s)]
    counts = np.stack([(status == s).sum(axis=1) for s in order], axis=1)
    modal = np.array(order)[np.argmax(counts, axis=1)]
    first = np.argmax(status == modal[:, None], axis=1)  # a seed that had the modal status
    pick = lambda k: by_rate[k][np.arange(rates), first]
    final = by_rate["final_loss"]
    lo, hi = np.nanpercentile(final, BAND, axis=1)
    return {
        "final_loss": np.nanmedian(final, axis=1),
        "final_loss_lo": lo,
        "final_loss_hi": hi,
        "best_loss": np.nanmedian(by_rate["best_loss"], axis=1),
        "status": modal,
        "diverged_at": pick("diverged_at"),
        "early_loss": np.nanmedian(by_rate["early_loss"], axis=1),
        "minimum": pick("minimum"),
        "seeds": np.full(rates, seeds),
    }


def good_rate(exp: Experiment, optimizer: str, lrs=None) -> float:
    """A good fixed rate for `optimizer` from `exp`'s start: among the rates that converge to
    the global minimum (or, failing that, to any minimum), the one furthest along after a
    quarter of the steps. Falls back to the rate with the lowest final loss."""
    lrs = log_rates(1e-4, 10.0, 121) if lrs is None else np.asarray(lrs)
    return _pick(_constant_sweep(exp, optimizer, lrs), lrs, resolve(exp).surface)


def _constant_sweep(exp: Experiment, optimizer: str, lrs) -> dict[str, np.ndarray]:
    e = exp.replace(schedule="constant", schedule_args={})
    return sweep(e, [optimizer], lrs).results[optimizer]


def _converged_global(r, surface) -> np.ndarray:
    global_ids = [i for i, m in enumerate(surface.minima) if m.is_global]
    return (r["status"] == "converged") & np.isin(r["minimum"], global_ids)


def _pick(r: dict, lrs: np.ndarray, surface) -> float:
    converged = r["status"] == "converged"
    for pool in (_converged_global(r, surface), converged):
        if pool.any():
            candidates = np.flatnonzero(pool)
            return float(lrs[candidates[np.argmin(r["early_loss"][candidates])]])
    final = np.where(np.isfinite(r["final_loss"]), r["final_loss"], np.inf)
    return float(lrs[int(np.argmin(final))])


@functools.lru_cache(maxsize=64)
def teaching_rate(name: str) -> float:
    """The rate a built-in surface opens at: one that shows its story, not a blow-up at step 1.

    Plain SGD (the default optimizer) from the surface's own start for the default number of
    steps, over the slider's own rates (`core.schema.rate_grid`): the documented default rate where
    that already converges to the global minimum (so the default link stays short and easy
    surfaces do not move the slider), else the sweep's good rate (`good_rate`: the fastest
    that converges, to the global minimum if any does). A surface with no minimum (the saddle)
    keeps the default: sliding off it is its story.
    """
    exp = Experiment(surface=name)  # every field at its documented default
    surface = resolve(exp).surface
    if not surface.minima:
        return exp.lr
    lrs = np.asarray(LR_GRID)
    r = _constant_sweep(exp, exp.optimizer, lrs)
    at_default = np.flatnonzero(np.isclose(lrs, exp.lr))
    if at_default.size and _converged_global(r, surface)[at_default[0]]:
        return exp.lr
    return _pick(r, lrs, surface)


@dataclass(frozen=True)
class WalkersResult:
    starts: np.ndarray  # (N, 2)
    final: np.ndarray  # (N, 2)
    basin: np.ndarray  # (N,) index into surface.minima; -1 diverged; -2 did not settle
    status: np.ndarray  # (N,) status words


def grid_starts(domain, per_side: int) -> np.ndarray:
    """An even grid of per_side x per_side start points inside the domain (cell centres)."""
    (x0, x1), (y0, y1) = domain
    xs = x0 + (np.arange(per_side) + 0.5) * (x1 - x0) / per_side
    ys = y0 + (np.arange(per_side) + 0.5) * (y1 - y0) / per_side
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def walkers(exp: Experiment, starts) -> WalkersResult:
    """Run the experiment from every start at once and report the basin each one ends in."""
    starts = np.asarray(starts, dtype=np.float64).reshape(-1, 2)
    if not 1 <= len(starts) <= MAX_RUNS:
        raise ExperimentError(f"Between 1 and {MAX_RUNS} starts; got {len(starts)}.")
    if not np.all(np.isfinite(starts)):
        raise ExperimentError("Every start point must be a finite number pair.")
    res = resolve(exp)
    fields = theta_fields(res, start=starts)  # each start heads for its own minimum
    if exp.noise > 0:  # each walker feels its own noise (seeds exp.seed, exp.seed + 1, ...)
        fields = fields._replace(seed=exp.seed + np.arange(len(starts)))
    summaries = _summaries(exp, fields.pack(), res)
    cap = floor_cap(exp.optimizer, exp.lr, exp.noise, res.hyper.get("momentum", 0.0))
    labels = classify(res.surface, summaries, cap)
    basin = np.where(labels["status"] == "diverged", -1, labels["minimum"])
    basin = np.where((basin == -1) & (labels["status"] != "diverged"), -2, basin)
    s = Summary.of(summaries)
    final = np.stack([s.final_x, s.final_y], axis=1)
    return WalkersResult(starts, final, basin.astype(int), labels["status"])
