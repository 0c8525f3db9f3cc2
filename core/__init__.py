"""Gradient Valley's engine: surfaces, optimizers, schedules, simulation and analysis.

Pure JAX/NumPy; it never imports Streamlit. The public API is re-exported here lazily, so that
``import core.schema.experiment`` (the URL schema) stays cheap and does not load JAX.
"""

from importlib import import_module

_EXPORTS = {
    "Experiment": "core.schema.experiment",
    "ExperimentError": "core.schema.experiment",
    "FIELDS": "core.schema.experiment",
    "decode": "core.schema.experiment",
    "encode": "core.schema.experiment",
    "SURFACES": "core.valley.surfaces",
    "get_surface": "core.valley.surfaces",
    "custom_surface": "core.valley.surfaces",
    "simulate": "core.valley.simulation",
    "Run": "core.valley.simulation",
    "resolve": "core.valley.resolver",
    "sweep": "core.valley.sweeps",
    "walkers": "core.valley.sweeps",
    "analyze": "core.valley.theory",
    "critical_lr": "core.valley.theory",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'core' has no attribute {name!r}")
