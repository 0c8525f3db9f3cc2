"""The real models of the model page, in plain JAX: each is a loss over a pytree of parameters.

- ``linreg-diabetes``: the line y = w*x + b through one feature of the diabetes set, with the
  mean squared error as its loss. Two parameters, so its loss over the whole training set is a
  real 2D valley (`core.real.model_surface`), drawn and analysed like any playground surface.
- ``mlp-digits``: a small multilayer perceptron (64 pixels -> 64 ReLU units -> 10 classes) on
  the handwritten digits, with the cross-entropy as its loss. Its weights are initialised as
  PyTorch's ``nn.Linear`` does, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), from the run's seed.

Every model has ``init(seed) -> params``, ``loss(params, batch) -> scalar`` with
``batch = (x, y)``, and, for classifiers, ``accuracy(params, batch)``. The training loop
(`core.real.training`) and the range test (`core.real.lr_finder`) know nothing else about a model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from core.real import data as datasets

HIDDEN_UNITS = 64

# The regression starts every run from one fixed line, given in standardised coordinates
# (w_s, b_s): a clearly wrong line, falling where the data rises. In raw coordinates it is the
# *same line*, so scaled and unscaled runs start from identical predictions.
REGRESSION_START_STANDARDIZED = (-1.5, 2.0)


@dataclass(frozen=True)
class ModelInfo:
    """A row of the registry: what `python -m core models` lists."""

    name: str
    title: str
    task: str  # "regression" or "classification"
    description: str
    default_batch_size: int | None  # None: the whole training set (full-batch gradient descent)
    default_lr: float


MODELS: dict[str, ModelInfo] = {
    "linreg-diabetes": ModelInfo(
        "linreg-diabetes",
        "Straight line through the diabetes data",
        "regression",
        "y = w*x + b on one feature of scikit-learn's diabetes set (body-mass index by default); "
        "mean squared error against the standardised disease progression. Two parameters: its "
        "loss is a real 2D valley over (w, b).",
        None,
        0.1,
    ),
    "mlp-digits": ModelInfo(
        "mlp-digits",
        "Small neural network on handwritten digits",
        "classification",
        f"A multilayer perceptron 64 -> {HIDDEN_UNITS} (ReLU) -> 10 on scikit-learn's 8 x 8 "
        "digits; cross-entropy loss, accuracy on the held-out validation images.",
        64,
        0.1,
    ),
}


@dataclass(frozen=True, eq=False)
class Model:
    """A model bound to its data: pure functions of (params, batch), and the data itself."""

    info: ModelInfo
    data: datasets.Dataset
    init: Callable[[int], Any]  # seed -> params (a pytree of float32 arrays)
    loss: Callable[[Any, tuple], jax.Array]  # (params, (x, y)) -> mean loss over the batch
    accuracy: Callable[[Any, tuple], jax.Array] | None  # classifiers: fraction correct
    param_names: tuple[str, ...]  # the parameter arrays, in pytree order

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def key(self) -> tuple:
        """What the compiled training functions are cached on."""
        return (self.info.name, self.data.standardized, self.data.feature_title)

    @property
    def default_batch_size(self) -> int:
        return self.info.default_batch_size or self.data.n_train

    @property
    def n_params(self) -> int:
        leaves = jax.tree_util.tree_leaves(jax.eval_shape(lambda: self.init(0)))
        return int(sum(np.prod(leaf.shape) for leaf in leaves))


def get_model(name: str, standardize: bool = True, feature: str = "bmi") -> Model:
    """The model ``name`` on its data, standardised or in raw units; ValueError if unknown."""
    if name not in MODELS:
        raise ValueError(f"Unknown model {str(name)[:40]!r}; choose one of {', '.join(MODELS)}.")
    if name == "linreg-diabetes":
        return _linreg(bool(standardize), feature)
    return _mlp(bool(standardize))


# --- the straight line ------------------------------------------------------------------------


def regression_start(data: datasets.Dataset) -> tuple[float, float]:
    """The fixed start line (w, b) in the data's own coordinates (see REGRESSION_START_...)."""
    w_s, b_s = REGRESSION_START_STANDARDIZED
    if data.standardized:
        return (w_s, b_s)
    # Raw feature x = mu + sigma * z:  w_s * z + b_s = (w_s / sigma) * x + (b_s - w_s mu / sigma).
    mu, sigma = float(data.raw_mean[0]), float(data.raw_std[0])
    return (w_s / sigma, b_s - w_s * mu / sigma)


