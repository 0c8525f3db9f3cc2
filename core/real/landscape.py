r"""A 2D slice of the digits network's loss through its trained weights (Li, Xu, Taylor, Studer
and Goldstein, "Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018).

Pick two random directions :math:`\delta, \eta` in weight space and draw
:math:`f(\alpha, \beta) = L(\theta^* + \alpha\,\delta + \beta\,\eta)`, the full-batch training
loss on the plane through the trained weights :math:`\theta^*`. Raw Gaussian directions would
be dominated by the largest weights; *filter normalisation* gives every neuron a perturbation
of its own weights' size: each direction is drawn Gaussian, then, for each neuron, its incoming
weights (a column of our ``w`` of shape (fan_in, fan_out); a row of torch's (out, in) matrix)
are rescaled to the norm of that neuron's trained weights,
:math:`d_{i,j} \leftarrow d_{i,j} \|\theta_{i,j}\| / \|d_{i,j}\|`. Biases (the 1D parameters)
get a zero direction: they stay at their trained values, the convention of the paper's code
(``--xignore biasbn``). So α = 1 moves every neuron by as much as its weights are long.

A training path :math:`\theta_t` lives in all ~4,800 dimensions, not on the plane: it is drawn
by its least-squares coordinates in the span of the two directions, the point of the plane
nearest :math:`\theta_t - \theta^*`; how much of its displacement is off the plane is measured
too. Random directions in many dimensions are nearly orthogonal to any path (the paper, §7),
so most of a path is off the plane and its shadow is short unless the weights travel far (as a
run at too large a rate does): the picture is a slice and the paths are shadows on it.

Evaluating the grid: the first layer is linear in (α, β), so its pre-activations are three
matrix products done once, :math:`X W^* + \alpha X W_\delta + \beta X W_\eta` (plus biases);
the rest of the network is itself an MLP on the hidden units, evaluated by the model's own loss,
vmapped over the grid's points (one jitted call: a map over batches of `POINTS_PER_BATCH`
points, each batch vmapped, which bounds memory and keeps the hidden units in cache).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
from jax.flatten_util import ravel_pytree

from core import jax_setup  # noqa: F401  (compilation cache settings)
from core.real.models import Model

GRID_SIZE = 41  # points along each axis
SPAN = 1.0  # the grid covers [-SPAN, SPAN]^2 in units of the filter-normalised directions
MAX_SIZE = 201
MAX_SPAN = 10.0
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Landscape:
    """The slice: ``loss[j, i]`` is the training loss at (alphas[i], betas[j])."""

    alphas: np.ndarray  # (size,)
    betas: np.ndarray  # (size,)
    loss: np.ndarray  # (size, size) float64; inf where the loss overflowed
    center_loss: float  # the model's loss at the trained weights
    n_params: int  # the dimension the slice is cut from
    seed: int  # the directions' seed


@dataclass(frozen=True)
class Shadow:
    """A path projected onto the slice's plane."""

    coords: np.ndarray  # (m, 2) least-squares (α, β) of each θ_t − θ*
    off_plane: np.ndarray  # (m,) |residual| / |θ_t − θ*| (0: on the plane; 1: orthogonal to it)


PATH_POINTS = 64  # parameters recorded about this many times along a run, for its projection


