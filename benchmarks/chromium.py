"""The headless Chromium that drives the app in the benchmarks and the browser tests.

Debian's /usr/bin/chromium (Playwright cannot download its own browsers here), with the flags
that keep it from trying to reach outside hosts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def installed() -> bool:
    return bool(shutil.which(CHROMIUM)) or Path(CHROMIUM).exists()


def launch(playwright):
    """A headless Chromium browser from a running ``sync_playwright()``; the caller closes it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
