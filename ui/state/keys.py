"""Session-state keys of the experiment's widgets, per page: one binder, a key prefix per page.

The playground's prefix is "" (keys ``surface``, ``optimizer``, ``hp_adam_beta1``, ...); the
compare pages' is ``cmp_`` (``cmp_surface``, ...), so their widgets never disturb the
playground's while every page builds them with the same code (`ui.controls.experiment_controls`).
"""

from __future__ import annotations

HP_PREFIX, SCHED_PREFIX = "hp", "sched"


def key(name: str, prefix: str = "") -> str:
    """The session-state key of a widget on a page: the playground's prefix is "", the compare
    pages' ``cmp_`` (their own widgets, bound the same way)."""
    return prefix + name


def hp_key(optimizer: str, name: str, prefix: str = "") -> str:
    return f"{prefix}{HP_PREFIX}_{optimizer}_{name}"


def sched_key(schedule: str, name: str, prefix: str = "") -> str:
    return f"{prefix}{SCHED_PREFIX}_{schedule}_{name}"
