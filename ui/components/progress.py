"""A learner's progress through the lessons, kept in the browser's localStorage (no account).

Progress is a small JSON document: for each lesson, the answers given (question id -> index of
the chosen answer) and whether the lesson is done::

    {"lessons": {"too-large": {"done": true, "answers": {"q1": 3, "q2": 1}}}}

The session holds the working copy (``st.session_state``). A tiny invisible component keeps it in
step with localStorage: on every run it receives the session's copy, merges it with what the
browser stored, writes the result back, and, if the browser knew more (a reload, a new browser
session, a restarted server), sends the merged copy to Python, which adopts it. Merging is a
union (done stays done; an answer once given is kept), so the exchange settles after one round.
Whatever comes back from the browser is untrusted and is sanitised before use.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from ui.components import browser_store

STORAGE_KEY = "gradient-valley.progress.v1"
SESSION_KEY = "gv_progress"
RESET_KEY = "gv_progress_reset"
COMPONENT_KEY = "gv_progress_sync"
MAX_LESSONS = 200
MAX_ANSWERS = 50
MAX_CHOICE = 50
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

# -- the document: pure functions -----------------------------------------------------------


def empty() -> dict:
    return {"lessons": {}}


def sanitize(raw: Any) -> dict:
    """Keep only well-formed entries of an untrusted progress document."""
    out = empty()
    lessons = raw.get("lessons") if isinstance(raw, Mapping) else None
    if not isinstance(lessons, Mapping):
        return out
    for slug, entry in list(lessons.items())[:MAX_LESSONS]:
        if not (isinstance(slug, str) and _ID.match(slug) and isinstance(entry, Mapping)):
            continue
        answers = {}
        given = entry.get("answers")
        if isinstance(given, Mapping):
            for qid, choice in list(given.items())[:MAX_ANSWERS]:
                ok_choice = isinstance(choice, int) and not isinstance(choice, bool)
                if (
                    isinstance(qid, str)
                    and _ID.match(qid)
                    and ok_choice
                    and 0 <= choice < MAX_CHOICE
                ):
                    answers[qid] = choice
        out["lessons"][slug] = {"done": entry.get("done") is True, "answers": answers}
    return out


def merge(first: Mapping, second: Mapping) -> dict:
    """The union of two sanitised documents; an answer in `first` wins over one in `second`."""
    out = empty()
    for doc in (second, first):
        for slug, entry in doc["lessons"].items():
            mine = out["lessons"].setdefault(slug, {"done": False, "answers": {}})
            mine["done"] = mine["done"] or entry["done"]
            mine["answers"] = {**mine["answers"], **entry["answers"]}
    return out


def apply_renames(doc: Mapping, renames: Mapping[str, str]) -> dict:
    """The same progress with each renamed lesson's entry under its new address (merged with
    whatever is already there), so what a learner did under a lesson's old name is kept."""
    out = merge({"lessons": {}}, doc)
    for old, new in renames.items():
        entry = out["lessons"].pop(old, None)
        if entry is not None:
            out = merge(out, {"lessons": {new: entry}})
    return out


def canonical(doc: Mapping) -> str:
    """One text per document (sorted keys), as the browser side writes it."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"))


# -- the session's copy ---------------------------------------------------------------------


def current() -> dict:
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = empty()
    return st.session_state[SESSION_KEY]


def lesson_entry(slug: str) -> dict:
    return current()["lessons"].get(slug, {"done": False, "answers": {}})


def record_answer(slug: str, question_id: str, choice: int) -> None:
    """Keep the learner's first answer to a question (later clicks do not change it)."""
    entry = current()["lessons"].setdefault(slug, {"done": False, "answers": {}})
    entry["answers"].setdefault(question_id, int(choice))


def mark_done(slug: str) -> None:
    current()["lessons"].setdefault(slug, {"done": False, "answers": {}})["done"] = True


def reset() -> None:
    """Forget everything, here and (on the next sync) in this browser."""
    st.session_state[SESSION_KEY] = empty()
    st.session_state[RESET_KEY] = uuid.uuid4().hex


# -- the browser side -----------------------------------------------------------------------

_mount = browser_store.component(
    "gradient_valley_progress", Path(__file__).resolve().parent / "progress_component" / "sync.js"
)


def _adopt_stored(renames: Mapping[str, str]) -> None:
    stored = browser_store.stored(COMPONENT_KEY)
    if stored is not None:
        stored = apply_renames(sanitize(stored), renames)
        st.session_state[SESSION_KEY] = merge(current(), stored)


def sync(renames: Mapping[str, str] | None = None) -> dict:
    """Mount the (invisible) sync component and return the session's progress; `renames` maps
    renamed lessons' old addresses to their new ones (`core.lessons.renamed`)."""
    renames = dict(renames or {})
    progress = current()
    _mount(
        key=COMPONENT_KEY,
        data={
            "key": STORAGE_KEY,  # where in localStorage
            "progress": progress,
            "reset": st.session_state.get(RESET_KEY),
        },
        default={"stored": None},
        on_stored_change=lambda: _adopt_stored(renames),
    )
    return current()
