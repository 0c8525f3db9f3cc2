"""Vectorised sweeps and walkers agree with single runs."""

import numpy as np
import pytest

from core.experiment import Experiment, ExperimentError
from core.simulation import simulate
from core.sweeps import good_rate, grid_starts, log_rates, sweep, walkers

WELL = Experiment(surface="custom", formula="(x^2 - 1)^2 + y^2", lr=0.02, steps=500)


def test_sweep_matches_single_runs():
    lrs = np.array([0.001, 0.02, 0.2, 2.0])
    result = sweep(WELL.replace(start=(0.5, 1.0)), ["sgd", "adam"], lrs)
    for name in ("sgd", "adam"):
        for i, a in enumerate(lrs):
            run = simulate(WELL.replace(start=(0.5, 1.0), optimizer=name, lr=float(a)))
            assert result.results[name]["status"][i] == run.outcome.status
            assert result.results[name]["final_loss"][i] == pytest.approx(
                run.loss[-1], rel=1e-4, abs=1e-7
            )


def test_walkers_find_both_basins_of_a_double_well():
    starts = grid_starts(((-2.0, 2.0), (-2.0, 2.0)), 20)
    result = walkers(WELL, starts)
    minima = simulate(WELL).surface.minima
    xs = np.array([minima[b].x if b >= 0 else np.nan for b in result.basin])
    left, right = starts[:, 0] < -0.2, starts[:, 0] > 0.2
    assert np.all(xs[left] < 0) and np.all(xs[right] > 0)
    assert len(result.basin) == 400


def test_good_rate_converges():
    lr = good_rate(WELL.replace(start=(0.5, 1.0)), "sgd")
    assert simulate(WELL.replace(start=(0.5, 1.0), lr=lr)).outcome.status == "converged"


def test_bad_sweep_requests_are_refused():
    with pytest.raises(ExperimentError):
        log_rates(1.0, 0.1, 10)
    with pytest.raises(ExperimentError):
        log_rates(1e-3, 1.0, 1)
    with pytest.raises(ExperimentError):
        sweep(WELL, ["sgd"] * 1 + ["adam"], np.geomspace(1e-3, 1, 15000))
    with pytest.raises(ExperimentError):
        walkers(WELL, [[np.nan, 0.0]])
