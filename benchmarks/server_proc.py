"""Server processes for the benchmarks and the tests: start one, wait for it, stop it; read its
CPU time and resident memory from /proc (psutil is not needed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- the server's processes, read from /proc --------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()  # the command name may contain spaces
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_bytes(pid: int) -> int:
    """Resident memory of a process now (the second field of /proc/<pid>/statm)."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


@dataclass
class Usage:
    """CPU and memory of the server processes over the measured phase."""

    pids: list[int]
    cpu_start: float = 0.0
    cpu_end: float = 0.0
    wall: float = 0.0
    rss_start: int = 0
    rss_peak: int = 0
    rss_end: int = 0
    _t0: float = 0.0

    def total_cpu(self) -> float:
        return sum(cpu_seconds(p) for p in self.pids)

    def total_rss(self) -> int:
        return sum(rss_bytes(p) for p in self.pids)

    def start(self) -> None:
        self._t0 = time.perf_counter()
        self.cpu_start = self.total_cpu()
        self.rss_start = self.rss_peak = self.total_rss()

    def sample(self) -> None:
        self.rss_peak = max(self.rss_peak, self.total_rss())

    def stop(self) -> None:
        self.wall = time.perf_counter() - self._t0
        self.cpu_end = self.total_cpu()
        self.rss_end = self.total_rss()
        self.rss_peak = max(self.rss_peak, self.rss_end)

    def to_json(self) -> dict:
        cpu = self.cpu_end - self.cpu_start
        mib = 2**20
        return {
            "processes": len(self.pids),
            "cpu_seconds": round(cpu, 2),
            "cpu_percent_of_one_core": round(100 * cpu / self.wall, 1) if self.wall else None,
            "rss_start_mib": round(self.rss_start / mib, 1),
            "rss_peak_mib": round(self.rss_peak / mib, 1),
            "rss_end_mib": round(self.rss_end / mib, 1),
        }


# -- a server of our own ----------------------------------------------------------------------
# The one way this project starts `streamlit run`, waits for it and stops it: the benchmarks
# and the tests (tests/browser/conftest.py, tests/deploy/test_server_resources.py) all use it.

STARTUP_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    port: int,
    *extra: str,
    script: str | Path = ROOT / "app.py",
    cwd: str | Path = ROOT,
    env: dict[str, str] | None = None,
    capture_stderr: bool = False,
) -> subprocess.Popen:
    """Start `streamlit run <script>` on 127.0.0.1:<port> (``extra``: more command-line options);
    the caller stops it with `stop_server`.

    ``env`` replaces the environment (None: inherit it). With ``capture_stderr`` the server's
    error output goes to a pipe, unbuffered, so `wait_healthy` can quote why it exited during
    start-up; nothing reads the pipe afterwards, so keep it for servers that say little.
    """
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *extra,
    ]  # fmt: skip
    if capture_stderr:
        env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if capture_stderr else subprocess.DEVNULL,
    )


def wait_healthy(
    url: str, process: subprocess.Popen | None = None, timeout: float = STARTUP_TIMEOUT
) -> None:
    """Wait until ``url``/_stcore/health answers 200; RuntimeError if ``process`` (when given)
    exits first or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            said = process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else ""
            raise RuntimeError(f"streamlit exited during start-up{': ' + said if said else ''}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy within {timeout:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextmanager
def serving(
    *extra: str, port: int | None = None, **start: object
) -> Iterator[tuple[str, subprocess.Popen]]:
    """A healthy server for the block: yields (base url, process); stopped on the way out,
    also when it never became healthy. ``start``: keyword arguments of `start_server`."""
    port = free_port() if port is None else port
    process = start_server(port, *extra, **start)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, process
    finally:
        stop_server(process)
