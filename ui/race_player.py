"""The race player as a Streamlit component (streamlit.components.v2, inline, no build step).

plotly.js and the race player's scripts (`figures.scripts.RACE`: figures/js/common.js and
race.js) are served as static files the way the valley player's are (`ui.valley_component`),
so the browser loads and caches each once; only the race scene crosses the wire on a rerun.
"""

from __future__ import annotations

import streamlit as st

from figures import scripts
from ui.valley_component import LOADER_JS, plotly_url, script_urls

_JS = (
    LOADER_JS
    + """
export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".gv-race");
  if (!root) {
    root = document.createElement("div");
    root.className = "gv-race";
    parentElement.appendChild(root);
  }
  if (!data || !data.scene) return;
  const plotly = window.Plotly ? Promise.resolve() : load(data.plotly_url);
  const race = window.GVRace ? Promise.resolve() : loadAll(data.race_urls);
  Promise.all([plotly, race])
    .then(() => window.GVRace.render(root, data.scene))
    .catch((err) => { root.textContent = "The race could not be shown: " + err.message; });
}
"""
)

_mount = st.components.v2.component("gradient_valley_race", js=_JS, isolate_styles=False)


def race_player(scene: dict, *, key: str = "race") -> None:
    """Mount the race player for a scene from `figures.race.race_scene`."""
    data = {"scene": scene, "plotly_url": plotly_url(), "race_urls": script_urls(scripts.RACE)}
    _mount(key=key, data=data)
