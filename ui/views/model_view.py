"""The model page's engine calls, cached across reruns and sessions, and its progress bar.

Every function takes plain values (hashable settings) and returns engine results; the page
hands them to `figures.real.model`; each is cached through `ui.cache` (its one bound). Training
runs report through `Progress`, a bar advanced after every chunk of steps
(`core.real.training.MAX_CHUNK`).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.real import landscape, lr_finder, models, training
from core.real.model_surface import regression_moments, regression_surface, simulate_on
from core.schema.experiment import Experiment
from figures.palette import theme as figure_theme
from figures.real.model_valley import valley_background
from ui import cache as run_cache

NOISE_BATCHES = (1, 4, 16, 64, 256)  # batch sizes of the noise study (one compile each)
NOISE_RATE_DIVISORS = (1, 4, 16)
NOISE_SEEDS = 4


class Progress:
    """A progress bar in ``slot``, drawn at once (the first chunk includes compiling the loop on
    a fresh server) and advanced after every chunk of steps; ``done`` removes it."""

    def __init__(self, slot, label: str):
        self.slot, self.label = slot, label
        self.bar = slot.progress(0.0, text=f"{label}: starting…")

    def __call__(self, done: int, total: int) -> None:
        self.bar.progress(done / total, text=f"{self.label}: step {done:,} of {total:,}")

    def done(self) -> None:
        self.slot.empty()


# --- the real valley ---------------------------------------------------------------------------


def valley_surface(standardize: bool):
    return regression_surface(standardize)


@run_cache.kept
def valley_theory(standardize: bool) -> dict:
    """The engine's analysis of the real valley beside the closed form 2/n X^T X."""
    from core.valley.theory import analyze

    (a,) = analyze(regression_surface(standardize), momentum=0.9)
    m = regression_moments(standardize)
    return {
        "eigenvalues": a.eigenvalues.tolist(),
        "condition": a.condition_number,
        "critical": a.critical_lr["sgd"],
        "critical_closed_form": m.critical_lr,
        "best": a.best_lr["sgd"],
        "minimum": (m.w_star, m.b_star, m.f_star),
    }


@run_cache.kept_copy
def valley_picture(standardize: bool, present: bool) -> str:
    surface = regression_surface(standardize)
    return valley_background(
        surface.fn, surface.domain, surface.minima[0].value, figure_theme(present)
    )


@run_cache.kept
def gradient_descent(standardize: bool, lr: float, steps: int):
    """Full-batch gradient descent on the real valley, run and labelled by the engine."""
    exp = Experiment(optimizer="sgd", lr=float(lr), steps=int(steps))
    return simulate_on(regression_surface(standardize), exp)


@run_cache.kept
def minibatch_runs(standardize: bool, lr: float, steps: int, batch: int, seeds: int):
    """Mini-batch SGD from the same start, one run per seed (its own batch order)."""
    model = models.get_model("linreg-diabetes", standardize=standardize)
    return training.train_many(
        model, "sgd", [float(lr)], int(steps), seeds=list(range(seeds)), batch_size=int(batch)
    )


@run_cache.kept
def noise_study(standardize: bool, lr: float, steps: int) -> dict[float, list[float | None]]:
    """How high mini-batch SGD hovers above the minimum, per batch size and rate (lr, lr/4,
    lr/16): every run starts *at* the least-squares line, where full-batch gradient descent
    would stay put, so all that moves it is the noise of its batches. The mean loss above the
    minimum over the second half of the run, averaged over a few seeds; None where runs blew up.
    """
    model = models.get_model("linreg-diabetes", standardize=standardize)
    m = regression_moments(standardize)
    f_star, at_minimum = m.f_star, np.array([m.w_star, m.b_star], np.float32)
    rates = [float(lr) / d for d in NOISE_RATE_DIVISORS]
    pairs = [(r, s) for r in rates for s in range(NOISE_SEEDS)]
    out: dict[float, list[float | None]] = {r: [] for r in rates}
    for batch in NOISE_BATCHES:
        runs = training.train_many(
            model,
            "sgd",
            [r for r, _ in pairs],
            int(steps),
            seeds=[s for _, s in pairs],
            batch_size=batch,
            params=at_minimum,
        )
        for rate in rates:
            mine = [run for (r, _), run in zip(pairs, runs, strict=True) if r == rate]
            if any(run.diverged_at is not None for run in mine):
                out[rate].append(None)
                continue
            tails = [run.train_loss[len(run.train_loss) // 2 :] for run in mine]
            out[rate].append(max(float(np.mean(np.concatenate(tails))) - f_star, 1e-12))
    return out


# --- the small network -------------------------------------------------------------------------


@run_cache.kept
def range_test(optimizer: str, batch: int, seed: int, start: float, end: float, num: int):
    model = models.get_model("mlp-digits")
    return lr_finder.lr_find(
        model, optimizer, start_lr=start, end_lr=end, num_steps=num, batch_size=batch, seed=seed
    )


def train_three(settings: tuple, progress: Progress) -> list:
    """Train at the suggested rate and at 10x smaller and larger, all at once; kept per
    session under its settings, so a rerun shows it again without training again."""
    store = st.session_state.setdefault("_gv_model_runs", {})
    if settings not in store:
        optimizer, rate, steps, batch, seed, schedule = settings
        model = models.get_model("mlp-digits")
        store.clear()  # one result at a time per session: bounded memory
        store[settings] = training.train_many(
            model,
            optimizer,
            [rate / 10, rate, rate * 10],
            steps,
            seeds=[seed],
            schedule=schedule,
            batch_size=batch,
            record_path=True,  # the weights along the way, for the landscape's projections
            path_every=landscape.path_every(model, steps),
            progress=progress,
        )
    return store[settings]


def last_run() -> tuple[tuple, list] | None:
    """(settings, results) of this session's last training, or None: kept while other settings
    move, so a run is never thrown away because a slider moved after it."""
    store = st.session_state.get("_gv_model_runs", {})
    return next(iter(store.items()), None)


def describe(settings: tuple) -> str:
    """The settings a training ran with, in words."""
    from core import optimizers, schedules

    optimizer, rate, steps, batch, seed, schedule = settings
    return (
        f"{optimizers.TITLES[optimizer]} at η = {rate:.3g}, {steps:,} steps, batch {batch}, "
        f"seed {seed}, {schedules.TITLES[schedule].lower()} schedule"
    )


def held_out(run) -> str:
    """The run's result on the held-out images, or, for a run that blew up, that it has none."""
    if run.result_accuracy is None:
        return f"diverged at step {run.diverged_at}" if run.diverged_at is not None else "—"
    return f"{100 * run.result_accuracy:.1f}% held out"


def verdict(run, best_train: float) -> str:
    """One plain phrase for a run, from its own numbers."""
    if run.diverged_at is not None:
        return f"unstable: blew up at step {run.diverged_at}"
    if run.train_loss[-1] > 3 * best_train:
        return "too slow: still far from fitting in this budget"
    low = float(np.min(run.val_loss))
    if run.val_loss[-1] > 1.5 * low:
        return f"validation loss rose from its best {low:.3g}: noisy or overfitting"
    return "trains well"
