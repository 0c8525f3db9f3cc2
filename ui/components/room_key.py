"""The instructor's hold on a room, kept in their own browser, so that a restarted server
process does not cost them the class.

The room's secret lives in the instructor's server-side session. If that process restarts (a
crash, a redeploy, one of `deploy/serve_class.sh`'s processes replaced mid-vote), the session
and the secret in it are gone. So the instructor's browser also keeps (code, secret) in its
localStorage: never in the address bar, the join link or anything a student's page reads. A
fresh session asks the browser once; what comes back is untrusted, checked for shape here and
against the room's stored hash by the caller before it is adopted.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.classroom.codes import is_code

STORAGE_KEY = "gradient-valley.class-room.v1"
COMPONENT_KEY = "gv_room_key"
SECRET_MAX = 100  # characters; the real secret is 43 (token_urlsafe of 32 bytes)

_JS = (Path(__file__).resolve().parent / "room_key_component" / "room_key.js").read_text("utf-8")
_mount = st.components.v2.component("gradient_valley_room_key", js=_JS)


def sanitize(raw: object) -> tuple[str, str] | None:
    """(code, secret) from what a browser sent, or None when it is not shaped like one."""
    if not (isinstance(raw, list | tuple) and len(raw) == 2):
        return None
    code, secret = raw
    if not (isinstance(code, str) and is_code(code)):
        return None
    if not (isinstance(secret, str) and 0 < len(secret) <= SECRET_MAX and secret.isprintable()):
        return None
    return code, secret


def keep(room: tuple[str, str]) -> None:
    """Write this session's room into the browser (it then survives a server restart)."""
    _mount(key=COMPONENT_KEY, data={"key": STORAGE_KEY, "mode": "keep", "room": list(room)})


def forget() -> None:
    """Drop the stored room (it ended, expired, or the database no longer has it)."""
    _mount(key=COMPONENT_KEY, data={"key": STORAGE_KEY, "mode": "forget"})


def recall() -> tuple[str, str] | None:
    """Ask the browser for the room it holds; None until it has answered (the answer reruns
    the page) or when it holds none."""
    state = _mount(
        key=COMPONENT_KEY,
        data={"key": STORAGE_KEY, "mode": "ask"},
        default={"stored": None},
        on_stored_change=lambda: None,
    )
    stored = getattr(state, "stored", None)
    if stored is None and isinstance(state, dict):
        stored = state.get("stored")
    return sanitize(stored)
