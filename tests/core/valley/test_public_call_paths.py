"""The public call's one-run fast paths give what the general (batch) paths give."""

import numpy as np

from core.schema.experiment import FIELD, Experiment
from core.valley import kernel
from core.valley.layout import Summary
from core.valley.outcomes import _classify_one, classify
from core.valley.resolver import resolve
from core.valley.simulation import simulate, theta_fields


def test_the_longest_scan_is_the_schemas_step_limit():
    assert kernel.BUCKETS[-1] == FIELD["steps"].hi
    assert list(kernel.BUCKETS) == sorted(set(kernel.BUCKETS))
    assert kernel.bucket(int(FIELD["steps"].hi)) == FIELD["steps"].hi


def test_one_run_packing_equals_the_batch_packing():
    for surface, optimizer in (("rosenbrock", "adam"), ("himmelblau", "momentum")):
        res = resolve(Experiment(surface=surface, optimizer=optimizer, lr=0.03, steps=77))
        one = theta_fields(res)
        batch = theta_fields(res, start=np.array([res.start, res.start]))
        np.testing.assert_array_equal(one.pack(), batch.pack()[0])
        assert one.pack().dtype == np.float32


def test_one_run_classification_equals_the_batch_classification():
    # Every label a sweep gives (a whole range of rates on several surfaces) must be what
    # the one-run path gives on the same summary.
    rates = np.geomspace(1e-4, 30, 40)
    seen = set()
    for surface in ("valley", "rosenbrock", "himmelblau", "saddle", "cliff", "rastrigin"):
        for optimizer in ("sgd", "adam", "momentum"):
            exp = Experiment(surface=surface, optimizer=optimizer, steps=150)
            res = resolve(exp)
            n = kernel.bucket(exp.steps)
            thetas = theta_fields(res)._replace(lr=rates).pack()
            summaries = np.asarray(
                kernel.summary_kernel(res.surface.fn, optimizer, "constant", n, ())(thetas)
            )
            batch = classify(res.surface, summaries)
            for i, row in enumerate(summaries):
                one = _classify_one(res.surface, Summary.of(row.astype(np.float64)))
                for key, values in batch.items():
                    assert one[key] == values[i], (surface, optimizer, rates[i], key)
                seen.add(one["status"])
    assert seen >= {"converged", "diverged", "oscillating", "too_slow"}


def test_the_public_call_judges_as_the_sweep_tallies():
    exp = Experiment(surface="rosenbrock", optimizer="adam", lr=0.02, steps=500)
    run = simulate(exp)
    res = resolve(exp)
    summary = kernel.summary_kernel(res.surface.fn, "adam", "constant", 500, ())(
        theta_fields(res).pack()[None]
    )
    assert run.outcome.status == classify(res.surface, np.asarray(summary))["status"][0]
