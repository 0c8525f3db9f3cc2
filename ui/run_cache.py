"""Cached engine calls and surface pictures, bounded in size and age.

Keys are `Experiment.key()` tuples (cheap to hash); the experiment itself is passed unhashed.
Runs and surfaces are shared across sessions (`cache_resource`: the same read-only object),
so a class of students on the same valley costs one simulation per distinct setting.
"""

from __future__ import annotations

import streamlit as st

import core
from core.schema.experiment import Experiment
from core.valley.resolver import surface_of as _surface_of
from figures.palette import theme as figure_theme
from figures.surface import data_uri, surface_png

TTL = 3600


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def _surface(name: str, formula: str):
    return _surface_of(Experiment(surface=name, formula=formula))


def surface_of(name: str, formula: str = ""):
    """The Surface a name (or a custom formula) stands for; ValueError with a message if none."""
    return _surface(name, formula if name == "custom" else "")


def floor_of(surface) -> float | None:
    """The lowest known value of a surface (its global minimum), or None."""
    values = [m.value for m in surface.minima]
    return float(min(values)) if values else None


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def background(name: str, formula: str, present: bool) -> str:
    """The surface picture as a data URI (PNG), one per surface and theme."""
    surface = surface_of(name, formula)
    theme = figure_theme(present)
    return data_uri(surface_png(surface.fn, surface.domain, floor=floor_of(surface), theme=theme))


@st.cache_resource(max_entries=256, ttl=TTL, show_spinner=False)
def _simulate(key: tuple, _exp: Experiment):
    return core.simulate(_exp)


def simulate(exp: Experiment):
    """core.simulate, cached; raises ValueError with a readable message for what cannot run."""
    return _simulate(exp.key(), exp)


@st.cache_resource(max_entries=256, ttl=TTL, show_spinner=False)
def _critical(key: tuple, _exp: Experiment):
    return core.critical_lr(_exp)


def critical_lr(exp: Experiment) -> float | None:
    """The critical rate at the minimum nearest the path (None for adaptive optimizers)."""
    try:
        return _critical(exp.key(), exp)
    except ValueError:
        return None
