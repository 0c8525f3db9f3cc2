"""Gradient Valley's engine: surfaces, optimizers, schedules, simulation and analysis.

Pure JAX/NumPy; it never imports Streamlit. The public API is re-exported here lazily, so that
``import core.experiment`` (the URL schema) stays cheap and does not load JAX.
"""

from importlib import import_module

_EXPORTS = {
    "Experiment": "core.experiment",
    "ExperimentError": "core.experiment",
    "FIELDS": "core.experiment",
    "decode": "core.experiment",
    "encode": "core.experiment",
    "SURFACES": "core.surfaces",
    "get_surface": "core.surfaces",
    "custom_surface": "core.surfaces",
    "simulate": "core.simulation",
    "Run": "core.simulation",
    "resolve": "core.resolver",
    "sweep": "core.sweeps",
    "walkers": "core.sweeps",
    "analyze": "core.theory",
    "critical_lr": "core.theory",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'core' has no attribute {name!r}")
