"""A log-scale rate slider that loses no key press and never floods the server.

The page's own `<input type=range>` (a streamlit.components.v2 component, `rate_slider.js`)
moves and shows its value at once; the position goes to Python when the gesture settles,
unless a rerun it started is still under way, in which case the newest position follows when
that rerun ends. At most one rerun is in flight. Streamlit's own slider reruns on every
step, and under a burst of presses a rerun redraws an older value (presses lost, slider, run
and link drifting apart) until the session fails ("Cached ForwardMsg MISS").

Every move is announced in the page at once (a "gv-rate-input" event: players holding a fan
redraw from it); Python hears where a gesture settles (pointer up, 150 ms without a key).

``rate_slider(key, labels, index, ...)`` draws it at position ``index`` (applied whenever it
changes, unless the learner is mid-gesture) and returns the position the browser last
committed, or None; ``on_change`` runs, as a widget callback, when a new position arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import streamlit as st

_HERE = Path(__file__).resolve().parent
_mount = st.components.v2.component(
    "gradient_valley_rate",
    js=(_HERE / "rate_slider.js").read_text(encoding="utf-8"),
    css=(_HERE / "rate_slider.css").read_text(encoding="utf-8"),
)


def committed(key: str, size: int) -> int | None:
    """The position (0 .. size-1) the browser last sent for slider ``key``, or None."""
    state = st.session_state.get(key)
    rate = state.get("rate") if isinstance(state, Mapping) else None
    index = rate.get("index") if isinstance(rate, Mapping) else None  # untrusted: check it
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < size:
        return index
    return None


def rate_slider(
    key: str,
    labels: Sequence[str],
    index: int,
    *,
    label: str,
    help: str = "",
    on_change: Callable[[], None] | None = None,
) -> int | None:
    """Draw the slider; returns the position last committed by the browser (None: none yet)."""
    _mount(
        key=key,
        data={"labels": list(labels), "index": int(index), "label": label, "help": help, "id": key},
        default={"rate": None},
        on_rate_change=on_change or (lambda: None),
    )
    return committed(key, len(labels))
