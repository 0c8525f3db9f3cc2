"""Training a real model: steps identical to torch/optax, closed-form gradient descent on the
line, the critical rate of the real valley, schedules, determinism and clean divergence."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
import torch

from core import schedules
from core.real import lr_finder, models, training
from core.real.data import batch_indices
from tests.conftest import torch_mlp
from ui.views import model_view as mv


@pytest.fixture(scope="module")
def mlp():
    return models.get_model("mlp-digits")


@pytest.mark.parametrize(
    ("name", "torch_opt", "hyper"),
    [
        ("sgd", lambda ps, lr: torch.optim.SGD(ps, lr=lr), {}),
        ("momentum", lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9), {"momentum": 0.9}),
        ("adam", lambda ps, lr: torch.optim.Adam(ps, lr=lr), {}),
    ],
)
def test_three_mini_batch_steps_match_torch(mlp, name, torch_opt, hyper):
    lr, steps, seed = 0.05 if name != "adam" else 0.003, 3, 11
    ours = training.train(mlp, name, lr, steps, seed=seed, hyper=hyper, batch_size=32)
    net = torch_mlp(mlp.init(seed))
    opt = torch_opt(net.parameters(), lr)
    x, y = torch.tensor(mlp.data.x_train), torch.tensor(mlp.data.y_train, dtype=torch.long)
    for rows in batch_indices(mlp.data.n_train, 32, steps, seed):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x[rows]), y[rows]).backward()
        opt.step()
    for layer, p in zip((net[0], net[2]), ours.params, strict=True):
        np.testing.assert_allclose(np.asarray(p["w"]), layer.weight.detach().numpy().T, atol=2e-6)
        np.testing.assert_allclose(np.asarray(p["b"]), layer.bias.detach().numpy(), atol=2e-6)


def test_one_step_matches_optax(mlp):
    params = mlp.init(2)
    rows = batch_indices(mlp.data.n_train, 64, 1, 2)[0]
    batch = (jnp.asarray(mlp.data.x_train[rows]), jnp.asarray(mlp.data.y_train[rows]))
    grads = jax.grad(mlp.loss)(params, batch)
    tx = optax.adam(0.01, eps=1e-8)
    updates, _ = tx.update(grads, tx.init(params), params)
    expected = optax.apply_updates(params, updates)
    ours = training.train(mlp, "adam", 0.01, 1, seed=2)
    leaves = zip(
        jax.tree_util.tree_leaves(ours.params), jax.tree_util.tree_leaves(expected), strict=True
    )
    for a, b in leaves:
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), atol=1e-6)


def _closed_form_gd(model, lr, steps):
    """p <- p - lr * grad, with grad = H p - 2/n X^T y worked out in float64."""
    x = np.c_[model.data.x_train.astype(np.float64), np.ones(model.data.n_train)]
    y = model.data.y_train.astype(np.float64)
    hess, pull = 2 / len(x) * x.T @ x, 2 / len(x) * x.T @ y
    p = np.asarray(model.init(0), np.float64)
    path = [p]
    for _ in range(steps):
        p = p - lr * (hess @ p - pull)
        path.append(p)
    return np.array(path), hess


def test_full_batch_training_on_the_line_is_gradient_descent_in_closed_form():
    model = models.get_model("linreg-diabetes")
    run = training.train(model, "sgd", 0.3, 60)  # default batch: the whole training set
    expected, _ = _closed_form_gd(model, 0.3, 60)
    np.testing.assert_allclose(run.path, expected, rtol=1e-4, atol=1e-5)
    x = np.c_[model.data.x_train.astype(np.float64), np.ones(model.data.n_train)]
    best = np.linalg.lstsq(x, model.data.y_train.astype(np.float64), rcond=None)[0]
    np.testing.assert_allclose(run.path[-1], best, atol=1e-4)


def test_the_raw_valleys_critical_rate_splits_converged_from_diverged():
    model = models.get_model("linreg-diabetes", standardize=False)
    _, hess = _closed_form_gd(model, 0.0, 0)
    critical = 2 / np.linalg.eigvalsh(hess).max()
    below = training.train(model, "sgd", 0.98 * critical, 1500)
    above = training.train(model, "sgd", 1.02 * critical, 1500)
    assert below.diverged_at is None and above.diverged_at is not None
    # Below it the steep direction has settled: the path no longer zig-zags across the valley.
    assert below.train_loss[-1] < below.train_loss[0]
    assert np.isfinite(above.train_loss).all() and above.train_loss[-1] > 100 * above.train_loss[0]


def test_schedules_set_the_rate_of_every_step(mlp):
    run = training.train(mlp, "sgd", 0.2, 120, schedule="cosine", schedule_args={"eta_min": 0.01})
    np.testing.assert_allclose(run.lr, schedules.lr_curve("cosine", 0.2, 120, eta_min=0.01))
    constant = training.train(mlp, "sgd", 0.2, 120)
    assert not np.allclose(run.train_loss, constant.train_loss)


def test_deterministic_per_seed_and_seeds_differ(mlp):
    a = training.train(mlp, "momentum", 0.05, 80, seed=4)
    b = training.train(mlp, "momentum", 0.05, 80, seed=4)
    c = training.train(mlp, "momentum", 0.05, 80, seed=5)
    np.testing.assert_array_equal(a.train_loss, b.train_loss)
    np.testing.assert_array_equal(a.val_accuracy, b.val_accuracy)
    assert not np.allclose(a.train_loss, c.train_loss)


def test_many_runs_at_once_equal_runs_one_by_one_and_chunks_join_up(mlp):
    together = training.train_many(mlp, "sgd", [0.01, 0.1], 700, seeds=[1, 2])
    alone = training.train(mlp, "sgd", 0.1, 100, seed=2)  # one short chunk, not 256-step ones
    every = training.eval_interval(mlp, 700)
    assert every == 4 and list(alone.eval_steps) == list(range(101))
    np.testing.assert_array_equal(together[0].eval_steps, np.r_[0:701:4])
    np.testing.assert_allclose(together[1].train_loss[:26], alone.train_loss[:101:every], rtol=2e-5)
    np.testing.assert_allclose(together[1].batch_loss[:100], alone.batch_loss, rtol=2e-5)
    assert len(together[0].lr) == 700


def test_measuring_every_few_steps_samples_the_same_curve(mlp):
    dense = training.train(mlp, "adam", 0.003, 300, every=1)
    sparse = training.train(mlp, "adam", 0.003, 300, every=8)
    np.testing.assert_array_equal(sparse.eval_steps, np.r_[0:300:8, 300])
    np.testing.assert_allclose(sparse.train_loss, dense.train_loss[sparse.eval_steps], rtol=2e-5)
    np.testing.assert_allclose(sparse.val_accuracy, dense.val_accuracy[sparse.eval_steps])
    np.testing.assert_array_equal(sparse.batch_loss, dense.batch_loss)


def test_progress_is_reported_between_chunks(mlp):
    seen = []
    training.train(mlp, "sgd", 0.1, 600, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(256, 600), (512, 600), (600, 600)]


def test_a_blow_up_stops_cleanly_and_says_where(mlp):
    run = training.train(mlp, "sgd", 50.0, 200)
    assert run.diverged_at is not None and run.diverged_at < 20
    for curve in (run.train_loss, run.val_loss, run.batch_loss, run.lr):
        assert np.isfinite(curve).all()
    assert len(run.train_loss) == len(run.lr) + 1 <= run.diverged_at + 2
    doc = run.to_json()
    # A run that blew up has no held-out result to report (its last accuracy is not one).
    assert doc["diverged_at"] == run.diverged_at and doc["val_accuracy"] is None
    assert run.result_accuracy is None and run.final_val_accuracy is not None
    assert mv.held_out(run) == f"diverged at step {run.diverged_at}"


def test_the_suggested_rate_beats_ten_times_smaller_in_the_same_budget(mlp):
    found = lr_finder.lr_find(mlp, "sgd", seed=0)
    rate = found.suggestions["minimum"].lr
    small, good, large = training.train_many(mlp, "sgd", [rate / 10, rate, rate * 10], 300)
    assert good.val_loss[-1] < small.val_loss[-1]
    assert large.diverged_at is not None or large.val_loss[-1] > good.val_loss[-1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_size": 0}, "batch size must be between 1"),
        ({"steps": 0}, "steps must be between 1"),
        ({"hyper": {"beta1": 0.5}}, "beta1 does not apply to sgd"),
        ({"optimizer": "lbfgs"}, "Unknown optimizer"),
        ({"schedule": "zigzag"}, "Unknown schedule"),
    ],
)
def test_bad_settings_are_refused_with_a_message(mlp, kwargs, message):
    options = {"optimizer": "sgd", "lr": 0.1, "steps": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        training.train(mlp, **options)
