"""The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
WACV 2017), in the form fastai's ``Learner.lr_find`` made popular.

Train for ``num_steps`` mini-batches while the rate grows exponentially from ``start_lr`` to
``end_lr``: :math:`\\eta_i = \\eta_0 (\\eta_1/\\eta_0)^{i/(N-1)}`. Record each batch's loss and
its debiased exponential moving average (beta = 0.98):
:math:`a_i = \\beta a_{i-1} + (1-\\beta)\\ell_i`, :math:`s_i = a_i / (1-\\beta^{i+1})`.
Stop as soon as :math:`s_i` exceeds 4 times the best :math:`s` so far (the loss is blowing up)
or a loss is not finite. The model's weights are left as they were: the test is a probe, not
training (in JAX nothing is mutated; the result hands back the initial weights, and training
afterwards starts from them exactly).

Three suggestions are read off the smoothed curve, as fastai does (``fastai/callback/
schedule.py``: ``steep``, ``minimum``, ``valley``; ``lr_find`` first drops the first
``num_steps // 10`` points and the last 5, and everything from the first NaN on):

- **steepest**: the rate where the smoothed loss falls fastest per unit of log rate,
  ``argmin diff(s) / diff(log lr)`` (the left end of the steepest segment).
- **minimum**: one tenth of the rate at the lowest smoothed loss, comfortably before the blow-up.
- **valley**: the longest strictly decreasing run of the curve (fastai's O(n^2) longest
  decreasing subsequence, ``lds``), then the point about half-way into it
  (``start + int(len/3) + int(len/6)``), reproduced with fastai's own index arithmetic.

One difference from fastai, on purpose: its ramp is ``start * (end/start) ** (i / num_it)`` and
never reaches ``end_lr``; here the last step uses exactly ``end_lr``, as the page promises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.catalog.range_test import RULES
from core.real import training_kernel
from core.real.data import batch_indices
from core.real.models import Model

BETA = 0.98
STOP_FACTOR = 4.0
DROP_END = 5  # fastai's lr_find drops the last 5 points before suggesting


@dataclass(frozen=True)
class Suggestion:
    lr: float  # the suggested rate
    mark_lr: float  # where to mark it on the curve (for "minimum": the minimum itself)
    mark_loss: float  # the smoothed loss there


@dataclass(frozen=True)
class RangeTest:
    lr: np.ndarray  # rates of the steps recorded (up to and including the stop)
    loss: np.ndarray  # each step's mini-batch loss, before its update
    smoothed: np.ndarray  # debiased EMA of ``loss``
    suggestions: dict[str, Suggestion | None]  # steepest, minimum, valley
    stopped_at: int | None  # last step recorded if the test ended early (blow-up), else None
    num_steps: int
    params: object  # the weights the test started from, to train from next
    note: str  # why suggestions are missing, or ""

    def to_json(self) -> dict:
        return {
            "lr": self.lr.tolist(),
            "loss": self.loss.tolist(),
            "smoothed": self.smoothed.tolist(),
            "suggestions": {k: (None if s is None else s.lr) for k, s in self.suggestions.items()},
            "stopped_at": self.stopped_at,
            "num_steps": self.num_steps,
            "note": self.note,
        }


def ramp(start_lr: float, end_lr: float, num_steps: int) -> np.ndarray:
    """Exponentially spaced rates from start_lr to end_lr inclusive, (num_steps,) float64."""
    return start_lr * (end_lr / start_lr) ** (np.arange(num_steps) / max(num_steps - 1, 1))


def smooth(losses: np.ndarray, beta: float = BETA) -> np.ndarray:
    """The debiased exponential moving average (as torch-lr-finder and fastai compute it)."""
    out = np.empty(len(losses))
    avg = 0.0
    for i, value in enumerate(losses):
        avg = beta * avg + (1 - beta) * float(value)
        out[i] = avg / (1 - beta ** (i + 1))
    return out


def stop_index(smoothed: np.ndarray, factor: float = STOP_FACTOR) -> int | None:
    """The first step whose smoothed loss is above ``factor`` times the best one so far."""
    best = np.inf
    for i, value in enumerate(smoothed):
        best = min(best, value)
        if value > factor * best:
            return i
    return None


def steepest(lrs: np.ndarray, losses: np.ndarray) -> Suggestion:
    slopes = np.diff(losses) / np.diff(np.log(lrs))
    i = int(np.argmin(slopes))
    return Suggestion(float(lrs[i]), float(lrs[i]), float(losses[i]))


def minimum(lrs: np.ndarray, losses: np.ndarray) -> Suggestion:
    i = int(np.argmin(losses))
    return Suggestion(float(lrs[i]) / 10, float(lrs[i]), float(losses[i]))


def valley(lrs: np.ndarray, losses: np.ndarray) -> Suggestion:
    losses = np.asarray(losses)
    n = len(losses)
    lds = np.ones(n, np.int64)  # longest strictly decreasing subsequence ending at each point
    max_start = max_end = 0
    for i in range(1, n):
        # fastai grows lds[i] over j = 0..i-1 and, inside that loop, moves the valley's end to
        # i the first time lds[i] beats the best so far, taking its start from lds[i] *at that
        # moment*. The running maximum replays that loop, quirk included, in NumPy.
        running = np.maximum.accumulate(np.where(losses[:i] > losses[i], lds[:i] + 1, 1))
        lds[i] = running[-1]
        if lds[i] > lds[max_end]:
            first = int(np.argmax(running > lds[max_end]))
            max_end, max_start = i, i - int(running[first])
    sections = (max_end - max_start) / 3
    # fastai would wrap a negative index to the end of the curve; clamp it to the start instead.
    i = max(max_start + int(sections) + int(sections / 2), 0)
    return Suggestion(float(lrs[i]), float(lrs[i]), float(losses[i]))


# The catalog's rules, in its order, each computed here.
_RULE = {"steepest": steepest, "minimum": minimum, "valley": valley}
SUGGESTERS = {name: _RULE[name] for name in RULES}


def suggest(lrs: np.ndarray, smoothed: np.ndarray, num_steps: int) -> tuple[dict, str]:
    """The three suggestions from a recorded curve, with fastai's trimming; (dict, note)."""
    lo, hi = num_steps // 10, len(smoothed) - DROP_END
    window_lr, window = np.asarray(lrs[lo:hi]), np.asarray(smoothed[lo:hi])
    bad = ~np.isfinite(window)
    if bad.any():
        cut = int(np.argmax(bad))
        window_lr, window = window_lr[:cut], window[:cut]
    if len(window) < 3:
        note = (
            f"The loss blew up after {len(smoothed)} of {num_steps} steps, too early to read a "
            "suggestion: lower the start rate or take more steps."
        )
        return {name: None for name in SUGGESTERS}, note
    return {name: fn(window_lr, window) for name, fn in SUGGESTERS.items()}, ""


