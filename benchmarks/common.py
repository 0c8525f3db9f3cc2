"""Timing helpers: medians of repeated calls, printed as a table with ratios to a baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeat: int = 30, warmup: int = 3) -> float:
    """Median wall time of fn() in seconds, after warm-up calls (compilation excluded)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def fmt(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.3f} s "


def report(title: str, rows: list[tuple[str, float, str]]) -> None:
    """rows: (label, seconds, verdict text)."""
    print(f"\n== {title}")
    for label, seconds, verdict in rows:
        print(f"  {label:<58} {fmt(seconds)}  {verdict}")


def interleaved_times(
    fns: dict[str, Callable[[], object]], rounds: int = 15, repeat: int = 100, warmup: int = 10
) -> dict[str, list[float]]:
    """Per-round median wall times of each fn, measured in turn round after round.

    These machines drift between fast and slow spells lasting seconds; measuring the
    candidates alternately puts each round's figures in the same spell, so the ratio of two
    of them in one round is far steadier than either figure alone.
    """
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            samples = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - t0)
            times[name].append(statistics.median(samples))
    return times


def median_ratio(times: dict[str, list[float]], top: str, bottom: str) -> float:
    """The median over rounds of times[top] / times[bottom] (see interleaved_times)."""
    return statistics.median(a / b for a, b in zip(times[top], times[bottom], strict=True))
