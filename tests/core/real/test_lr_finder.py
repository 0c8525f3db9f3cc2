"""The range test, checked against a separate, literal re-implementation of its rules.

The reference below is written straight from the published descriptions (fastai's
``fastai/callback/schedule.py``: ``LRFinder``, ``lr_find``, ``steep``, ``minimum``, ``valley``;
the debiased moving average of its ``AvgSmoothLoss``) as plain loops, sharing no code with
`core.real.lr_finder`.
"""

import jax
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core.real import lr_finder, models, training
from core.real.data import batch_indices
from tests.conftest import torch_mlp


def reference_smooth(losses, beta=0.98):
    out, avg = [], 0.0
    for i, loss in enumerate(losses, start=1):
        avg = beta * avg + (1 - beta) * loss
        out.append(avg / (1 - beta**i))
    return out


def reference_valley_index(losses):
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    return max_start + int(sections) + int(sections / 2)


def reference_suggestions(lrs, smoothed, num_it):
    lrs, losses = list(lrs[num_it // 10 : -5]), list(smoothed[num_it // 10 : -5])
    grads = [
        (losses[i + 1] - losses[i]) / (np.log(lrs[i + 1]) - np.log(lrs[i]))
        for i in range(len(losses) - 1)
    ]
    steep = lrs[min(range(len(grads)), key=grads.__getitem__)]
    low = lrs[min(range(len(losses)), key=losses.__getitem__)]
    return {"steepest": steep, "minimum": low / 10, "valley": lrs[reference_valley_index(losses)]}


@pytest.fixture(scope="module")
def mlp():
    return models.get_model("mlp-digits")


@pytest.fixture(scope="module")
def test_run(mlp):
    return lr_finder.lr_find(mlp, "sgd", seed=0)


def test_ramp_is_exponential_from_start_to_end():
    lrs = lr_finder.ramp(1e-7, 10.0, 100)
    assert lrs[0] == pytest.approx(1e-7) and lrs[-1] == pytest.approx(10.0)
    ratios = lrs[1:] / lrs[:-1]
    np.testing.assert_allclose(ratios, (1e8) ** (1 / 99), rtol=1e-9)


def test_smoothing_stop_and_suggestions_recomputed_from_the_returned_losses(test_run):
    r = test_run
    np.testing.assert_allclose(r.lr, lr_finder.ramp(1e-7, 10.0, 100)[: len(r.lr)])
    smoothed = reference_smooth(r.loss.tolist())
    np.testing.assert_allclose(r.smoothed, smoothed, rtol=1e-12)
    # It stopped at the first point above 4x the best so far, and not before.
    best = np.minimum.accumulate(smoothed)
    above = [s > 4 * b for s, b in zip(smoothed, best, strict=True)]
    assert r.stopped_at is not None and above[-1] and not any(above[:-1])
    expected = reference_suggestions(r.lr, smoothed, 100)
    for name, value in expected.items():
        assert r.suggestions[name].lr == pytest.approx(value, rel=1e-12), name
    assert r.to_json()["suggestions"] == {k: s.lr for k, s in r.suggestions.items()}


def test_the_suggestions_fall_between_creep_and_blow_up(test_run):
    # Not fixed numbers: the suggestions lie inside the ramp, well before the blow-up.
    for suggestion in test_run.suggestions.values():
        assert 1e-5 < suggestion.lr < test_run.lr[-1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=3, max_size=60))
def test_valley_replays_fastais_loop_on_any_curve(values):
    losses = np.asarray(values, float)  # many ties: the strict comparisons matter
    lrs = np.arange(1, len(values) + 1, dtype=float)
    expected = reference_valley_index(values)
    if expected < 0:  # fastai would wrap to the end; core clamps to the start
        expected = 0
    assert lr_finder.valley(lrs, losses).lr == lrs[expected]


def test_weights_are_restored_and_training_afterwards_starts_from_them(mlp):
    params = mlp.init(3)
    before = jax.tree_util.tree_map(lambda a: np.array(a, copy=True), params)
    result = lr_finder.lr_find(mlp, "momentum", seed=3, params=params)
    for a, b, c in zip(
        jax.tree_util.tree_leaves(before),
        jax.tree_util.tree_leaves(params),
        jax.tree_util.tree_leaves(result.params),
        strict=True,
    ):
        np.testing.assert_array_equal(a, np.asarray(b))
        np.testing.assert_array_equal(a, np.asarray(c))
    # Training from the weights the test hands back is training from a fresh start.
    after = training.train(mlp, "momentum", 0.05, 50, seed=3, params=result.params)
    fresh = training.train(mlp, "momentum", 0.05, 50, seed=3)
    np.testing.assert_array_equal(fresh.train_loss, after.train_loss)


def torch_range_test(mlp, seed, num_steps, start=1e-7, end=10.0):
    """The range test as its description reads, in torch: plain SGD on the same batches, the
    rate of step i being start * (end / start) ** (i / (N - 1)); each batch's loss before its
    update. Runs the whole ramp (no stop): the stop is read off afterwards."""
    net = torch_mlp(mlp.init(seed))
    opt = torch.optim.SGD(net.parameters(), lr=start)
    x, y = torch.tensor(mlp.data.x_train), torch.tensor(mlp.data.y_train, dtype=torch.long)
    rates, losses = [], []
    rows_of = batch_indices(mlp.data.n_train, mlp.default_batch_size, num_steps, seed)
    for i, rows in enumerate(rows_of):
        rate = start * (end / start) ** (i / (num_steps - 1))
        for group in opt.param_groups:
            group["lr"] = rate
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(x[rows]), y[rows])
        rates.append(rate)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return rates, losses


def test_curve_stop_and_suggestions_match_a_torch_range_test(mlp, test_run):
    rates, losses = torch_range_test(mlp, seed=0, num_steps=100)
    smoothed = reference_smooth(losses)
    best = np.minimum.accumulate(smoothed)
    stop = next(i for i, (s, b) in enumerate(zip(smoothed, best, strict=True)) if s > 4 * b)
    r = test_run
    assert r.stopped_at == stop and len(r.loss) == stop + 1 > 30
    np.testing.assert_allclose(r.lr, rates[: stop + 1], rtol=1e-12)
    np.testing.assert_allclose(r.loss, losses[: stop + 1], rtol=2e-4)
    expected = reference_suggestions(rates[: stop + 1], smoothed[: stop + 1], 100)
    for name, value in expected.items():
        assert r.suggestions[name].lr == pytest.approx(value, rel=1e-9), name


def test_deterministic_per_seed(mlp):
    a = lr_finder.lr_find(mlp, "adam", seed=7, num_steps=60)
    b = lr_finder.lr_find(mlp, "adam", seed=7, num_steps=60)
    c = lr_finder.lr_find(mlp, "adam", seed=8, num_steps=60)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert a.suggestions == b.suggestions
    assert not np.array_equal(a.loss[:20], c.loss[:20])


def test_an_immediate_blow_up_gives_no_suggestion_and_says_why(mlp):
    r = lr_finder.lr_find(mlp, "sgd", start_lr=50.0, end_lr=1e4, num_steps=100)
    assert len(r.lr) < 15 and np.isfinite(r.smoothed).all()
    assert all(s is None for s in r.suggestions.values())
    assert "too early" in r.note


def test_bad_ranges_are_refused(mlp):
    with pytest.raises(ValueError, match="start_lr < end_lr"):
        lr_finder.lr_find(mlp, start_lr=1.0, end_lr=0.1)
    with pytest.raises(ValueError, match="num_steps"):
        lr_finder.lr_find(mlp, num_steps=1)
