"""deploy/serve_class.sh: two Streamlit processes behind nginx start with one command, serve a
session over the websocket with the sticky-route cookie, and stop with one command."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from benchmarks import st_client
from benchmarks.st_client import Session
from tests.paths import REPO

ROOT = REPO
SCRIPT = ROOT / "deploy" / "serve_class.sh"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed"),
]


def _free_pair() -> int:
    """A port p such that p and p + 1 are both free on the loopback address."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two consecutive free ports")


def _pid_files(run_dir: Path) -> list[Path]:
    return sorted(run_dir.glob("*.pid"))


def test_serve_class_starts_serves_and_stops(tmp_path):
    run_dir = tmp_path / "run"
    base = _free_pair()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        public = s.getsockname()[1]
    env = {
        **os.environ,
        "GV_WORKERS": "2",
        "GV_BASE_PORT": str(base),
        "GV_LISTEN": f"127.0.0.1:{public}",
        "GV_RUN_DIR": str(run_dir),
    }
    pids: dict[str, int] = {}
    started = subprocess.run(
        ["bash", str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=240
    )
    try:
        assert started.returncode == 0, started.stderr
        pids = {p.name: int(p.read_text()) for p in _pid_files(run_dir)}
        assert set(pids) == {"nginx.pid", f"streamlit-{base}.pid", f"streamlit-{base + 1}.pid"}
        url = f"http://127.0.0.1:{public}"
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
        assert any(c.startswith("gv_route=") and "HttpOnly" in c for c in cookies)
        with urllib.request.urlopen(
            urllib.request.Request(url + "/", headers={"Cookie": "gv_route=abc"}), timeout=10
        ) as response:  # a browser that has its route gets no new one
            assert not any(
                c.startswith("gv_route=") for c in response.headers.get_all("Set-Cookie") or []
            )

        async def one_session():
            async with Session(url, timeout=120) as session:
                assert (await session.run()).ok
                assert (await session.run([session.slider("Learning rate", "0.2")])).ok
                assert "lr=0.2" in session.query_string

        st_client.run(one_session())
    finally:
        stopped = subprocess.run(
            ["bash", str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=120
        )
    assert stopped.returncode == 0, stopped.stderr
    assert _pid_files(run_dir) == []
    for pid in pids.values():
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )
