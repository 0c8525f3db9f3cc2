"""Real data for the model page: two data sets that scikit-learn ships, read with no network.

- **diabetes** (Efron, Hastie, Johnstone and Tibshirani, *Least Angle Regression*, 2004):
  442 patients; one feature (body-mass index by default) and a measure of disease progression
  one year later. A straight line through it has two parameters, so its loss is a real 2D valley.
- **digits** (UCI optical recognition of handwritten digits): 1,797 images of 8 x 8 pixels with
  values 0..16, ten classes. Small enough to train a small network in about a second.

Each set is split once into training and validation parts with a fixed seed (`SPLIT_SEED`),
independent of the seed of any run, so that every run of every user sees the same split.
Standardisation (subtract the mean, divide by the standard deviation) uses statistics of the
training part only and is applied to both parts, as one must to keep the validation set held
out. The regression target is always standardised, so losses read in units of its variance and
the best line's loss is 1 - r^2; the feature is standardised or left in its own units (kg/m^2)
as asked: that choice is what turns a round bowl into a long thin valley.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

SPLIT_SEED = 0
VALIDATION_FRACTION = 0.2
DIABETES_FEATURES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
FEATURE_TITLES = {
    "age": "age (years)",
    "sex": "sex",
    "bmi": "body-mass index (kg/m²)",
    "bp": "mean blood pressure (mm Hg)",
    "s1": "total serum cholesterol",
    "s2": "low-density lipoproteins",
    "s3": "high-density lipoproteins",
    "s4": "total cholesterol / HDL",
    "s5": "log of serum triglycerides",
    "s6": "blood sugar level",
}


@dataclass(frozen=True, eq=False)
class Dataset:
    """A fixed train/validation split, as float32 arrays (features 2D, targets 1D)."""

    name: str
    title: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    standardized: bool
    raw_mean: np.ndarray  # training-set mean of each raw feature (subtracted if standardized)
    raw_std: np.ndarray  # its standard deviation (divided by if standardized; 1 if constant)
    feature_title: str
    source: str

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        return int(self.x_val.shape[0])

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])


def split_indices(n: int, stratify: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fixed (train, validation) row indices: the same on every machine and for every run.

    With ``stratify`` (class labels) each class keeps its share in both parts.
    """
    rng = np.random.default_rng(SPLIT_SEED)
    if stratify is None:
        order = rng.permutation(n)
        n_val = round(VALIDATION_FRACTION * n)
        return np.sort(order[n_val:]), np.sort(order[:n_val])
    train, val = [], []
    for label in np.unique(stratify):
        rows = rng.permutation(np.flatnonzero(stratify == label))
        n_val = round(VALIDATION_FRACTION * rows.size)
        val.append(rows[:n_val])
        train.append(rows[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def _standardizer(x_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x_train.mean(axis=0)
    scale = x_train.std(axis=0)
    # A pixel that is blank in every training image carries no information: centre it, don't
    # divide by zero.
    return mean, np.where(scale > 0, scale, 1.0)


@functools.lru_cache(maxsize=32)
def diabetes(feature: str = "bmi", standardize: bool = True) -> Dataset:
    """One feature of the diabetes set against the (standardised) disease progression."""
    if feature not in DIABETES_FEATURES:
        raise ValueError(
            f"Unknown diabetes feature {feature!r}; choose one of {', '.join(DIABETES_FEATURES)}."
        )
    from sklearn.datasets import load_diabetes

    raw = load_diabetes(scaled=False)  # the original units: kg/m^2 for BMI
    x = raw.data[:, DIABETES_FEATURES.index(feature)].astype(np.float64)[:, None]
    y = raw.target.astype(np.float64)
    train, val = split_indices(x.shape[0])
    y_mean, y_std = y[train].mean(), y[train].std()
    y = (y - y_mean) / y_std
    mean, scale = _standardizer(x[train])
    if standardize:
        x = (x - mean) / scale
    title = FEATURE_TITLES[feature]
    return Dataset(
        name="diabetes",
        title=f"Diabetes: disease progression against {title}",
        x_train=x[train].astype(np.float32),
        y_train=y[train].astype(np.float32),
        x_val=x[val].astype(np.float32),
        y_val=y[val].astype(np.float32),
        standardized=standardize,
        raw_mean=mean,
        raw_std=scale,
        feature_title=("standardised " if standardize else "") + title,
        source="sklearn.datasets.load_diabetes (Efron et al., Least Angle Regression, 2004)",
    )


@functools.lru_cache(maxsize=4)
def digits(standardize: bool = True) -> Dataset:
    """The 8 x 8 handwritten digits, flattened to 64 pixels; labels 0..9 as int32."""
    from sklearn.datasets import load_digits

    raw = load_digits()
    x = raw.data.astype(np.float64)
    y = raw.target.astype(np.int32)
    train, val = split_indices(x.shape[0], stratify=y)
    mean, scale = _standardizer(x[train])
    if standardize:
        x = (x - mean) / scale
    return Dataset(
        name="digits",
        title="Handwritten digits (8 x 8 pixels, 10 classes)",
        x_train=x[train].astype(np.float32),
        y_train=y[train],
        x_val=x[val].astype(np.float32),
        y_val=y[val],
        standardized=standardize,
        raw_mean=mean,
        raw_std=scale,
        feature_title="standardised pixel intensities" if standardize else "pixel intensities 0-16",
        source="sklearn.datasets.load_digits (UCI optical recognition of handwritten digits)",
    )


def batch_indices(n: int, batch_size: int, steps: int, seed: int) -> np.ndarray:
    """Row indices of every mini-batch of a run, shape (steps, batch_size), int32.

    Epochs are shuffled afresh from the run's seed; each epoch is cut into whole batches (the
    last partial batch is dropped, so every step sees exactly ``batch_size`` rows). A batch as
    large as the training set is full-batch gradient descent: every step sees every row.
    """
    if not 1 <= batch_size <= n:
        raise ValueError(
            f"batch size must be between 1 and {n} (the training set); got {batch_size}."
        )
    if batch_size == n:  # full batch: the order of the rows changes nothing but rounding
        return np.broadcast_to(np.arange(n, dtype=np.int32), (steps, n)).copy()
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    rng = np.random.default_rng(seed)
    rows = np.concatenate([rng.permutation(n)[: per_epoch * batch_size] for _ in range(epochs)])
    return rows[: steps * batch_size].reshape(steps, batch_size).astype(np.int32)
