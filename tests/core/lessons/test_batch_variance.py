"""The stochastic-gradients lesson's variance formula holds for the engine's batches: a batch
drawn without replacement from N examples has a mean gradient of variance
sigma^2 / B * (N - B) / (N - 1) (sampling theory's finite-population correction; e.g. Cochran,
"Sampling Techniques", 1977, chapter 2), zero for the full batch, and not the sigma^2 / B of
sampling with replacement."""

from __future__ import annotations

import numpy as np
import pytest

from core.real.data import batch_indices, diabetes


def _per_example_gradients() -> np.ndarray:
    """d/dw of (w x + b - y)^2 for each training patient, at the bad line w = b = 0."""
    data = diabetes()
    x, y = data.x_train[:, 0].astype(np.float64), data.y_train.astype(np.float64)
    return 2 * (0 * x + 0 - y) * x


@pytest.mark.parametrize("batch", [1, 16, 100, 300])
def test_the_batch_gradient_variance_is_the_finite_population_formula(batch):
    g = _per_example_gradients()
    n = g.size
    sigma2 = g.var()  # the population variance (1/N)
    means = np.array([g[batch_indices(n, batch, 1, seed)[0]].mean() for seed in range(4000)])
    expected = sigma2 / batch * (n - batch) / (n - 1)
    assert means.mean() == pytest.approx(g.mean(), abs=4 * np.sqrt(expected / 4000))  # unbiased
    assert means.var() == pytest.approx(expected, rel=0.1)
    if batch >= 100:  # far from sigma^2 / B once the batch is a good part of the data
        assert abs(means.var() - sigma2 / batch) > 0.2 * sigma2 / batch


def test_the_full_batch_has_no_noise():
    g = _per_example_gradients()
    n = g.size
    means = {g[batch_indices(n, n, 1, seed)[0]].mean() for seed in range(20)}
    assert np.ptp(list(means)) < 1e-9
