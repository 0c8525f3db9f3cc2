"""Real data and models: fixed splits, honest standardisation, losses checked against torch."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from sklearn.datasets import load_diabetes, load_digits

from core.real import data, models
from tests.conftest import torch_mlp


def test_splits_are_fixed_disjoint_and_cover_the_data():
    for n in (442, 1797):
        a_train, a_val = data.split_indices(n)
        b_train, b_val = data.split_indices(n)
        np.testing.assert_array_equal(a_train, b_train)
        np.testing.assert_array_equal(a_val, b_val)
        assert not set(a_train) & set(a_val)
        assert sorted([*a_train, *a_val]) == list(range(n))
        assert abs(len(a_val) - 0.2 * n) <= 1


def test_digits_split_keeps_every_class_share():
    labels = load_digits().target
    train, val = data.split_indices(len(labels), stratify=labels)
    for digit in range(10):
        share = np.mean(labels[val] == digit) / np.mean(labels == digit)
        assert 0.9 < share < 1.1


def test_raw_diabetes_bmi_is_in_kg_per_m2_and_matches_sklearn():
    ds = data.diabetes("bmi", standardize=False)
    raw = load_diabetes(scaled=False)
    bmi = raw.data[:, 2]
    train, val = data.split_indices(len(bmi))
    np.testing.assert_allclose(ds.x_train[:, 0], bmi[train], rtol=1e-6)
    np.testing.assert_allclose(ds.x_val[:, 0], bmi[val], rtol=1e-6)
    # Efron et al. (2004), table 1: BMI from 18.0 to 42.2 kg/m^2.
    assert bmi.min() == pytest.approx(18.0) and bmi.max() == pytest.approx(42.2)
    # The target is standardised with the training statistics in both modes.
    y = (raw.target - raw.target[train].mean()) / raw.target[train].std()
    np.testing.assert_allclose(ds.y_val, y[val], rtol=1e-5, atol=1e-6)


def test_standardisation_uses_training_statistics_only():
    for ds in (data.diabetes("bmi", True), data.digits(True)):
        assert np.allclose(ds.x_train.mean(axis=0), 0, atol=1e-5)
        live = ds.raw_std != 1.0  # pixels blank in every training image stay at zero
        assert np.allclose(ds.x_train.std(axis=0)[live], 1, atol=1e-4)
        # The validation part is transformed with the same numbers, so it is *not* exactly 0/1.
        assert not np.allclose(ds.x_val.mean(axis=0), 0, atol=1e-5)
    raw = data.digits(False)
    assert raw.x_train.min() == 0 and raw.x_train.max() == 16


def test_unknown_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="bmi"):
        data.diabetes("height")
    with pytest.raises(ValueError, match="mlp-digits"):
        models.get_model("resnet")


def test_batches_are_shuffled_epochs_and_deterministic_per_seed():
    rows = data.batch_indices(100, 30, 7, seed=3)
    assert rows.shape == (7, 30) and rows.dtype == np.int32
    # 3 whole batches per epoch (the last 10 rows of each shuffle are dropped), no repeats inside.
    for epoch in (rows[0:3], rows[3:6]):
        assert len(set(epoch.ravel())) == 90
    np.testing.assert_array_equal(rows, data.batch_indices(100, 30, 7, seed=3))
    assert not np.array_equal(rows, data.batch_indices(100, 30, 7, seed=4))
    full = data.batch_indices(50, 50, 4, seed=9)
    np.testing.assert_array_equal(full, np.tile(np.arange(50), (4, 1)))
    with pytest.raises(ValueError, match="between 1 and 50"):
        data.batch_indices(50, 51, 4, seed=0)


def test_the_start_line_is_the_same_line_in_raw_and_standardised_units():
    scaled = models.get_model("linreg-diabetes", standardize=True)
    raw = models.get_model("linreg-diabetes", standardize=False)
    ws, bs = np.asarray(scaled.init(0), np.float64)
    wr, br = np.asarray(raw.init(0), np.float64)
    np.testing.assert_allclose(
        ws * scaled.data.x_val[:, 0] + bs, wr * raw.data.x_val[:, 0] + br, rtol=1e-5, atol=1e-5
    )


def test_line_loss_is_the_mean_squared_error():
    model = models.get_model("linreg-diabetes")
    x, y = model.data.x_train.astype(np.float64)[:, 0], model.data.y_train.astype(np.float64)
    p = jnp.array([0.3, -0.2], jnp.float32)
    expected = np.mean((0.3 * x - 0.2 - y) ** 2)
    assert float(model.loss(p, (model.data.x_train, model.data.y_train))) == pytest.approx(
        expected, rel=1e-5
    )


def test_regression_hessian_is_two_over_n_xtx():
    for standardize in (True, False):
        model = models.get_model("linreg-diabetes", standardize=standardize)
        batch = (jnp.asarray(model.data.x_train), jnp.asarray(model.data.y_train))
        hess = np.asarray(jax.hessian(model.loss)(jnp.zeros(2), batch), np.float64)
        x = np.c_[model.data.x_train.astype(np.float64), np.ones(model.data.n_train)]
        expected = 2 / len(x) * x.T @ x
        np.testing.assert_allclose(hess, expected, rtol=1e-5, atol=1e-6 * np.abs(expected).max())


def test_mlp_loss_and_accuracy_match_torch():
    model = models.get_model("mlp-digits")
    params = model.init(5)
    x, y = model.data.x_val, model.data.y_val
    net = torch_mlp(params)
    with torch.no_grad():
        logits = net(torch.tensor(x))
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor(y, dtype=torch.long))
    assert float(model.loss(params, (x, y))) == pytest.approx(float(expected), rel=1e-5)
    accuracy = float((logits.argmax(1).numpy() == y).mean())
    assert float(model.accuracy(params, (x, y))) == pytest.approx(accuracy)


def test_mlp_init_follows_torch_linear_and_the_seed():
    a, b = models.mlp_init(1), models.mlp_init(2)
    for layer, fan_in in zip(a, (64, 64), strict=True):
        bound = 1 / np.sqrt(fan_in)
        w = np.asarray(layer["w"])
        assert np.abs(w).max() <= bound and np.abs(np.asarray(layer["b"])).max() <= bound
        # U(-bound, bound) has standard deviation bound / sqrt(3).
        assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.1)
    assert not np.array_equal(a[0]["w"], b[0]["w"])
    np.testing.assert_array_equal(a[0]["w"], models.mlp_init(1)[0]["w"])


def test_registry_describes_every_model():
    for name in models.MODELS:
        d = models.describe(name)
        assert d["name"] == name and d["train_size"] > d["validation_size"] > 0
    assert models.describe("linreg-diabetes")["parameters"] == 2
    assert models.describe("mlp-digits")["parameters"] == 64 * 64 + 64 + 64 * 10 + 10


@pytest.mark.parametrize("standardize", [True, False])
def test_the_real_valley_is_the_models_loss_over_the_training_set(standardize):
    from core.real.model_surface import regression_surface

    model = models.get_model("linreg-diabetes", standardize=standardize)
    surface = regression_surface(standardize)
    (x0, x1), (y0, y1) = surface.domain
    rng = np.random.default_rng(0)
    batch = (model.data.x_train, model.data.y_train)
    for w, b in zip(rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20), strict=True):
        expected = float(model.loss(jnp.array([w, b], jnp.float32), batch))
        assert float(surface.fn(jnp.float32(w), jnp.float32(b))) == pytest.approx(
            expected, rel=2e-5
        )
    (minimum,) = surface.minima
    x = np.c_[model.data.x_train.astype(np.float64), np.ones(model.data.n_train)]
    best = np.linalg.lstsq(x, model.data.y_train.astype(np.float64), rcond=None)[0]
    assert (minimum.x, minimum.y) == pytest.approx(tuple(best), abs=1e-9)
    assert surface.contains(*surface.start)


@pytest.mark.parametrize("standardize", [True, False])
def test_the_critical_rate_from_2_over_n_xtx_is_core_analyzes(standardize):
    from core.real.model_surface import regression_surface
    from core.valley.theory import analyze

    model = models.get_model("linreg-diabetes", standardize=standardize)
    x = np.c_[model.data.x_train.astype(np.float64), np.ones(model.data.n_train)]
    hessian = 2 / len(x) * x.T @ x
    critical = 2 / np.linalg.eigvalsh(hessian).max()
    (analysis,) = analyze(regression_surface(standardize))
    assert analysis.critical_lr["sgd"] == pytest.approx(critical, rel=1e-5)
    assert analysis.condition_number == pytest.approx(np.linalg.cond(hessian), rel=1e-3)
    # Standardised: a round bowl, 2/n X^T X = 2 I. Raw BMI: a long thin valley.
    if standardize:
        assert critical == pytest.approx(1.0) and analysis.condition_number < 1.001
    else:
        assert critical < 2e-3 and analysis.condition_number > 1e4


@pytest.mark.parametrize("standardize", [True, False])
def test_the_engine_labels_runs_either_side_of_the_critical_rate(standardize):
    from core.real.model_surface import regression_moments, regression_surface, simulate_on
    from core.schema.experiment import Experiment

    surface = regression_surface(standardize)
    critical = regression_moments(standardize).critical_lr
    below = simulate_on(surface, Experiment(optimizer="sgd", lr=0.98 * critical, steps=2000))
    above = simulate_on(surface, Experiment(optimizer="sgd", lr=1.02 * critical, steps=2000))
    assert above.outcome.status == "diverged" and above.diverged_at is not None
    assert below.diverged_at is None and below.outcome.status != "diverged"
    if standardize:  # the raw valley's flat direction needs far more than 2,000 steps
        assert below.outcome.status == "converged"
