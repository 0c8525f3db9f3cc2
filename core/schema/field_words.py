"""Learners' words for settings without a catalog entry: none are left.

Each optimizer hyperparameter's label and help are in `core.catalog.optimizers`, each schedule
argument's in `core.catalog.schedules`; the table of fields takes them from there. Kept (empty)
only until `core.schema.experiment` stops reading it; then this module can go.
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {}
