"""A student's phone page (`/join`) imports no JAX (Plotly comes with Streamlit itself): a
fresh server process runs it first when a class arrives, and importing the engine made that
first join take ~1.4 s (measured) while the first students queued behind it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import REPO

HEAVY = ("jax", "jaxlib")

PROBE = f"""
import sys
import ui.a11y, ui.theme  # what app.py imports on every page
import ui.views.join_page
from core.classroom.schema import default_url
default_url()  # the class database's default place, in the app's data folder
print(" ".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def _heavy_imports(code: str, tmp_path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "GV_DATABASE_URL"}  # the default store
    env["GRADIENT_VALLEY_DATA"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def test_the_phone_page_imports_no_jax(tmp_path):
    assert _heavy_imports(PROBE, tmp_path) == []


def test_the_probe_sees_a_heavy_import(tmp_path):
    assert _heavy_imports(PROBE.replace("import ui.views.join_page", "import ui.cache"), tmp_path)
