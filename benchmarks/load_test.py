"""A full classroom at once: many sessions drag the learning-rate slider on a real server.

    python benchmarks/load_test.py                       # starts its own server, 30 x 20
    python benchmarks/load_test.py --url http://127.0.0.1:8500 --pid-files 'deploy/run/*.pid'
    python benchmarks/load_test.py --sessions 3 --changes 3 --think 0   # a quick smoke run

No browsers: each session speaks Streamlit's websocket protocol (`benchmarks/st_client.py`).
A session opens the playground, then changes the learning rate ``--changes`` times the way a
student drags a slider: one arrow-key step at a time up or down the slider's grid from a
random rate, pausing ``--think`` seconds on average between changes (uniform in 0.5x-1.5x, so
sessions drift out of step as they would in a lecture hall). The latency of a change is the
time from sending the new value to the end of the rerun it causes (``script_finished``),
everything the page sends included.

Reported: p50/p95/max of change latency, of first page load, errors (a run that did not
finish successfully, a traceback element, a closed connection or a timeout), and for the
server processes (the one it starts, or ``--pid``/``--pid-files``) CPU time from
``/proc/<pid>/stat`` during the measured phase and resident memory (VmRSS) before, at peak and
after. Only loopback servers are accepted; every wait is bounded, and the run stops by itself.

The bar (issue 7): 30 sessions, 0 errors, p95 <= 1 s on a 2-core machine. Exit status 0 when
met, 1 when not, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import st_client  # noqa: E402
from benchmarks.load_report import print_summary, summarize  # noqa: E402
from benchmarks.server_proc import (  # noqa: E402
    Usage,
    cpu_seconds,
    free_port,
    rss_bytes,
    start_server,
    stop_server,
    wait_healthy,
)
from benchmarks.st_client import ProtocolError, Session, check_loopback  # noqa: E402
from ui.controls.lr_control import LR_GRID, format_lr  # noqa: E402

LR_LABEL = "Learning rate"
__all__ = ["cpu_seconds", "free_port", "main", "rss_bytes", "stop_server", "wait_healthy"]


# -- the sessions -----------------------------------------------------------------------------


@dataclass
class SessionLog:
    load: float | None = None
    changes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    received: int = 0


def lr_walk(rng: random.Random, changes: int) -> list[float]:
    """Rates a student reaches by arrow-key steps: a random start, a random direction that
    reverses at the ends of the slider or now and then."""
    i = rng.randrange(20, len(LR_GRID) - 20)
    direction = rng.choice((-1, 1))
    out = []
    for _ in range(changes):
        if rng.random() < 0.15 or not 0 <= i + direction < len(LR_GRID):
            direction = -direction
        i += direction
        out.append(LR_GRID[i])
    return out


async def one_session(
    url: str, index: int, args, started: asyncio.Event, log: SessionLog
) -> SessionLog:
    rng = random.Random(args.seed * 1000 + index)
    await asyncio.sleep(rng.uniform(0, args.ramp))  # students do not all click at once
    try:
        async with Session(url, timeout=args.timeout) as session:
            first = await session.run()
            log.received += first.received_bytes
            if not first.ok:
                log.errors.append(f"first load: status {first.status} {first.exceptions}")
                return log
            log.load = first.seconds
            await started.wait()
            for lr in lr_walk(rng, args.changes):
                await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
                result = await session.run([session.slider(LR_LABEL, format_lr(lr))])
                log.received += result.received_bytes
                if result.ok:
                    log.changes.append(result.seconds)
                else:
                    log.errors.append(f"lr={lr:g}: status {result.status} {result.exceptions}")
    except (ProtocolError, OSError, TimeoutError) as error:
        log.errors.append(f"{type(error).__name__}: {error}")
    return log


async def drive(url: str, args, usage: Usage | None) -> list[SessionLog]:
    started = asyncio.Event()
    logs = [SessionLog() for _ in range(args.sessions)]
    tasks = [
        asyncio.create_task(one_session(url, i, args, started, logs[i]))
        for i in range(args.sessions)
    ]

    async def opened() -> None:  # measure changes once every session has its page (or failed)
        deadline = time.monotonic() + args.timeout + args.ramp
        while time.monotonic() < deadline:
            if all(log.load is not None or log.errors for log in logs):
                break
            await asyncio.sleep(0.05)
        if usage:
            usage.start()
        started.set()

    async def sampler() -> None:
        while not started.is_set():
            await asyncio.sleep(0.1)
        while usage and not all(t.done() for t in tasks):
            usage.sample()
            await asyncio.sleep(0.5)

    budget = args.ramp + args.timeout * (args.changes + 2) + args.think * 1.5 * args.changes
    helpers = [asyncio.create_task(opened()), asyncio.create_task(sampler())]
    done, pending = await asyncio.wait(tasks, timeout=budget)
    for task in pending:  # a bounded run: whatever is still going is an error
        task.cancel()
    for task, log in zip(tasks, logs, strict=True):
        if task in pending:
            log.errors.append(f"still running after the {budget:.0f} s budget")
    await asyncio.gather(*pending, *helpers, return_exceptions=True)
    if usage:
        usage.stop()
    return logs


def warm_up(url: str, timeout: float, sessions: int) -> None:
    """A few sessions first, so compilation and first-use caches are not counted as load
    (behind a proxy, several: each process must be warmed)."""

    async def one():
        async with Session(url, timeout=timeout) as session:
            result = await session.run()
            if not result.ok:
                raise RuntimeError(f"warm-up run failed: {result.status} {result.exceptions}")
            for lr in (LR_GRID[40], LR_GRID[80]):
                await session.run([session.slider(LR_LABEL, format_lr(lr))])

    async def go():
        for _ in range(sessions):
            await one()

    st_client.run(go())


def server_pids(args, own: subprocess.Popen | None) -> list[int]:
    pids = list(args.pid or [])
    for pattern in args.pid_files or []:
        for path in sorted(glob.glob(pattern)):
            pids.append(int(Path(path).read_text().strip()))
    if own is not None:
        pids.append(own.pid)
    return [p for p in pids if Path(f"/proc/{p}").exists()]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running server (loopback only); default: start one")
    p.add_argument("--sessions", type=int, default=30)
    p.add_argument("--changes", type=int, default=20)
    p.add_argument("--think", type=float, default=1.0, help="mean pause between changes (s)")
    p.add_argument("--ramp", type=float, default=3.0, help="sessions open over this many s")
    p.add_argument("--timeout", type=float, default=60.0, help="per run (s)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--pid", type=int, action="append", help="a server process to measure")
    p.add_argument("--pid-files", action="append", help="glob of pid files to measure")
    p.add_argument("--no-warm-up", action="store_true")
    p.add_argument("--json", help="also write the summary to this file")
    args = p.parse_args(argv)
    limits = {"sessions": (1, 200), "changes": (1, 500)}
    for name, (lo, hi) in limits.items():
        if not lo <= getattr(args, name) <= hi:
            p.error(f"--{name} must be between {lo} and {hi}")
    if not (0 <= args.think <= 60 and 0 <= args.ramp <= 120 and 1 <= args.timeout <= 600):
        p.error("--think in [0, 60], --ramp in [0, 120], --timeout in [1, 600] seconds")
    if args.url:
        try:
            check_loopback(args.url)
        except ValueError as error:
            p.error(str(error))
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    own = None
    url = args.url
    if url is None:
        port = free_port()
        own = start_server(port)
        url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process=own)
        pids = server_pids(args, own)
        if not args.no_warm_up:
            warm_up(url, args.timeout, 4 * max(1, len(pids)))
        usage = Usage(pids) if pids else None
        logs = st_client.run(drive(url, args, usage))
    except (RuntimeError, ProtocolError, OSError) as error:
        print(f"load_test: {error}", file=sys.stderr)
        return 1
    finally:
        if own is not None:
            stop_server(own)
    summary = summarize(logs, usage, args)
    print_summary(summary)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if summary["meets_bar"] else 1


if __name__ == "__main__":
    sys.exit(main())