def path_every(model: Model, steps: int, points: int = PATH_POINTS) -> int:
    """Steps between recorded parameters so a run of ``steps`` keeps about ``points`` of them:
    a multiple of the run's measurement interval (`core.real.training.eval_interval`)."""
    from core.real.training import eval_interval

    every = eval_interval(model, int(steps))
    return every * max(1, -(-int(steps) // (every * int(points))))


def check(seed, size=GRID_SIZE, span=SPAN) -> tuple[int, int, float]:
    """(seed, size, span) as plain values, or ValueError with a sentence saying what is wrong."""
    try:
        seed_f, size_f, span_f = float(seed), float(size), float(span)
    except (TypeError, ValueError):
        raise ValueError("The seed, grid size and span must be numbers.") from None
    if not (np.isfinite(seed_f) and seed_f == int(seed_f) and 0 <= seed_f <= MAX_SEED):
        raise ValueError(f"The directions' seed must be a whole number from 0 to {MAX_SEED:,}.")
    if not (np.isfinite(size_f) and size_f == int(size_f) and 3 <= size_f <= MAX_SIZE):
        raise ValueError(f"The grid size must be a whole number from 3 to {MAX_SIZE}.")
    if not (np.isfinite(span_f) and 0 < span_f <= MAX_SPAN):
        raise ValueError(f"The span must be above 0 and at most {MAX_SPAN:g}.")
    return int(seed_f), int(size_f), span_f


def normalize_filters(direction: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A direction for one parameter array: per neuron (column of a (fan_in, fan_out) matrix)
    rescaled to the norm of the trained weights' column; a 1D array (biases): zero."""
    direction, weights = np.asarray(direction, np.float64), np.asarray(weights, np.float64)
    if weights.ndim < 2:
        return np.zeros_like(weights, np.float32)
    d_norm = np.linalg.norm(direction, axis=0, keepdims=True)
    w_norm = np.linalg.norm(weights, axis=0, keepdims=True)
    return (direction * (w_norm / np.maximum(d_norm, 1e-12))).astype(np.float32)


def directions(params, seed: int):
    """Two filter-normalised Gaussian directions (pytrees shaped like ``params``) for a seed."""
    seed, _, _ = check(seed)
    leaves, tree = jax.tree_util.tree_flatten(params)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        drawn = [normalize_filters(rng.standard_normal(np.shape(w)), w) for w in leaves]
        out.append(jax.tree_util.tree_unflatten(tree, drawn))
    return out[0], out[1]


def flat(tree) -> np.ndarray:
    """A pytree as one float64 vector, leaves in pytree order (the training paths' layout)."""
    return np.asarray(ravel_pytree(tree)[0], np.float64)


# Points per vmapped batch of the grid's sequential map. Measured CPU time of a 41 x 41 grid
# (benchmarks/bench_landscape.py's machine): 1 point at a time (no vmap) ~0.51 s, 2 ~0.68 s,
# 4-8 or a whole row of 41 ~0.8 s: a wider batch's hidden units (1,437 x 64 floats a point)
# outgrow the cache. 2 keeps the grid a vmap at a small cost.
POINTS_PER_BATCH = 2


@functools.lru_cache(maxsize=4)
def _grid_fn(model: Model):
    """The jitted grid for one network: (params, d1, d2, alphas, betas, x, y) -> (nb, na)."""

    def grid(params, d1, d2, alphas, betas, x, y):
        first = [params[0], d1[0], d2[0]]
        z0, za, zb = (x @ layer["w"] + layer["b"] for layer in first)

        def point(ab):
            a, b = ab
            # The rest of the network at this point of the plane, fed the first layer's output.
            rest = jax.tree_util.tree_map(
                lambda p, u, v: p + a * u + b * v, params[1:], d1[1:], d2[1:]
            )
            return model.loss(rest, (jax.nn.relu(z0 + a * za + b * zb), y))

        a, b = jnp.meshgrid(alphas, betas)
        losses = jax.lax.map(point, (a.ravel(), b.ravel()), batch_size=POINTS_PER_BATCH)
        return losses.reshape(a.shape)

    return jax.jit(grid)


def loss_grid(model: Model, params, d1, d2, alphas, betas) -> np.ndarray:
    """Full-batch training losses L(θ* + α d1 + β d2): (len(betas), len(alphas)), float64."""
    if not (isinstance(params, list) and len(params) >= 2 and model.info.task != "regression"):
        raise ValueError("The slice is cut through a network of at least two layers.")
    as_f32 = lambda t: jax.tree_util.tree_map(lambda a: jnp.asarray(a, jnp.float32), t)
    x, y = jnp.asarray(model.data.x_train), jnp.asarray(model.data.y_train)
    out = _grid_fn(model)(
        as_f32(params),
        as_f32(d1),
        as_f32(d2),
        jnp.asarray(alphas, jnp.float32),
        jnp.asarray(betas, jnp.float32),
        x,
        y,
    )
    out = np.asarray(out, np.float64)
    return np.where(np.isnan(out), np.inf, out)


def slice_through(model: Model, params, seed: int, size: int = GRID_SIZE, span: float = SPAN):
    """The slice through ``params`` along the seed's two directions, over [-span, span]^2."""
    seed, size, span = check(seed, size, span)
    d1, d2 = directions(params, seed)
    axis = np.linspace(-span, span, size)
    loss = loss_grid(model, params, d1, d2, axis, axis)
    data = (jnp.asarray(model.data.x_train), jnp.asarray(model.data.y_train))
    center = float(model.loss(params, data))
    return Landscape(axis, axis.copy(), loss, center, model.n_params, seed), (d1, d2)


def project(path: np.ndarray, center: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> Shadow:
    """Least-squares (α, β) of each row θ_t of ``path`` (m, n): the nearest point of the plane
    θ* + span(d1, d2) to θ_t, and the share of θ_t − θ* left off the plane."""
    delta = np.atleast_2d(np.asarray(path, np.float64)) - np.asarray(center, np.float64)
    basis = np.stack([np.asarray(d1, np.float64), np.asarray(d2, np.float64)], axis=1)
    if not np.all(np.isfinite(delta)):
        raise ValueError("A path holds weights that are not finite.")
    coords, *_ = np.linalg.lstsq(basis, delta.T, rcond=None)
    residual = np.linalg.norm(delta - (basis @ coords).T, axis=1)
    length = np.linalg.norm(delta, axis=1)
    off = np.divide(residual, length, out=np.zeros_like(length), where=length > 0)
    return Shadow(coords.T, off)
