"""A fan crosses the wire once per session: later scenes name it, the page keeps it.

The fan (every slider rate's path, ~170 KB at 150 steps) is the same for every rate of an
experiment, and a drag ends in a rerun per gesture: sending it with each scene would multiply
what a classroom's server sends. So a scene carries ``fan = {"id", "index", "slider"}`` and the
fan's data only the first time this session meets that id; the player keeps fans by id
(`figures/js/player_fan.js`) and, lacking one (a rerun cut short before it arrived), asks
again with the trigger ``need_fan``, as it does for surface pictures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

SENT_KEY = "_gv_fans_sent"


def fan_id(key: tuple) -> str:
    return "fan-" + hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()


def with_fan(scene: dict, key: tuple, data: Callable[[], dict], index: int, slider: str) -> dict:
    """`scene` with its fan named (and its data, if this session has not had it yet); `key`
    names the fan (an experiment key without its rate), `data()` computes it (cached)."""
    fid = fan_id(key)
    fan = {"id": fid, "index": int(index), "slider": slider}
    sent = st.session_state.setdefault(SENT_KEY, set())
    if fid not in sent:
        fan["data"] = data()
        sent.add(fid)
    return {**scene, "fan": fan}


def need_fan(player_key: str) -> Callable[[], None]:
    """The player's ``need_fan`` callback: send that fan again on this rerun."""

    def callback() -> None:
        fid = (st.session_state.get(player_key) or {}).get("need_fan")
        st.session_state.setdefault(SENT_KEY, set()).discard(fid)

    return callback
