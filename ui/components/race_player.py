"""The race player as a Streamlit component (streamlit.components.v2, inline, no build step).

plotly.js and the race player's scripts (`figures.scripts.RACE`: figures/js/common.js and
race.js) are served as static files the way the valley player's are
(`ui.components.valley_component`),
so the browser loads and caches each once; only the race scene crosses the wire on a rerun.

A race starts hidden (every racer at the start) and plays before it reveals: when the player
reaches its last frame it reports the scene's id (the ``finished`` state), and from then on
`race_player` says the race has been seen, so the page may show its result; `reveal_button`
lets the learner skip ahead. Each race (scene id) is seen afresh.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from figures import scripts
from ui.components.valley_component import component_js, plotly_url, script_urls

SEEN_KEY = "_gv_race_seen"  # ids of the race scenes played to the end or revealed
MAX_SEEN = 64  # a session remembers this many races
RACE_JS = Path(__file__).resolve().parent / "race_component" / "mount.js"

_mount = st.components.v2.component(
    "gradient_valley_race", js=component_js(RACE_JS), isolate_styles=False
)


def _seen() -> list[str]:
    return st.session_state.setdefault(SEEN_KEY, [])


def _mark_seen(scene_id: str) -> None:
    seen = _seen()
    if scene_id not in seen:
        seen.append(scene_id)
        del seen[:-MAX_SEEN]


def race_player(scene: dict, *, key: str = "race") -> bool:
    """Mount the race player for a scene from `figures.compare.race.race_scene`. Returns whether
    this
    race has been played to its end (or revealed) in this session."""
    seen = scene["id"] in _seen()
    data = {
        "scene": {**scene, "at_end": seen},  # a race seen before opens at its finish
        "plotly_url": plotly_url(),
        "race_urls": script_urls(scripts.RACE),
    }
    result = _mount(key=key, data=data, default={"finished": None}, on_finished_change=lambda: None)
    if (result or {}).get("finished") == scene["id"]:
        _mark_seen(scene["id"])
    return scene["id"] in _seen()


def reveal_button(scene_id: str, label: str = "Show the result without playing") -> None:
    """A button that marks the race as seen (the page shows its result on the rerun)."""
    st.button(label, key=f"race_reveal_{scene_id}", on_click=_mark_seen, args=(scene_id,))