def line_loss(params: jax.Array, batch: tuple) -> jax.Array:
    """Mean squared error of the line params = [w, b] on a batch (x of shape (n, 1), y (n,))."""
    x, y = batch
    residual = params[0] * x[:, 0] + params[1] - y
    return jnp.mean(residual * residual)


@functools.lru_cache(maxsize=32)
def _linreg(standardize: bool, feature: str) -> Model:
    data = datasets.diabetes(feature, standardize)
    start = jnp.asarray(regression_start(data), jnp.float32)
    return Model(
        info=MODELS["linreg-diabetes"],
        data=data,
        # A convex valley: every run starts from the same line so runs compare on one picture;
        # the seed only shuffles the mini-batches.
        init=lambda seed: start,
        loss=line_loss,
        accuracy=None,
        param_names=("w, b",),
    )


# --- the small network ------------------------------------------------------------------------


def _linear_init(key: jax.Array, fan_in: int, fan_out: int) -> dict[str, jax.Array]:
    """PyTorch's nn.Linear default: weight and bias both U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    bound = 1.0 / np.sqrt(fan_in)
    k_w, k_b = jax.random.split(key)
    return {
        "w": jax.random.uniform(k_w, (fan_in, fan_out), jnp.float32, -bound, bound),
        "b": jax.random.uniform(k_b, (fan_out,), jnp.float32, -bound, bound),
    }


@functools.partial(jax.jit, static_argnums=1)
def _mlp_init(seed: jax.Array, sizes: tuple[int, ...]) -> list[dict]:
    keys = jax.random.split(jax.random.PRNGKey(seed), len(sizes) - 1)
    return [_linear_init(k, a, b) for k, a, b in zip(keys, sizes[:-1], sizes[1:], strict=True)]


def mlp_init(seed: int, sizes: tuple[int, ...] = (64, HIDDEN_UNITS, 10)) -> list[dict]:
    """The network's weights for a seed (one compiled function for every seed)."""
    return _mlp_init(jnp.int32(int(seed)), tuple(sizes))


def mlp_logits(params: list[dict], x: jax.Array) -> jax.Array:
    for layer in params[:-1]:
        x = jax.nn.relu(x @ layer["w"] + layer["b"])
    return x @ params[-1]["w"] + params[-1]["b"]


def cross_entropy(params: list[dict], batch: tuple) -> jax.Array:
    """Mean negative log-probability of the true class (what torch's CrossEntropyLoss computes)."""
    x, y = batch
    log_p = jax.nn.log_softmax(mlp_logits(params, x))
    return -jnp.mean(jnp.take_along_axis(log_p, y[:, None], axis=1))


def mlp_accuracy(params: list[dict], batch: tuple) -> jax.Array:
    x, y = batch
    return jnp.mean(jnp.argmax(mlp_logits(params, x), axis=1) == y)


@functools.lru_cache(maxsize=4)
def _mlp(standardize: bool) -> Model:
    return Model(
        info=MODELS["mlp-digits"],
        data=datasets.digits(standardize),
        init=mlp_init,
        loss=cross_entropy,
        accuracy=mlp_accuracy,
        param_names=("layer 1 weights", "layer 1 biases", "layer 2 weights", "layer 2 biases"),
    )


def describe(name: str) -> dict[str, Any]:
    """A JSON-ready description of a registered model (what `models --json` prints)."""
    info = MODELS[name]
    model = get_model(name)
    return {
        "name": info.name,
        "title": info.title,
        "task": info.task,
        "description": info.description,
        "parameters": model.n_params,
        "train_size": model.data.n_train,
        "validation_size": model.data.n_val,
        "default_batch_size": model.default_batch_size,
        "default_lr": info.default_lr,
        "data": model.data.source,
    }
