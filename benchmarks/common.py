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
