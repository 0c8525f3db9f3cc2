"""The learner's best blindfold walks, kept in the browser's localStorage (no account).

The same mechanism as the lessons' progress (`ui.components.progress`): the session holds the
working copy, and a tiny invisible component merges it with what this browser stored, writes
the result back and, when the browser knew more (a reload, a new session, a restarted
server), sends it to Python, which adopts it after sanitising it. The document::

    {"best": {"surface=bowl": 3, "surface=custom&formula=x^2+y^2&start=3,2": 5}}

maps a walk (its canonical URL query: surface, formula, start, tolerance) to the fewest steps
in which this browser reached its bottom. Merging keeps the fewer steps of each walk, so the
exchange settles after one round.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from ui.components import browser_store

STORAGE_KEY = "gradient-valley.blindfold.v1"
SESSION_KEY = "gv_blindfold_best"
COMPONENT_KEY = "gv_blindfold_sync"
MAX_WALKS = 200
MAX_KEY = 300  # characters of a walk's name (a formula is at most 200)
MAX_STEPS = 100_000


def empty() -> dict:
    return {"best": {}}


def sanitize(raw: Any) -> dict:
    """Keep only well-formed entries of an untrusted document."""
    out = empty()
    best = raw.get("best") if isinstance(raw, Mapping) else None
    if not isinstance(best, Mapping):
        return out
    for walk, steps in list(best.items())[:MAX_WALKS]:
        whole = isinstance(steps, int) and not isinstance(steps, bool)
        if isinstance(walk, str) and 0 < len(walk) <= MAX_KEY and whole and 0 <= steps <= MAX_STEPS:
            out["best"][walk] = steps
    return out


def merge(first: Mapping, second: Mapping) -> dict:
    """Both sanitised documents together: the fewer steps of each walk."""
    out = {"best": dict(second["best"])}
    for walk, steps in first["best"].items():
        out["best"][walk] = min(steps, out["best"].get(walk, steps))
    return out


def current() -> dict:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = empty()
    return st.session_state[SESSION_KEY]


def best(walk: str) -> int | None:
    return current()["best"].get(walk)


def record(walk: str, steps: int) -> bool:
    """Keep ``steps`` if it beats this walk's best; True when it is a new best."""
    old = best(walk)
    if old is not None and old <= steps:
        return False
    st.session_state[SESSION_KEY] = merge({"best": {walk[:MAX_KEY]: int(steps)}}, current())
    return True


_JS = Path(__file__).resolve().parent / "blindfold_scores_component" / "sync.js"
_mount = browser_store.component("gradient_valley_blindfold_scores", _JS)


def _adopt_stored() -> None:
    stored = browser_store.stored(COMPONENT_KEY)
    if stored is not None:
        st.session_state[SESSION_KEY] = merge(current(), sanitize(stored))


def sync() -> dict:
    """Mount the (invisible) sync component and return the session's scores."""
    _mount(
        key=COMPONENT_KEY,
        data={"key": STORAGE_KEY, "scores": current()},
        default={"stored": None},
        on_stored_change=_adopt_stored,
    )
    return current()
