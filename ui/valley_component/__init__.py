"""The valley player as a Streamlit component (streamlit.components.v2, inline, no build step).

Only the scene crosses the wire on a rerun. plotly.js and the player's scripts
(`figures.scripts.PLAYER`) are served once as static assets through Streamlit's component file
route (folders declared with ``components.v1.declare_component(path=...)`` and registered on
the running server) and cached by the browser; the component's own inline JavaScript is a few
lines that load them once per window and hand the scene to ``GVPlayer.render``. The player
keeps surface pictures in a window-level cache keyed by surface, so the server sends each
picture once per session.

The race player (`ui.race_player`) is served the same way: `plotly_url`, `script_urls` and
the loader `LOADER_JS` are for any component that plays a scene from figures/js.

Events back to Python:
- ``pick``: [x, y] where the user clicked the map (a trigger);
- ``frame``: {"scene": id, "frame": i} where playback was paused or scrubbed to (a state);
- ``need_background``: a surface key the browser lacks a picture for (a trigger).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st
import streamlit.components.v1 as components_v1

from figures import scripts

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"

LOADER_JS = """
// A script by URL, once per window (a failed load may be tried again). `ordered` scripts
// download in parallel but run in the order they were asked for (async = false).
function load(url, ordered) {
  const cache = (window.__gvLoads = window.__gvLoads || {});
  if (!cache[url]) {
    cache[url] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = !ordered;
      s.onload = resolve;
      s.onerror = () => { delete cache[url]; reject(new Error("could not load " + url)); };
      document.head.appendChild(s);
    });
  }
  return cache[url];
}

// Scripts that build on one another (`script_urls`), run in the order given.
function loadAll(urls) {
  return Promise.all(urls.map((url) => load(url, true)));
}
"""
"""The inline components' script loader (JavaScript, for the start of a component's ``js``):
``load(url)`` adds a script once per window; ``loadAll(urls)`` adds several that run in order,
e.g. a player's `script_urls`."""

_JS = (
    LOADER_JS
    + """
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
  const plotly = window.Plotly
    ? Promise.resolve()
    : fetchPlotly(data.plotly_url).then((url) => load(url));
  const player = window.GVPlayer ? Promise.resolve() : loadAll(data.player_urls);
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
    : (window.GVPlayer ? Promise.resolve() : loadAll(data.player_urls)).then(
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
)

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
  (window.GVPlayer ? Promise.resolve() : loadAll(data.player_urls))
    .then(() => (window.Plotly ? null : fetchPlotly(data.plotly_url)))
    .catch(() => {});
}
"""
)
_preload = st.components.v2.component("gradient_valley_preload", js=_PRELOAD_JS)


# Declared at import (names only); registered on the running server by `_register`.
_PLOTLY_ASSETS = components_v1.declare_component("gv_plotly", path=str(PLOTLY_DIR))
_SCRIPT_ASSETS = components_v1.declare_component("gv_player", path=str(scripts.JS_DIR))


def _register() -> str:
    """Register the asset folders with the running server (once per runtime); returns the
    URL prefix of the component file route."""
    from streamlit.runtime import Runtime

    if Runtime.exists():
        registry = Runtime.instance().component_registry
        for assets in (_PLOTLY_ASSETS, _SCRIPT_ASSETS):
            if registry.get_component_path(assets.name) is None:
                registry.register_component(assets)
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/component" if base else "/component"


def plotly_url() -> str:
    """URL of the plotly.js bundle shipped with the plotly package, served by this server."""
    return f"{_register()}/{_PLOTLY_ASSETS.name}/plotly.min.js?v={plotly.__version__}"


def script_urls(names: tuple[str, ...]) -> list[str]:
    """URLs of client-side scripts from figures/js on this server, in the order given (a
    player's files: `figures.scripts.PLAYER`, `figures.scripts.RACE`), each carrying its
    content version so the browser may cache it for good. Load them with ``loadAll`` from
    `LOADER_JS`."""
    prefix = _register()
    return [f"{prefix}/{_SCRIPT_ASSETS.name}/{n}?v={scripts.version(n)}" for n in names]


def valley_player(
    scene: dict,
    *,
    key: str,
    on_pick: Callable[[], None] | None = None,
    on_frame: Callable[[], None] | None = None,
    on_need_background: Callable[[], None] | None = None,
):
    """Mount the player. Returns the component result (``.pick``, ``.frame``, ...)."""
    data = {"scene": scene, "plotly_url": plotly_url(), "player_urls": script_urls(scripts.PLAYER)}
    return _mount(
        key=key,
        data=data,
        default={"frame": None},
        on_pick_change=on_pick or (lambda: None),
        on_frame_change=on_frame or (lambda: None),
        on_need_background_change=on_need_background or (lambda: None),
    )


def preload_player(container=st) -> None:
    """Mount an invisible element that starts loading the player and plotly.js right away."""
    data = {"plotly_url": plotly_url(), "player_urls": script_urls(scripts.PLAYER)}
    with container:
        _preload(key="gv_preload", data=data)
