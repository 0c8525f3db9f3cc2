"""core.valley.compare and the compare figures, against hand-worked quadratics, single runs
and sweeps."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.schema.experiment import OPTIMIZER_NAMES, Experiment, ExperimentError
from core.valley.compare import (
    basin_counts,
    outcome_regions,
    race,
    random_rates,
    search_duel,
)
from core.valley.sweeps import grid_starts, log_rates, sweep, walkers
from core.valley.theory import analyze, nearest_analysis
from figures.compare.basins import basins_figure
from figures.compare.race import Racer, race_scene
from figures.compare.ucurve import curve_traces, ucurve_figure

# The round bowl is x^2 + y^2 (both curvatures 2): SGD at rate 1/2 lands on the minimum in one
# step, a tiny rate crawls, and any rate above 2/L = 1 diverges.
BOWL = Experiment(surface="bowl", steps=100)


def test_bowl_is_the_quadratic_the_hand_worked_race_assumes():
    (a,) = analyze(core.get_surface("bowl"))
    np.testing.assert_allclose(a.eigenvalues, [2.0, 2.0], rtol=1e-5)


def test_race_ranks_a_one_step_arrival_before_a_crawl_before_a_divergence():
    board = race(BOWL, {"nesterov": 5.0, "momentum": 1e-4, "sgd": 0.5})
    assert [e.optimizer for e in board] == ["sgd", "momentum", "nesterov"]
    sgd, momentum, nesterov = board
    assert sgd.status == "converged" and sgd.arrival == 1 and sgd.group == 0
    assert sgd.final_loss == pytest.approx(0.0, abs=1e-10)
    assert momentum.status == "too_slow" and momentum.arrival is None and momentum.group == 2
    assert nesterov.status == "diverged" and nesterov.group == 3


@pytest.mark.parametrize("surface", ["himmelblau", "rosenbrock"])
def test_leaderboard_is_sorted_and_matches_single_runs(surface):
    exp = Experiment(surface=surface, steps=200)
    rates = dict(zip(OPTIMIZER_NAMES, (0.001, 0.001, 0.001, 0.5, 0.01, 0.05, 0.05), strict=True))
    board = race(exp, rates)
    assert sorted(e.optimizer for e in board) == sorted(OPTIMIZER_NAMES)
    keys = [e.sort_key for e in board]
    assert keys == sorted(keys)
    for e in board:
        single = core.simulate(exp.replace(optimizer=e.optimizer, lr=rates[e.optimizer]))
        np.testing.assert_array_equal(e.run.path, single.path)
        assert e.status == single.outcome.status
        assert e.final_loss == pytest.approx(single.loss[-1])
        if e.status == "converged":
            assert e.arrival == single.outcome.step  # the engine's own arrival step
            m = single.outcome.minimum
            tol = core.valley.outcomes.settle_tolerance(single.surface.domain)
            after = np.linalg.norm(single.path[e.arrival :] - [m.x, m.y], axis=1)
            assert after.max() < tol and (
                e.arrival == 0 or np.linalg.norm(single.path[e.arrival - 1] - [m.x, m.y]) >= tol
            )


def test_race_needs_an_optimizer():
    with pytest.raises(ExperimentError):
        race(BOWL, {})


def test_outcome_regions_by_hand():
    lrs = [0.001, 0.01, 0.1, 1.0, 10.0]
    status = ["too_slow", "converged", "converged", "oscillating", "diverged"]
    regions = outcome_regions(lrs, status)
    assert [(r.status, r.count) for r in regions] == [
        ("too_slow", 1),
        ("converged", 2),
        ("oscillating", 1),
        ("diverged", 1),
    ]
    assert regions[0].lo == 0.001 and regions[-1].hi == 10.0
    assert regions[1].lo == pytest.approx(np.sqrt(0.001 * 0.01))  # halfway on a log scale
    for left, right in zip(regions, regions[1:], strict=False):
        assert left.hi == right.lo


def test_bowl_sweep_regions_match_the_theory_of_quadratics():
    result = sweep(BOWL, ["sgd"], log_rates(1e-3, 10, 241)).results["sgd"]
    regions = outcome_regions(log_rates(1e-3, 10, 241), result["status"])
    diverged = [r for r in regions if r.status == "diverged"]
    assert len(diverged) == 1
    # The band edge lies between two sweep rates; 2/L = 1 must be within one rate step of it.
    step = 10 ** (4 / 240)
    assert 1.0 / step <= diverged[0].lo <= 1.0 * step


def test_random_rates_are_log_uniform_and_reproducible():
    a = random_rates(1e-5, 10, 4000, seed=3)
    np.testing.assert_array_equal(a, random_rates(1e-5, 10, 4000, seed=3))
    assert not np.array_equal(a, random_rates(1e-5, 10, 4000, seed=4))
    assert a.min() >= 1e-5 and a.max() <= 10
    counts, _ = np.histogram(np.log10(a), bins=6, range=(-5, 1))  # one bin per decade
    assert counts.min() > 0.8 * 4000 / 6


def test_search_duel_picks_agree_with_a_plain_sweep():
    exp = Experiment(surface="himmelblau", optimizer="sgd", steps=150, seed=7)
    grid, rand, dense = search_duel(exp, 1e-5, 10, 8)
    np.testing.assert_allclose(grid.rates, log_rates(1e-5, 10, 8))
    np.testing.assert_array_equal(rand.rates, random_rates(1e-5, 10, 8, 7))
    again = search_duel(exp, 1e-5, 10, 8)[1]
    np.testing.assert_array_equal(again.rates, rand.rates)
    assert not np.array_equal(search_duel(exp.replace(seed=8), 1e-5, 10, 8)[1].rates, rand.rates)
    for s in (grid, rand):
        plain = sweep(exp, ["sgd"], s.rates).results["sgd"]
        final = np.where(plain["status"] == "diverged", np.inf, plain["final_loss"])
        assert s.pick == int(np.argmin(final))
        assert s.pick_score == pytest.approx(final[s.pick], rel=1e-6)
        assert s.gap >= 0 and s.rate_factor >= 1
    dense_final = dense.results["sgd"]["final_loss"]
    alive = dense.results["sgd"]["status"] != "diverged"
    assert grid.best_score <= dense_final[alive].min() + 1e-12
    assert grid.best_score == rand.best_score


def test_search_budget_is_checked():
    with pytest.raises(ExperimentError):
        search_duel(BOWL, 1e-5, 10, 1)


def test_basin_counts_cover_every_walker():
    exp = Experiment(surface="himmelblau", lr=0.01, steps=200)
    starts = grid_starts(core.get_surface("himmelblau").domain, 20)
    w = walkers(exp, starts)
    counts = basin_counts(w.basin, 4)
    assert sum(counts.values()) == 400
    # Small steps follow the slope: each quadrant's central start ends in its own valley.
    assert min(counts[k] for k in range(4)) > 50


def test_ucurve_figure_draws_the_theory_line_where_analyze_puts_it():
    exp = Experiment(surface="himmelblau", optimizer="momentum", lr=0.003)
    lrs = log_rates(1e-5, 10, 241)
    result = sweep(exp, ["momentum"], lrs).results["momentum"]
    expected = nearest_analysis(exp).critical_lr["momentum"]
    fig = ucurve_figure(
        lrs,
        curve_traces(lrs, result, name="Momentum", optimizer="momentum", color="#000", floor=0.0),
        regions=outcome_regions(lrs, result["status"]),
        critical={"momentum": core.critical_lr(exp)},
        current_lr=exp.lr,
        floor=0.0,
    )
    (line,) = [s for s in fig["layout"]["shapes"] if s.get("name") == "critical-momentum"]
    assert line["x0"] == line["x1"] == pytest.approx(expected)
    (current,) = [s for s in fig["layout"]["shapes"] if s.get("name") == "current"]
    assert current["x0"] == 0.003
    assert fig["layout"]["xaxis"]["type"] == "log"
    (final,) = [t for t in fig["data"] if t["meta"]["role"] == "final"]
    assert len(final["x"]) == 241
    dead = result["status"] == "diverged"
    assert all(y is None for y, d in zip(final["y"], dead, strict=True) if d)


def test_basins_figure_colours_each_start_by_its_basin():
    surface = core.get_surface("six_hump_camel")
    starts = grid_starts(surface.domain, 20)
    w = walkers(Experiment(surface="six_hump_camel", lr=0.02, steps=300), starts)
    fig = basins_figure(surface.domain, starts, w.basin, surface.minima, per_side=20)
    heat = fig["data"][0]
    codes = heat["meta"]["codes"]
    z = np.array(heat["z"])
    decoded = np.array(codes)[z.ravel()]
    np.testing.assert_array_equal(decoded, w.basin)
    np.testing.assert_allclose(heat["x"], starts[:20, 0])
    np.testing.assert_allclose(heat["y"], starts[::20, 1])
    legend = {t["meta"]["basin"] for t in fig["data"][1:] if "basin" in t.get("meta", {})}
    assert legend == set(np.unique(w.basin).tolist()) | {"minima"}


def test_race_scene_holds_one_trail_per_racer():
    board = race(BOWL, {"sgd": 0.5, "adam": 0.3, "momentum": 0.05})
    scene = race_scene(
        core.get_surface("bowl").domain,
        [Racer(e.optimizer, e.optimizer, e.run.path) for e in board],
    )
    assert len(scene["paths"]) == 3
    colors = set()
    for p in scene["paths"]:
        trail = scene["map"]["data"][p["trail"]]
        assert trail["meta"] == {"role": "race-path", "optimizer": p["name"]}
        colors.add(trail["line"]["color"])
    assert len(colors) == 3
    assert scene["steps"] == max(len(e.run.path) - 1 for e in board)
