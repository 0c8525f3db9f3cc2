"""Components that keep a document in the browser's localStorage in step with the session.

`component(name, js_path)` mounts a component whose own file (the document's merge rule and
its ``export default``) runs after the shared `keep_in_step.js`; `stored(key)` is what the
browser last sent back for the component mounted under ``key`` (or None)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

_SHARED = Path(__file__).resolve().parent / "keep_in_step.js"


def component(name: str, js_path: Path):
    """A components-v2 component: the shared keep-in-step code, then ``js_path``'s."""
    js = _SHARED.read_text(encoding="utf-8") + "\n" + js_path.read_text(encoding="utf-8")
    return st.components.v2.component(name, js=js)


def stored(key: str) -> object | None:
    """The document the browser sent back for the component mounted under ``key``."""
    state = st.session_state.get(key)
    value = getattr(state, "stored", None)
    if value is None and isinstance(state, Mapping):
        value = state.get("stored")
    return value
