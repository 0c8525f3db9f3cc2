"""Vectorised sweeps and walkers agree with single runs."""

import numpy as np
import pytest

from core.schema.experiment import Experiment, ExperimentError
from core.valley.simulation import simulate
from core.valley.sweeps import good_rate, grid_starts, log_rates, sweep, walkers

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


def test_the_vectorised_tally_and_the_recorded_judgement_agree():
    # Sweeps tally each run in the loop's carry; single runs judge their recorded rows. Both
    # must give the same summary, on every surface, optimizer and a spread of rates.
    from core.catalog.optimizers import NAMES
    from core.valley import kernel
    from core.valley.judge import judge_codes
    from core.valley.resolver import resolve
    from core.valley.simulation import theta_of

    rng = np.random.default_rng(0)
    # Surfaces where a walk is not chaotic: on himmelblau or rastrigin an adaptive optimizer
    # bouncing at round-off-sized steps turns 1e-7 differences into different counts.
    surfaces = ("valley", "ravine", "rosenbrock", "booth", "saddle", "cliff")
    # Every optimizer of the catalog on two surfaces half the list apart, so every surface
    # meets at least two optimizers (14 pairs: each pair compiles three loops, and the full
    # 6 x 7 grid cost CI two and a half minutes for the same coverage of code paths).
    pairs = [(surfaces[(i + k) % 6], name) for i, name in enumerate(NAMES) for k in (0, 3)]
    assert {s for s, _ in pairs} == set(surfaces)
    for surface, optimizer in pairs:
        exp = Experiment(surface=surface, optimizer=optimizer, steps=int(rng.integers(5, 300)))
        res = resolve(exp)
        n = kernel.bucket(exp.steps)
        keys = tuple(sorted(res.schedule_args))
        thetas = np.stack([theta_of(res, lr=a) for a in np.geomspace(1e-4, 30, 12)])
        tallied = np.asarray(
            kernel.summary_kernel(res.surface.fn, optimizer, "constant", n, keys)(thetas)
        )
        record = kernel.trajectory_kernel(res.surface.fn, optimizer, "constant", n, keys)
        flagged = kernel.judged_kernel(res.surface.fn, optimizer, "constant", n, keys)
        # The two compiled loops round differently in float32, so the walks agree to
        # ~1e-6, not bitwise: counts and steps must match exactly, values closely.
        exact = [
            kernel.S[k]
            for k in (
                "diverged_at",
                "steps_taken",
                "overshoots",
                "late_overshoots",
                "late_steps",
                "first_overshoot",
            )
        ]
        for theta, summary in zip(thetas, tallied, strict=True):
            judged = kernel.judge(np, theta, np.asarray(record(theta)), n)
            where = f"{surface} {optimizer} lr={theta[2]:g}"
            np.testing.assert_array_equal(summary[exact], judged[exact], err_msg=where)
            np.testing.assert_allclose(summary, judged, rtol=1e-2, atol=1e-4, err_msg=where)
            # The public call reads the step flags the kernel computed (XLA may fuse their
            # arithmetic differently): on the same rows they must be NumPy's, exactly.
            rows, codes = (np.asarray(a) for a in flagged(theta))
            mine = judge_codes(theta, rows, codes, n).stack(np)
            np.testing.assert_array_equal(mine, kernel.judge(np, theta, rows, n), where)
