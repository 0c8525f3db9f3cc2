"""The loss landscape's slice (Li et al., NeurIPS 2018) against the model's own loss evaluated
point by point, its directions against the definition of filter normalisation, the projection
against points built on the plane, and the parameters the training records along the way."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from core.real import landscape, models, training

STEPS = 96


@pytest.fixture(scope="module")
def net():
    return models.get_model("mlp-digits")


@pytest.fixture(scope="module")
def runs(net):
    every = landscape.path_every(net, STEPS, points=8)
    return training.train_many(
        net, "sgd", [0.01, 0.1], STEPS, seeds=[3], record_path=True, path_every=every
    )


@pytest.fixture(scope="module")
def sliced(net, runs):
    return landscape.slice_through(net, runs[1].params, seed=7, size=41, span=1.0)


def full_loss(net, params) -> float:
    """The model's own loss over the whole training set, one point at a time."""
    return float(net.loss(params, (jnp.asarray(net.data.x_train), jnp.asarray(net.data.y_train))))


def moved(params, d1, d2, a, b):
    return jax.tree_util.tree_map(lambda p, u, v: p + a * u + b * v, params, d1, d2)


def test_the_slice_through_the_trained_weights_has_their_loss_at_its_centre(net, runs, sliced):
    land, _ = sliced
    mid = land.alphas.size // 2
    assert land.alphas[mid] == 0 and land.betas[mid] == 0
    trained = full_loss(net, runs[1].params)
    assert land.loss[mid, mid] == pytest.approx(trained, rel=1e-5)
    assert land.center_loss == pytest.approx(trained, rel=1e-6)
    assert land.loss.shape == (41, 41) and land.n_params == net.n_params == 4810
    # Trained weights sit in a basin of the slice: the centre is below the grid's edges.
    assert land.loss[mid, mid] < np.min(np.r_[land.loss[0], land.loss[-1]])


def test_the_grid_equals_the_model_loss_evaluated_point_by_point(net, runs, sliced):
    land, (d1, d2) = sliced
    rng = np.random.default_rng(0)
    for j, i in rng.integers(0, land.alphas.size, size=(6, 2)):
        a, b = land.alphas[i], land.betas[j]
        expected = full_loss(net, moved(runs[1].params, d1, d2, a, b))
        assert land.loss[j, i] == pytest.approx(expected, rel=2e-5), (a, b)
    # and off the grid's own axis values: any (α, β) the grid is asked for
    a, b = np.array([0.37]), np.array([-0.81])
    (grid,) = landscape.loss_grid(net, runs[1].params, d1, d2, a, b)
    expected = full_loss(net, moved(runs[1].params, d1, d2, 0.37, -0.81))
    assert grid[0] == pytest.approx(expected, rel=2e-5)


def test_filter_normalisation_gives_each_neuron_its_trained_weights_norm(runs):
    params = runs[1].params
    d1, d2 = landscape.directions(params, seed=11)
    for layer, u, v in zip(params, d1, d2, strict=True):
        w = np.asarray(layer["w"], np.float64)  # (fan_in, fan_out): a column per neuron
        for d in (u, v):
            norms = np.linalg.norm(np.asarray(d["w"], np.float64), axis=0)
            np.testing.assert_allclose(norms, np.linalg.norm(w, axis=0), rtol=1e-5)
            assert not np.any(d["b"])  # biases: a zero direction
        # Random, not a copy of the weights: nearly orthogonal to them and to each other.
        cos = lambda x, y: x.ravel() @ y.ravel() / np.linalg.norm(x) / np.linalg.norm(y)
        assert abs(cos(np.asarray(u["w"]), w)) < 0.2 and abs(cos(u["w"], v["w"])) < 0.2
    again, _ = landscape.directions(params, seed=11)
    other, _ = landscape.directions(params, seed=12)
    np.testing.assert_array_equal(landscape.flat(again), landscape.flat(d1))
    assert not np.allclose(landscape.flat(other), landscape.flat(d1))


def test_a_point_built_on_the_plane_projects_to_its_own_coordinates(runs):
    params = runs[1].params
    d1, d2 = landscape.directions(params, seed=5)
    center, f1, f2 = landscape.flat(params), landscape.flat(d1), landscape.flat(d2)
    ab = np.array([[0.3, -0.7], [-1.2, 0.05], [0.0, 0.0]])
    points = center + ab[:, :1] * f1 + ab[:, 1:] * f2
    shadow = landscape.project(points, center, f1, f2)
    np.testing.assert_allclose(shadow.coords, ab, atol=1e-9)
    np.testing.assert_allclose(shadow.off_plane, 0, atol=1e-9)
    # A step off the plane (orthogonal to both directions) changes the shadow by nothing.
    rng = np.random.default_rng(1)
    basis = np.stack([f1, f2], 1)
    off = rng.standard_normal(center.size)
    off -= basis @ np.linalg.lstsq(basis, off, rcond=None)[0]
    shadow = landscape.project(points[:1] + off, center, f1, f2)
    np.testing.assert_allclose(shadow.coords, ab[:1], atol=1e-9)
    length = np.linalg.norm(points[0] + off - center)
    assert shadow.off_plane[0] == pytest.approx(np.linalg.norm(off) / length, rel=1e-9)


def test_training_records_the_weights_every_k_steps(net, runs):
    run = runs[1]
    every = landscape.path_every(net, STEPS, points=8)
    assert every % training.eval_interval(net, STEPS) == 0 and every > 1
    assert run.path.shape == (len(run.path_steps), net.n_params)
    np.testing.assert_array_equal(run.path_steps, np.r_[np.arange(0, STEPS, every), STEPS])
    np.testing.assert_allclose(run.path[0], landscape.flat(net.init(3)), rtol=1e-6)
    np.testing.assert_allclose(run.path[-1], landscape.flat(run.params), rtol=1e-6)
    # The same run without recording has the same curves: recording changes nothing.
    plain = training.train(net, "sgd", 0.1, STEPS, seed=3)
    assert plain.path is None and plain.path_steps is None
    np.testing.assert_allclose(plain.train_loss, run.train_loss, rtol=1e-5)
    assert training.eval_interval(net, 1000) == 4  # measured every 4 steps: 6 is no multiple
    for bad in (6, 0):
        with pytest.raises(ValueError, match="multiple"):
            training.train(net, "sgd", 0.1, 1000, record_path=True, path_every=bad)


@pytest.mark.parametrize(
    "seed, size, span",
    [(-1, 41, 1), (2**31, 41, 1), (1.5, 41, 1), ("x", 41, 1), (float("nan"), 41, 1),
     (0, 2, 1), (0, 1000, 1), (0, 41, 0), (0, 41, float("inf"))],
)  # fmt: skip
def test_bad_seeds_and_settings_get_a_sentence(net, runs, seed, size, span):
    with pytest.raises(ValueError, match="seed|grid size|span|numbers"):
        landscape.slice_through(net, runs[1].params, seed, size, span)


def test_the_line_is_no_network_to_slice():
    line = models.get_model("linreg-diabetes")
    with pytest.raises(ValueError, match="network"):
        landscape.loss_grid(line, line.init(0), None, None, [0.0], [0.0])
