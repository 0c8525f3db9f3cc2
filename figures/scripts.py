"""The client-side scripts in figures/js: which files make up each player, in load order, and
a content version of each (for URLs the browser may cache for good).

Each player is plain scripts (no build step, no modules) loaded one after another: common.js
first (window.GV, shared by both players), the player's own files after it, and last the file
that publishes the player (window.GVPlayer, window.GVRace), so its presence means all are in.
The app serves them from this folder (`ui.components.valley_component.script_urls`); the offline
export
inlines them (`figures.export`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

JS_DIR = Path(__file__).resolve().parent / "js"
PLAYER = (
    "common.js",
    "player_core.js",
    "player_frame.js",
    "player_overlay.js",
    "player_fan.js",
    "player_preview.js",
    "player.js",
)
RACE = ("common.js", "race.js")


@lru_cache(maxsize=16)  # a handful of script files
def version(name: str) -> str:
    """A short digest of the script's content."""
    return hashlib.blake2b((JS_DIR / name).read_bytes(), digest_size=6).hexdigest()


def source(names: tuple[str, ...]) -> list[str]:
    """The scripts' text, in the order given."""
    return [(JS_DIR / name).read_text(encoding="utf-8") for name in names]
