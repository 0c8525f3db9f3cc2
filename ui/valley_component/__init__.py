"""The valley player as a Streamlit component (streamlit.components.v2, inline, no build step).

Only the scene crosses the wire on a rerun. plotly.js and the player script are served once
as static assets through Streamlit's component file route (folders declared with
``components.v1.declare_component(path=...)`` and registered on the running server) and cached by
the browser; the component's own inline JavaScript is a few lines that load them once per
window and hand the scene to ``GVPlayer.render``. The player keeps surface pictures in a
window-level cache keyed by surface, so the server sends each picture once per session.

Events back to Python:
- ``pick``: [x, y] where the user clicked the map (a trigger);
- ``frame``: {"scene": id, "frame": i} where playback was paused or scrubbed to (a state);
- ``need_background``: a surface key the browser lacks a picture for (a trigger).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st
import streamlit.components.v1 as components_v1

PLAYER_DIR = Path(__file__).resolve().parents[2] / "figures" / "js"
PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"

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

// Download plotly.js without running it (running it freezes the page for a second or more).
function fetchPlotly(url) {
  if (!window.__gvPlotlyBlob) {
    window.__gvPlotlyBlob = fetch(url)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error("could not load " + url))))
      .then((blob) => URL.createObjectURL(blob));
    window.__gvPlotlyBlob.catch(() => { window.__gvPlotlyBlob = null; });
  }
  return window.__gvPlotlyBlob;
}

export function loadPlayer(data) {
  // Both in parallel: the player only touches window.Plotly when it renders.
  const plotly = window.Plotly ? Promise.resolve() : fetchPlotly(data.plotly_url).then(load);
  const player = window.GVPlayer ? Promise.resolve() : load(data.player_url);
  return Promise.all([plotly, player]);
}

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  let root = parentElement.querySelector(".gv-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "gv-root";
    parentElement.appendChild(root);
  }
  if (!data || !data.scene) return;
  const hooks = {
    onPick: (xy) => setTriggerValue("pick", xy),
    onFrame: (id, frame) => setStateValue("frame", { scene: id, frame: frame }),
    onNeedBackground: (key) => setTriggerValue("need_background", key),
  };
  // Evaluating plotly.js blocks the page for a second or more: draw the map as a static
  // picture first (the player script is small), and only then start loading plotly.js.
  const previewed = window.Plotly
    ? Promise.resolve()
    : (window.GVPlayer ? Promise.resolve() : load(data.player_url)).then(
        () =>
          new Promise((resolve) => {
            if (!window.Plotly) window.GVPlayer.preview(root, data.scene, hooks);
            requestAnimationFrame(() => setTimeout(resolve, 0)); // let the preview paint
          })
      );
  previewed
    .then(() => loadPlayer(data))
    .then(() => {
      window.GVPlayer.render(root, data.scene, hooks);
    })
    .catch((err) => {
      root.textContent = "The chart could not be shown: " + err.message;
    });
}
"""

_mount = st.components.v2.component("gradient_valley_player", js=_JS, isolate_styles=False)

# As soon as the page's first element renders: load the (small) player script, so the map's
# static preview can be drawn the moment the player mounts, and download plotly.js without
# running it; it runs once the preview is on screen (running it freezes the page a while).
_PRELOAD_JS = (
    _JS.split("export default")[0]
    + """
export default function (component) {
  const data = component.data;
  if (!data) return;
  // The player first (the preview needs it), then the big download.
  (window.GVPlayer ? Promise.resolve() : load(data.player_url))
    .then(() => (window.Plotly ? null : fetchPlotly(data.plotly_url)))
    .catch(() => {});
}
"""
)
_preload = st.components.v2.component("gradient_valley_preload", js=_PRELOAD_JS)


def _digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()


_PLAYER_VERSION = _digest(PLAYER_DIR / "player.js")


# Declared at import (names only); registered on the running server by `_asset_urls`.
_PLOTLY_ASSETS = components_v1.declare_component("gv_plotly", path=str(PLOTLY_DIR))
_PLAYER_ASSETS = components_v1.declare_component("gv_player", path=str(PLAYER_DIR))


def _asset_urls() -> tuple[str, str]:
    """URLs of plotly.min.js and player.js on this server (registered once per runtime)."""
    from streamlit.runtime import Runtime

    if Runtime.exists():
        registry = Runtime.instance().component_registry
        for assets in (_PLOTLY_ASSETS, _PLAYER_ASSETS):
            if registry.get_component_path(assets.name) is None:
                registry.register_component(assets)
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return (
        f"{prefix}/component/{_PLOTLY_ASSETS.name}/plotly.min.js?v={plotly.__version__}",
        f"{prefix}/component/{_PLAYER_ASSETS.name}/player.js?v={_PLAYER_VERSION}",
    )


def valley_player(
    scene: dict,
    *,
    key: str,
    on_pick: Callable[[], None] | None = None,
    on_frame: Callable[[], None] | None = None,
    on_need_background: Callable[[], None] | None = None,
):
    """Mount the player. Returns the component result (``.pick``, ``.frame``, ...)."""
    plotly_url, player_url = _asset_urls()
    return _mount(
        key=key,
        data={"scene": scene, "plotly_url": plotly_url, "player_url": player_url},
        default={"frame": None},
        on_pick_change=on_pick or (lambda: None),
        on_frame_change=on_frame or (lambda: None),
        on_need_background_change=on_need_background or (lambda: None),
    )


def preload_player(container=st) -> None:
    """Mount an invisible element that starts loading the player and plotly.js right away."""
    plotly_url, player_url = _asset_urls()
    with container:
        _preload(key="gv_preload", data={"plotly_url": plotly_url, "player_url": player_url})
