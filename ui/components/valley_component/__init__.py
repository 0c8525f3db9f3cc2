"""The valley player as a Streamlit component (streamlit.components.v2, inline, no build step).

Only the scene crosses the wire on a rerun. plotly.js and the player's scripts
(`figures.scripts.PLAYER`) are served once as static assets through Streamlit's component file
route (folders declared with ``components.v1.declare_component(path=...)`` and registered on
the running server) and cached by the browser; the component's own inline JavaScript is a few
lines that load them once per window and hand the scene to ``GVPlayer.render``. The player
keeps surface pictures in a window-level cache keyed by surface, so the server sends each
picture once per session.

The race player (`ui.components.race_player`) is served the same way: `plotly_url`, `script_urls`
and
`component_js` (which puts `loader.js` before a component's own file) are for any component
that plays a scene from figures/js. Every piece of JavaScript is a file in this folder.

Events back to Python:
- ``pick``: [x, y] where the user clicked the map (a trigger);
- ``frame``: {"scene": id, "frame": i} where playback was paused or scrubbed to (a state);
- ``need_background``: a surface key the browser lacks a picture for (a trigger);
- ``need_fan``: the id of a fan the scene names but the browser lacks (a trigger;
  `ui.views.fan_ship`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st
import streamlit.components.v1 as components_v1

from figures import scripts

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"

HERE = Path(__file__).resolve().parent


def component_js(*paths: Path) -> str:
    """A component's JavaScript: whole files joined in the order given (`loader.js` first,
    whose functions the component's own file calls)."""
    return "\n".join(path.read_text(encoding="utf-8") for path in (HERE / "loader.js", *paths))


_mount = st.components.v2.component(
    "gradient_valley_player", js=component_js(HERE / "player_mount.js"), isolate_styles=False
)
# As soon as the page's first element renders: load the (small) player script, so the map's
# static preview can be drawn the moment the player mounts, and download plotly.js without
# running it; it runs once the preview is on screen (running it freezes the page a while).
_preload = st.components.v2.component(
    "gradient_valley_preload", js=component_js(HERE / "preload.js")
)


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
    `loader.js`."""
    prefix = _register()
    return [f"{prefix}/{_SCRIPT_ASSETS.name}/{n}?v={scripts.version(n)}" for n in names]


def valley_player(
    scene: dict,
    *,
    key: str,
    on_pick: Callable[[], None] | None = None,
    on_frame: Callable[[], None] | None = None,
    on_need_background: Callable[[], None] | None = None,
    on_need_fan: Callable[[], None] | None = None,
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
        on_need_fan_change=on_need_fan or (lambda: None),
    )


def preload_player(container=st) -> None:
    """Mount an invisible element that starts loading the player and plotly.js right away."""
    data = {"plotly_url": plotly_url(), "player_urls": script_urls(scripts.PLAYER)}
    with container:
        _preload(key="gv_preload", data=data)
