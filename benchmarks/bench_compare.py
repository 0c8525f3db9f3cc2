"""Compare pages' speed against the bars of issue 4, with baselines measured in the same process.

    python benchmarks/bench_compare.py

Bars (medians of server CPU per rerun that misses the cache, i.e. everything a changed setting
costs on the server before Streamlit sends the figure: engine call, labels, regions, figure
dict and its JSON):
- the U-curve, 6 optimizers x 200 rates x 500 steps: <= 100 ms;
- many walkers, 400 starts x 500 steps: <= 100 ms.
Baselines: the same work as a Python loop of `core.simulate`, one run at a time.
CPU time is process time (all threads), so JAX's worker threads count too.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.common import fmt, report  # noqa: E402
from core import get_surface  # noqa: E402
from core.schema.experiment import OPTIMIZER_NAMES, Experiment  # noqa: E402
from core.valley.compare import outcome_regions  # noqa: E402
from core.valley.simulation import simulate  # noqa: E402
from core.valley.sweeps import grid_starts, log_rates, sweep, walkers  # noqa: E402
from figures.compare.basins import basins_figure  # noqa: E402
from figures.compare.race import racer_color  # noqa: E402
from figures.compare.ucurve import curve_traces, ucurve_figure  # noqa: E402

STEPS = 500
BAR = 0.100


def median_cpu(fn, repeat: int = 20, warmup: int = 2) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of fn() after warm-up calls (compilation excluded)."""
    for _ in range(warmup):
        fn()
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def ucurve_rerun(exp: Experiment, lrs: np.ndarray, surface) -> str:
    """What the sweep page's server does for a new setting: sweep, regions, figure, JSON."""
    result = sweep(exp, OPTIMIZER_NAMES, lrs)
    floor = min(m.value for m in surface.minima)
    curves = []
    for name in OPTIMIZER_NAMES:
        r = result.results[name]
        curves += curve_traces(
            lrs, r, name=name, optimizer=name, color=racer_color(name), floor=floor, best=True
        )
    regions = outcome_regions(lrs, result.results[exp.optimizer]["status"])
    figure = ucurve_figure(lrs, curves, regions=regions, current_lr=exp.lr, floor=floor)
    return json.dumps(figure)


def ucurve_baseline(exp: Experiment, lrs: np.ndarray) -> list:
    return [
        simulate(exp.replace(optimizer=name, lr=float(lr))).loss[-1]
        for name in OPTIMIZER_NAMES
        for lr in lrs
    ]


def walkers_rerun(exp: Experiment, starts: np.ndarray, surface) -> str:
    result = walkers(exp, starts)
    figure = basins_figure(surface.domain, starts, result.basin, surface.minima, per_side=20)
    return json.dumps(figure)


def walkers_baseline(exp: Experiment, starts: np.ndarray) -> list:
    return [simulate(exp.replace(start=(float(x), float(y)))).outcome.status for x, y in starts]


def main() -> None:
    exp = Experiment(surface="himmelblau", optimizer="sgd", lr=0.01, steps=STEPS)
    surface = get_surface("himmelblau")
    lrs = log_rates(1e-5, 10.0, 200)

    ucurve_rerun(exp, lrs, surface)  # compile every optimizer's kernel
    cpu, wall = median_cpu(lambda: ucurve_rerun(exp, lrs, surface), repeat=20)
    base_cpu, base_wall = median_cpu(lambda: ucurve_baseline(exp, lrs), repeat=3, warmup=1)
    report(
        "U-curve: 6 optimizers x 200 rates x 500 steps (Himmelblau), per rerun",
        [
            ("loop of core.simulate, one run at a time (baseline), CPU", base_cpu, ""),
            ("sweep + labels + regions + figure + JSON, CPU", cpu, _verdict(cpu, base_cpu)),
            ("  the same, wall clock", wall, f"(baseline wall {fmt(base_wall).strip()})"),
        ],
    )

    starts = grid_starts(surface.domain, 20)
    walkers_rerun(exp, starts, surface)  # compile
    cpu, wall = median_cpu(lambda: walkers_rerun(exp, starts, surface), repeat=20)
    base_cpu, base_wall = median_cpu(lambda: walkers_baseline(exp, starts), repeat=3, warmup=1)
    report(
        "Many walkers: 400 starts x 500 steps (Himmelblau), per rerun",
        [
            ("loop of core.simulate, one start at a time (baseline), CPU", base_cpu, ""),
            ("walkers + basins + figure + JSON, CPU", cpu, _verdict(cpu, base_cpu)),
            ("  the same, wall clock", wall, f"(baseline wall {fmt(base_wall).strip()})"),
        ],
    )


def _verdict(cpu: float, baseline: float) -> str:
    met = "met" if cpu <= BAR else "NOT met"
    return f"bar <= 100 ms: {met}; {baseline / cpu:.0f}x less than the baseline"


if __name__ == "__main__":
    main()
