"""Every cached engine call and surface picture of the app, under one bound.

The policy: two pools, each at most ``MAX_ENTRIES`` entries, each entry at most ``TTL`` seconds
old. `shared` keeps the very object (`st.cache_resource`): runs, surfaces, scenes, races, read
only and shared across sessions, so a class of students on the same valley costs one simulation
per distinct setting. `copied` hands each caller its own copy (`st.cache_data`): sweeps,
pictures, trainings whose progress bars Streamlit replays. A call is named by the function that
computes it and a key of plain values (an `Experiment.key()` tuple, settings); the arguments
themselves ride unhashed. Nothing else in ui/ caches (tests/ui/test_cache_policy.py checks).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

import streamlit as st

import core
from core.schema.experiment import FIELD, Experiment
from core.valley import compare, sweeps
from core.valley.resolver import surface_of as _surface_of
from figures.palette import theme as figure_theme
from figures.valley.surface import data_uri, surface_png

MAX_ENTRIES = 256  # per pool; the decorators below must say the same number (a test checks)
TTL = 3600  # seconds


@st.cache_resource(max_entries=256, ttl=TTL, show_spinner=False)
def _shared(name: str, key: tuple, _call: Callable[[], Any]) -> Any:
    return _call()


@st.cache_data(max_entries=256, ttl=TTL, show_spinner=False)
def _copied(name: str, key: tuple, _call: Callable[[], Any]) -> Any:
    return _call()


def _name(fn: Callable) -> str:
    fn = getattr(fn, "func", fn)  # a partial: the function it calls
    return f"{fn.__module__}.{fn.__qualname__}"


def shared(fn: Callable, key: tuple, *args, **kwargs) -> Any:
    """``fn(*args, **kwargs)``, kept once for every session under (``fn``, ``key``)."""
    return _shared(_name(fn), key, partial(fn, *args, **kwargs))


def copied(fn: Callable, key: tuple, *args, **kwargs) -> Any:
    """``fn(*args, **kwargs)``, cached under (``fn``, ``key``); each caller gets a copy."""
    return _copied(_name(fn), key, partial(fn, *args, **kwargs))


# --- the valley: surfaces, runs, theory, pictures ----------------------------------------------


def surface_of(name: str, formula: str = ""):
    """The Surface a name (or a custom formula) stands for; ValueError with a message if none."""
    formula = formula if name == "custom" else ""
    return shared(_surface_of, (name, formula), Experiment(surface=name, formula=formula))


def floor_of(surface) -> float | None:
    """The lowest known value of a surface (its global minimum), or None."""
    values = [m.value for m in surface.minima]
    return float(min(values)) if values else None


def _picture(name: str, formula: str, present: bool) -> str:
    surface = surface_of(name, formula)
    theme = figure_theme(present)
    return data_uri(surface_png(surface.fn, surface.domain, floor=floor_of(surface), theme=theme))


def background(name: str, formula: str, present: bool) -> str:
    """The surface picture as a data URI (PNG), one per surface and theme."""
    return copied(_picture, (name, formula, present), name, formula, present)


def simulate(exp: Experiment):
    """core.simulate, cached; raises ValueError with a readable message for what cannot run."""
    return shared(core.simulate, exp.key(), exp)


def critical_lr(exp: Experiment) -> float | None:
    """The critical rate at the minimum nearest the path (None for adaptive optimizers)."""
    try:
        return shared(core.critical_lr, exp.key(), exp)
    except ValueError:
        return None


# --- the compare pages: races, sweeps, searches, walkers ---------------------------------------


def good_rates(exp: Experiment, names) -> dict[str, float]:
    """A good fixed rate per optimizer for this surface, start and number of steps."""
    base = exp.replace(optimizer="sgd", lr=FIELD["lr"].default, params={}, seed=0)
    return {n: copied(sweeps.good_rate, (base.key(), n), base, n) for n in names}


def race(exp: Experiment, rates: dict[str, float]):
    return shared(compare.race, (exp.key(), tuple(rates.items())), exp, dict(rates))


def _sweep(exp: Experiment, names: tuple, lo: float, hi: float, num: int):
    return sweeps.sweep(exp, list(names), sweeps.log_rates(lo, hi, num))


def sweep(exp: Experiment, names, lo: float, hi: float, num: int):
    base = exp.replace(lr=FIELD["lr"].default)  # the sweep ignores the current rate
    names = tuple(names)
    return copied(_sweep, (base.key(), names, lo, hi, num), base, names, lo, hi, num)


def duel(exp: Experiment, lo: float, hi: float, budget: int):
    base = exp.replace(lr=FIELD["lr"].default)
    return copied(compare.search_duel, (base.key(), lo, hi, budget), base, lo, hi, budget)


def _walkers(exp: Experiment, per_side: int):
    surface = surface_of(exp.surface, exp.formula)
    return sweeps.walkers(exp, sweeps.grid_starts(surface.domain, per_side))


def walkers(exp: Experiment, per_side: int):
    return copied(_walkers, (exp.key(), per_side), exp, per_side)


def kept(fn: Callable) -> Callable:
    """``fn`` cached in the `shared` pool under its arguments (plain values: settings)."""

    @wraps(fn)
    def call(*args):
        return shared(fn, args, *args)

    return call


def kept_copy(fn: Callable) -> Callable:
    """``fn`` cached in the `copied` pool under its arguments (plain values: settings)."""

    @wraps(fn)
    def call(*args):
        return copied(fn, args, *args)

    return call
