"""A real server under browserless sessions: the load client works, XSRF is on, memory stays
flat over 1,000 reruns of one session, and the app writes nothing outside its data folder.

The server runs from a copy of the app in a temporary folder, with its own HOME and TMPDIR,
so every file it writes can be found (the working tree is shared with other work in progress).
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks import load_test, st_client
from benchmarks.server_proc import rss_bytes, serving
from benchmarks.st_client import Session
from tests.paths import REPO
from ui.controls.lr_control import LR_GRID, format_lr

ROOT = REPO
COPY = ("app.py", "assets", "core", "ui", "app_pages", "figures", "lessons", ".streamlit")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc")


def snapshot(folder: Path) -> dict[str, float]:
    return {str(p.relative_to(folder)): p.stat().st_mtime for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(url, process, app folder, home, tmp, snapshot of the app folder before serving)."""
    base = tmp_path_factory.mktemp("served")
    app, home, tmp = base / "app", base / "home", base / "tmp"
    for folder in (app, home, tmp):
        folder.mkdir()
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, app / name, ignore=IGNORED)
        else:
            shutil.copy2(source, app / name)
    before = snapshot(app)
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(app),
    }
    env.pop("GRADIENT_VALLEY_DATA", None)  # the default: <app>/data
    with serving(script="app.py", cwd=app, env=env) as (url, process):
        yield url, process, app, home, tmp, before


def test_the_load_client_drives_sessions_without_errors(server, tmp_path):
    url, process, *_ = server
    out = tmp_path / "load.json"
    args = ["--url", url, "--sessions", "3", "--changes", "3", "--think", "0", "--ramp", "0"]
    status = load_test.main([*args, "--pid", str(process.pid), "--json", str(out)])
    summary = json.loads(out.read_text())
    assert summary["errors"] == 0 and summary["changes_measured"] == 9
    assert summary["server"]["rss_peak_mib"] > 50 and summary["server"]["cpu_seconds"] > 0
    assert status == (0 if summary["meets_bar"] else 1)


def test_the_running_server_keeps_xsrf_protection_on(server):
    url, *_ = server
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    assert any(c.startswith("_streamlit_xsrf=") for c in cookies)


async def _reruns(url: str, rates: list[float], rounds: int) -> None:
    async with Session(url, timeout=60) as session:
        first = await session.run()
        assert first.ok, first.exceptions
        for i in range(rounds):
            result = await session.run(
                [session.slider("Learning rate", format_lr(rates[i % len(rates)]))]
            )
            assert result.ok, result.exceptions


@pytest.mark.slow
def test_memory_stays_flat_over_1000_reruns_of_one_session(server):
    url, process, *_ = server
    rates = list(LR_GRID[30:70])  # 40 settings, each cached once, then revisited
    st_client.run(_reruns(url, rates, 2 * len(rates)))  # fill the caches for these settings
    before = rss_bytes(process.pid)
    t0 = time.perf_counter()
    st_client.run(_reruns(url, rates, 1000))
    growth = (rss_bytes(process.pid) - before) / 2**20
    assert growth < 20, f"RSS grew by {growth:.1f} MiB over 1,000 reruns"
    assert time.perf_counter() - t0 < 240


def test_the_app_writes_nothing_outside_its_data_folder(server):
    url, process, app, home, tmp, before = server
    st_client.run(_reruns(url, [0.01, 0.5], 4))  # at least one session, whatever ran before
    after = snapshot(app)
    changed = sorted(
        name
        for name, mtime in after.items()
        if before.get(name) != mtime and not name.startswith("data" + os.sep)
    )
    assert changed == [], f"files written in the app folder: {changed[:10]}"
    assert sorted(snapshot(home)) == [], "files written under HOME"
    assert sorted(snapshot(tmp)) == [], "files left in TMPDIR"
    assert any(name.startswith("data" + os.sep) for name in after)  # it did use its folder
