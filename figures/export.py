"""Standalone exports: one HTML file that plays offline, and the path as CSV and JSON.

The HTML embeds plotly.js (from the installed plotly package, never a CDN), the same player
the app uses (its scripts in figures/js, `figures.scripts.PLAYER`) and the scene with its
background as a data URI, so it opens from a USB stick in a lecture hall with no network at all.
"""

from __future__ import annotations

import csv
import html
import io
import json
from functools import lru_cache

import numpy as np

from figures import scripts


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _script_safe(text: str) -> str:
    """Text that cannot close the <script> element it sits in."""
    return text.replace("</", "<\\/")


def standalone_html(scene: dict, *, title: str, caption: str = "") -> str:
    """A complete HTML document that plays ``scene`` (whose bg.uri must be set) offline."""
    if scene.get("bg") and not scene["bg"].get("uri"):
        raise ValueError("the exported scene needs its background inline (bg.uri)")
    scene = {**scene, "clickable": False, "frame": 0}
    payload = _script_safe(json.dumps(scene, separators=(",", ":")))
    player = "\n".join(
        f"<script>{_script_safe(js)}</script>" for js in scripts.source(scripts.PLAYER)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: "Source Sans Pro", Arial, sans-serif; margin: 1.2rem 2rem; color: #262730; }}
h1 {{ font-size: 1.5rem; margin: 0 0 .2rem; }}
p.caption {{ margin: 0 0 .8rem; }}
</style>
<script>{_script_safe(plotly_js())}</script>
{player}
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="caption">{html.escape(caption)}</p>
<div id="player"></div>
<script>
var scene = {payload};
window.GVPlayer.render(document.getElementById("player"), scene, {{}});
</script>
</body>
</html>
"""


def path_csv(path: np.ndarray, loss: np.ndarray, lr: np.ndarray) -> str:
    """step, x, y, loss, lr (the rate of the step leaving that point; empty at the end)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "x", "y", "loss", "lr"])
    for t, ((x, y), f) in enumerate(zip(np.asarray(path), np.asarray(loss), strict=True)):
        rate = repr(float(lr[t])) if t < len(lr) else ""
        writer.writerow([t, repr(float(x)), repr(float(y)), repr(float(f)), rate])
    return out.getvalue()


def path_json(document: dict) -> str:
    """The run's JSON document (e.g. ``Run.to_json()`` plus the experiment's settings)."""
    return json.dumps(document, indent=1, allow_nan=False)
