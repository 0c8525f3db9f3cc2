"""The race player as a Streamlit component (streamlit.components.v2, inline, no build step).

plotly.js and figures/js/race.js are served as static files from the folders the valley
player already registers (`ui.valley_component`), so the browser loads and caches each once;
only the race scene crosses the wire on a rerun.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from ui import valley_component

_RACE_FILE = valley_component.PLAYER_DIR / "race.js"
_RACE_VERSION = hashlib.blake2b(_RACE_FILE.read_bytes(), digest_size=6).hexdigest()

_JS = """
function load(url) {
  const cache = (window.__gvLoads = window.__gvLoads || {});
  if (!cache[url]) {
    cache[url] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = resolve;
      s.onerror = () => { delete cache[url]; reject(new Error("could not load " + url)); };
      document.head.appendChild(s);
    });
  }
  return cache[url];
}

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
  const race = window.GVRace ? Promise.resolve() : load(data.race_url);
  Promise.all([plotly, race])
    .then(() => window.GVRace.render(root, data.scene))
    .catch((err) => { root.textContent = "The race could not be shown: " + err.message; });
}
"""

_mount = st.components.v2.component("gradient_valley_race", js=_JS, isolate_styles=False)


def _urls() -> tuple[str, str]:
    plotly_url, player_url = valley_component._asset_urls()  # registers figures/js once
    base = player_url.split("player.js", 1)[0]
    return plotly_url, f"{base}race.js?v={_RACE_VERSION}"


def race_player(scene: dict, *, key: str = "race") -> None:
    """Mount the race player for a scene from `figures.race.race_scene`."""
    plotly_url, race_url = _urls()
    _mount(key=key, data={"scene": scene, "plotly_url": plotly_url, "race_url": race_url})
