"""The fan (core/valley/fan.py): every slider rate's path and verdict in one call, each equal to
the single run `simulate` gives at that rate (the reference: the public one-run path)."""

from __future__ import annotations

import numpy as np
import pytest

from core.schema.experiment import Experiment
from core.schema.rate_grid import LR_GRID
from core.valley import fan as fan_module
from core.valley import kernel
from core.valley.fan import MAX_DRAWN, drawn_steps, fan, walk_rows
from core.valley.fan_judge import judge_batch
from core.valley.resolver import resolve
from core.valley.simulation import simulate

# Several surfaces, optimizers, a schedule whose arguments follow the rate, a custom formula.
CASES = [
    Experiment(),  # the playground's default
    Experiment(surface="rosenbrock", optimizer="adam", steps=300),
    Experiment(surface="custom", formula="(x^2 - 1)^2 + 0.5*y^2", optimizer="momentum", steps=120),
    Experiment(surface="rastrigin", optimizer="rmsprop", schedule="onecycle", steps=200),
    Experiment(surface="rosenbrock", optimizer="nesterov", schedule="cosine", steps=80),
]
# Every fourth rate of the slider, both ends included: slow creep to blow-up at step 1.
RATES = np.asarray(LR_GRID)[::4].tolist() + [LR_GRID[-1]]


@pytest.mark.parametrize("exp", CASES, ids=lambda e: f"{e.surface}-{e.optimizer}-{e.schedule}")
def test_each_path_and_verdict_is_the_single_run_at_that_rate(exp):
    res, thetas, rows, n = walk_rows(exp, RATES)
    f = fan(exp, RATES, max_drawn=10_000)  # nothing decimated: every point compared
    statuses = set()
    for k, lr in enumerate(RATES):
        run = simulate(exp.replace(lr=lr))
        taken = run.steps_taken
        assert f.taken[k] == taken, lr
        # Same points, before decimation, to float32 rounding: vmapped, XLA may round a step
        # an ulp differently, and a chaotic walk grows that a little (many paths are bitwise
        # equal). The loss is read at those points: steep walls magnify it, so it is checked
        # against the surface at the fan's own points, and loosely against the single run's.
        points = rows[k, : taken + 1]
        np.testing.assert_allclose(points[:, 0:2], run.path, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(f.drawn[k][:, 0:2], run.path, rtol=1e-5, atol=1e-6)
        at_points = np.asarray(res.surface.fn(points[:, 0], points[:, 1]), np.float64)
        np.testing.assert_allclose(points[:, 2], at_points, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(points[:, 2], run.loss, rtol=1e-3, atol=1e-6)
        out = f.outcomes[k]
        assert (out.status, out.step, out.flags) == (
            run.outcome.status,
            run.outcome.step,
            run.outcome.flags,
        ), lr
        assert out.minimum == run.outcome.minimum
        assert f.final_loss[k] == pytest.approx(run.loss[-1], rel=1e-3, abs=1e-6)
        if run.escape is None:
            assert np.isnan(f.escape[k]).all()
        else:
            np.testing.assert_allclose(f.escape[k], run.escape, rtol=1e-5)
        statuses.add(out.status)
    assert len(statuses) >= 2  # the rates span more than one story (else the test says little)


def test_statuses_span_the_story_on_the_default_valley():
    f = fan(Experiment())
    statuses = {o.status for o in f.outcomes}
    assert {"converged", "diverged"} <= statuses
    assert len(f.lr) == len(LR_GRID)
    # Past the critical rate every run diverges, and the paths end at their blow-up.
    first = next(k for k, o in enumerate(f.outcomes) if o.status == "diverged")
    assert all(o.status == "diverged" for o in f.outcomes[first:])
    assert all(f.drawn[k].shape[0] == f.taken[k] + 1 for k in range(len(f.lr)))
    assert np.isfinite(np.concatenate(f.drawn)).all()  # cut cleanly: no NaN, no inf


@pytest.mark.parametrize("exp", CASES[:3], ids=lambda e: e.surface)
def test_the_batch_judge_is_judge_run_by_run(exp):
    _, thetas, rows, n = walk_rows(exp, LR_GRID)
    batch = judge_batch(thetas, rows, n)
    for k in range(len(LR_GRID)):
        np.testing.assert_array_equal(batch[k], kernel.judge(np, thetas[k], rows[k], n))


def test_decimation_caps_the_points_and_keeps_both_ends():
    assert drawn_steps(10, MAX_DRAWN).tolist() == list(range(10))
    steps = drawn_steps(10_001, 512)
    assert len(steps) == 512 and steps[0] == 0 and steps[-1] == 10_000
    assert np.all(np.diff(steps) > 0)
    f = fan(Experiment(steps=2_000), max_drawn=100)
    for k in range(len(f.lr)):
        assert len(f.drawn[k]) == min(100, f.taken[k] + 1)


def test_a_new_rate_never_recompiles():
    exp = Experiment(surface="rosenbrock", optimizer="adam", steps=90)
    fan(exp, LR_GRID)
    run = fan_module.fan_kernel(
        resolve(exp).surface.fn,
        "adam",
        "constant",
        kernel.bucket(90),
        (),
    )
    size = run._cache_size()
    fan(exp.replace(lr=0.3), LR_GRID)
    fan(exp, np.asarray(LR_GRID) * 0.7)
    assert run._cache_size() == size == 1
