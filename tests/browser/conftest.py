"""Real-browser fixtures: a real `streamlit run app.py` server and headless Chromium pages.

Reuse them for any page:

    pytestmark = pytest.mark.browser

    def test_something(page, open_app):
        open_app(page, "sweep", {"lr": "0.1"})      # path, query params; waits for the app
        open_app(page, "", wait_for=".gv-map .main-svg")  # or for a chart of your own

`server_url` starts one server per test session on a free port (waiting for
``/_stcore/health``) and stops it at the end; `browser` is one Chromium per session; `page`
is a fresh context and page per test (no shared cookies, storage or session).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
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
STARTUP_TIMEOUT = 90.0
CHART = ".gv-map .main-svg"  # the playground's map, once plotted


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, *extra: str) -> subprocess.Popen:
    """Start `streamlit run app.py` bound to localhost; the caller stops it."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra,
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def server_url():
    """Base URL of a running app server (one per session)."""
    port = _free_port()
    process = start_server(port)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page (1400 x 1000) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def app_url(server_url: str, path: str = "", params: dict | None = None) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{server_url}/{path.lstrip('/')}{query}"


@pytest.fixture
def open_app(server_url):
    """open_app(page, path="", params=None, wait_for=CHART): load a page, wait for its chart."""

    def _open(tab, path: str = "", params: dict | None = None, wait_for: str | None = CHART):
        tab.goto(app_url(server_url, path, params))
        tab.wait_for_selector('[data-testid="stApp"]', state="attached")
        if wait_for:
            tab.wait_for_selector(wait_for, timeout=60_000)
        return tab

    return _open
