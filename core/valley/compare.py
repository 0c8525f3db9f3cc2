"""Comparisons built on the engine: the optimizer race, the U-curve's regions, rate searches.

- `race`: several optimizers from the same start for the same number of steps, each at its own
  rate, ranked on a leaderboard (who settles in a minimum, how soon, how low).
- `outcome_regions`: a sweep's statuses along the rate axis as contiguous bands (too slow,
  converges, oscillates, diverges), for shading the U-curve.
- `search_duel`: grid search against random search with the same budget of rates (Bergstra &
  Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 2012), both judged against a
  dense sweep of the same range.

Pure NumPy on top of `core.simulate` and `core.sweep`; it never imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from core.schema.experiment import Experiment, ExperimentError
from core.valley.outcomes import arrival_step, settle_tolerance
from core.valley.simulation import Run, simulate
from core.valley.sweeps import SweepResult, log_rates, sweep

# Leaderboard groups, best first.
GROUPS = ("global minimum", "local minimum", "still on its way", "diverged")


@dataclass(frozen=True)
class RaceEntry:
    """One racer's result. `arrival` is the first step after which it stays within the
    settling tolerance of the minimum it ends in (None if it never settles)."""

    optimizer: str
    lr: float
    run: Run
    arrival: int | None
    final_loss: float
    status: str
    group: int  # index into GROUPS

    @property
    def sort_key(self) -> tuple:
        arrival = np.inf if self.arrival is None else self.arrival
        return (self.group, arrival, self.final_loss, self.optimizer)


def _entry(run: Run) -> RaceEntry:
    outcome = run.outcome
    arrival = None
    if outcome.status == "converged" and outcome.minimum is not None:
        m = outcome.minimum
        arrival = arrival_step(run.path, (m.x, m.y), settle_tolerance(run.surface.domain))
    if outcome.status == "diverged":
        group = 3
    elif arrival is not None:
        group = 0 if outcome.minimum.is_global else 1
    else:
        group = 2
    exp = run.experiment
    return RaceEntry(
        exp.optimizer, exp.lr, run, arrival, float(run.loss[-1]), outcome.status, group
    )


def race(exp: Experiment, rates: Mapping[str, float]) -> list[RaceEntry]:
    """Run every optimizer in `rates` (name -> learning rate) from `exp`'s start, surface,
    steps and schedule; return the leaderboard: settled in the global minimum first (soonest
    first), then in a local minimum, then the rest by final loss, diverged runs last."""
    if not rates:
        raise ExperimentError("Choose at least one optimizer for the race.")
    entries = []
    for name, lr in rates.items():
        params = dict(exp.params) if name == exp.optimizer else {}
        entries.append(_entry(simulate(exp.replace(optimizer=name, lr=float(lr), params=params))))
    return sorted(entries, key=lambda e: e.sort_key)


@dataclass(frozen=True)
class Region:
    status: str
    lo: float  # rate where the band starts (geometric midpoint to the previous rate)
    hi: float
    count: int  # rates of the sweep inside it


def outcome_regions(lrs: Sequence[float], status: Sequence[str]) -> list[Region]:
    """Contiguous runs of equal status along increasing rates, edges halfway on a log scale."""
    lrs = np.asarray(lrs, dtype=np.float64)
    status = np.asarray(status)
    if len(lrs) != len(status) or len(lrs) == 0:
        raise ValueError("outcome_regions needs one status per rate.")
    order = np.argsort(lrs)
    lrs, status = lrs[order], status[order]
    edges = np.concatenate([[lrs[0]], np.sqrt(lrs[1:] * lrs[:-1]), [lrs[-1]]])
    regions, start = [], 0
    for i in range(1, len(lrs) + 1):
        if i == len(lrs) or status[i] != status[start]:
            regions.append(
                Region(str(status[start]), float(edges[start]), float(edges[i]), i - start)
            )
            start = i
    return regions


def score(result: Mapping[str, np.ndarray]) -> np.ndarray:
    """The loss a search judges a rate by: the final loss; a diverged run scores +inf."""
    final = np.asarray(result["final_loss"], dtype=np.float64)
    bad = (np.asarray(result["status"]) == "diverged") | ~np.isfinite(final)
    return np.where(bad, np.inf, final)


@dataclass(frozen=True)
class Search:
    """One search's tries, its pick and how far the pick is from the dense sweep's best."""

    name: str
    rates: np.ndarray
    scores: np.ndarray
    pick: int  # index into rates
    best_lr: float  # the best rate tried by the dense sweep or either search
    best_score: float

    @property
    def pick_lr(self) -> float:
        return float(self.rates[self.pick])

    @property
    def pick_score(self) -> float:
        return float(self.scores[self.pick])

    @property
    def gap(self) -> float:
        """How much higher the pick's final loss is than the best one found (>= 0)."""
        return self.pick_score - self.best_score

    @property
    def rate_factor(self) -> float:
        """How many times off the best rate the pick is (>= 1, either direction)."""
        ratio = self.pick_lr / self.best_lr
        return float(max(ratio, 1.0 / ratio))


def random_rates(lr_min: float, lr_max: float, budget: int, seed: int) -> np.ndarray:
    """`budget` rates drawn log-uniformly from [lr_min, lr_max], reproducibly per seed."""
    rng = np.random.default_rng(seed)
    return 10.0 ** rng.uniform(np.log10(lr_min), np.log10(lr_max), budget)


def search_duel(
    exp: Experiment, lr_min: float, lr_max: float, budget: int, dense: int = 241
) -> tuple[Search, Search, SweepResult]:
    """Grid search (`budget` log-spaced rates) against random search (`budget` log-uniform
    rates, seeded by `exp.seed`) for `exp.optimizer`, both judged against the best rate found
    by a dense sweep of `dense` rates over the same range (or by either search, if one of them
    found a better one). All rates run in one vectorised call.

    Returns (grid, random, the dense sweep).
    """
    if not 2 <= budget <= 1000:
        raise ExperimentError(f"The search budget must be between 2 and 1000 rates; got {budget}.")
    grid = log_rates(lr_min, lr_max, budget)
    rand = random_rates(lr_min, lr_max, budget, exp.seed)
    rates = np.concatenate([log_rates(lr_min, lr_max, dense), grid, rand])
    result = sweep(exp, [exp.optimizer], rates).results[exp.optimizer]
    scores = score(result)
    best = int(np.argmin(scores))  # the best rate anyone tried: the dense sweep or a search
    best_lr, best_score = float(rates[best]), float(scores[best])
    searches = []
    for name, lo, rs in (("grid", dense, grid), ("random", dense + budget, rand)):
        s = scores[lo : lo + budget]
        searches.append(Search(name, rs, s, int(np.argmin(s)), best_lr, best_score))
    dense_result = SweepResult(
        rates[:dense], {exp.optimizer: {k: v[:dense] for k, v in result.items()}}
    )
    return searches[0], searches[1], dense_result


def basin_counts(basin: np.ndarray, n_minima: int) -> dict[int, int]:
    """How many walkers ended in each minimum (0..n-1), diverged (-1) or did not settle (-2)."""
    basin = np.asarray(basin)
    return {k: int(np.sum(basin == k)) for k in (*range(n_minima), -1, -2)}
