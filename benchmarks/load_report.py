"""The load test's report: percentiles of the sessions' change and load times, errors, the
server's CPU and memory, and whether the bar is met (`benchmarks/load_test.py` runs it)."""

from __future__ import annotations

import os
import resource
import statistics

from benchmarks.server_proc import Usage

BAR_P95 = 1.0  # seconds: 30 sessions, 0 errors, p95 <= 1 s on a 2-core machine


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarize(logs: list, usage: Usage | None, args) -> dict:
    changes = [s for log in logs for s in log.changes]
    loads = [log.load for log in logs if log.load is not None]
    errors = [e for log in logs for e in log.errors]
    expected = args.sessions * args.changes

    def ms(v):
        return None if v is None else round(1000 * v, 1)

    summary = {
        "sessions": args.sessions,
        "changes_per_session": args.changes,
        "think_seconds": args.think,
        "changes_measured": len(changes),
        "changes_expected": expected,
        "change_ms": {
            "p50": ms(percentile(changes, 50)),
            "p95": ms(percentile(changes, 95)),
            "max": ms(max(changes, default=None)),
        },
        "first_load_ms": {
            "p50": ms(percentile(loads, 50)),
            "p95": ms(percentile(loads, 95)),
            "max": ms(max(loads, default=None)),
        },
        "errors": len(errors),
        "error_examples": errors[:5],
        "received_mib": round(sum(log.received for log in logs) / 2**20, 1),
        "server": usage.to_json() if usage else None,
        # Context for the figures: this client's own CPU, and how busy the machine was.
        "client_cpu_seconds": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    p95 = percentile(changes, 95)
    summary["meets_bar"] = bool(
        not errors and len(changes) == expected and p95 is not None and p95 <= BAR_P95
    )
    return summary


def print_summary(s: dict) -> None:
    c, f = s["change_ms"], s["first_load_ms"]
    print(
        f"{s['sessions']} sessions x {s['changes_per_session']} changes "
        f"(think {s['think_seconds']} s): {s['changes_measured']}/{s['changes_expected']} measured"
    )
    print(f"  learning-rate change: p50 {c['p50']} ms, p95 {c['p95']} ms, max {c['max']} ms")
    print(f"  first page load:      p50 {f['p50']} ms, p95 {f['p95']} ms, max {f['max']} ms")
    print(f"  errors: {s['errors']}  {'; '.join(s['error_examples'])}")
    print(f"  received: {s['received_mib']} MiB")
    if s["server"]:
        v = s["server"]
        print(
            f"  server ({v['processes']} process(es)): CPU {v['cpu_seconds']} s "
            f"= {v['cpu_percent_of_one_core']}% of one core; RSS {v['rss_start_mib']} -> "
            f"peak {v['rss_peak_mib']} -> {v['rss_end_mib']} MiB"
        )
    print(
        f"  load test client CPU {s['client_cpu_seconds']} s; machine load average "
        f"{s['load_average_1min']} on {s['cpus']} CPUs"
    )
    verdict = "meets" if s["meets_bar"] else "MISSES"
    print(f"  {verdict} the bar (0 errors, p95 <= {BAR_P95 * 1000:.0f} ms)")
