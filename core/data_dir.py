"""The app's one data folder (``$GRADIENT_VALLEY_DATA``, default ``<project>/data``): JAX's
compilation cache and the class database live there; the app writes nowhere else. Its own
module, free of JAX, so a phone's page (the class store) can find it without importing JAX."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR = Path(
    os.environ.get("GRADIENT_VALLEY_DATA", Path(__file__).resolve().parent.parent / "data")
)