def lr_find(
    model: Model,
    optimizer: str = "sgd",
    *,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_steps: int = 100,
    batch_size: int | None = None,
    seed: int = 0,
    hyper: dict[str, float] | None = None,
    params=None,
) -> RangeTest:
    """Run the range test on ``model`` from ``params`` (default: ``model.init(seed)``)."""
    if not (0 < start_lr < end_lr):
        raise ValueError(f"Need 0 < start_lr < end_lr; got {start_lr:g} and {end_lr:g}.")
    if not 2 <= num_steps <= training_kernel.MAX_STEPS:
        raise ValueError(
            f"num_steps must be between 2 and {training_kernel.MAX_STEPS}; got {num_steps}."
        )
    batch = model.default_batch_size if batch_size is None else int(batch_size)
    params = model.init(seed) if params is None else params
    lrs = ramp(float(start_lr), float(end_lr), int(num_steps))
    rows = batch_indices(model.data.n_train, batch, num_steps, seed)
    records, _ = training_kernel.run_many(
        model, optimizer, lrs[None], rows[None], [params], hyper, evaluate=False
    )
    raw = records["batch_loss"][0].astype(np.float64)
    finite = np.isfinite(raw)
    n = int(np.argmin(finite)) if not finite.all() else len(raw)
    smoothed = smooth(raw[:n])
    stop = stop_index(smoothed)
    keep = n if stop is None else stop + 1
    stopped_at = keep - 1 if keep < num_steps else None
    suggestions, note = suggest(lrs[:keep], smoothed[:keep], num_steps)
    return RangeTest(
        lr=lrs[:keep],
        loss=raw[:keep],
        smoothed=smoothed[:keep],
        suggestions=suggestions,
        stopped_at=stopped_at,
        num_steps=int(num_steps),
        params=params,
        note=note,
    )
