"""The sentences that say what the other charts show (the valley maps' are in ui/a11y.py):
the sweep's U-curve and search duel, the class's answers, the blindfold walk, the real
models. Each is built from the data its chart draws, numbers formatted as the page shows
them; `ui.a11y.describe(text)` puts it, hidden from sight, just before the chart."""

from __future__ import annotations

import math

import numpy as np

from core.catalog.range_test import RULE_TITLES
from core.catalog.statuses import status_word, step_phrase
from core.valley.compare import score
from ui.a11y import point


def outcome_words(outcome) -> str:
    """An engine outcome in words: "converged at step 312"."""
    return status_word(outcome.status) + step_phrase(outcome.status, outcome.step)


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


# The sweep page.
def sweep_text(lrs, results: dict, titles: dict) -> str:
    """The U-curve: per optimizer its best rate and that rate's final loss, and the lowest
    rate at which a run diverges (`results`: optimizer -> the sweep's final_loss, status)."""
    lrs = np.asarray(lrs, dtype=np.float64)
    parts = []
    for name, result in results.items():
        scores = score(result)
        if np.all(np.isinf(scores)):
            said = "every rate diverges"
        else:
            best = int(np.argmin(scores))
            said = f"best rate {lrs[best]:.4g}, final loss {scores[best]:.4g}"
        diverged = lrs[np.asarray(result["status"]) == "diverged"]
        said += (
            f"; runs diverge from rate {diverged.min():.4g}"
            if diverged.size
            else "; no rate diverges"
        )
        parts.append(f"{titles[name]}: {said}")
    return (
        f"U-curve of the final loss against the learning rate, {lrs.size} rates from "
        f"{lrs.min():g} to {lrs.max():g}. " + ". ".join(parts) + "."
    )


def search_text(searches, rates: int) -> str:
    """The search duel: what each search picks, and the dense sweep's best (`searches`: the
    grid's and the random search's results, `core.valley.compare.Search`)."""
    picks = "; ".join(
        f"{s.name} picks rate {s.pick_lr:.4g}, final loss {s.pick_score:.4g}" for s in searches
    )
    best = searches[0]
    return (
        f"Loss against the learning rate for the dense sweep of {rates} rates and the rates "
        f"two searches tried: {picks}. The dense sweep's best: rate {best.best_lr:.4g}, final "
        f"loss {best.best_score:.4g}."
    )


# The class's live histogram (the instructor's projector only).
def answers_text(title: str, options, counts, right: str | None = None, said: str = "") -> str:
    """The answers' bars: the count of each option; after the reveal (`right` given) the right
    answer and the class's accuracy (`said`). Before it, nothing about which is right."""
    bars = "; ".join(f"{option}: {int(n)}" for option, n in zip(options, counts, strict=True))
    text = f"Bar chart, {title}. {bars}."
    if right is not None:
        text += f" Right answer: {right}, {said}."
    return text


# The blindfold walk: only what the walker knows until the reveal.
_COMPASS = (
    "right",
    "up and to the right",
    "up",
    "up and to the left",
    "left",
    "down and to the left",
    "down",
    "down and to the right",
)


def downhill_word(grad) -> str | None:
    """The way the slope arrow points (against the gradient), in eight directions of the
    page's x (right) and y (up); None on flat ground."""
    gx, gy = float(grad[0]), float(grad[1])
    if not (math.isfinite(gx) and math.isfinite(gy)) or gx == gy == 0:
        return None
    angle = math.degrees(math.atan2(-gy, -gx)) % 360
    return _COMPASS[int((angle + 22.5) // 45) % 8]


def feel_text(point, loss: float, grad, steps: int) -> str:
    """The arrow chart: where you stand, which way is downhill, how steep."""
    way = downhill_word(grad)
    slope = math.hypot(float(grad[0]), float(grad[1]))
    arrow = (
        f"the slope arrow points {way} (downhill), steepness {slope:.4g}"
        if way
        else "the ground is flat here: no arrow"
    )
    return (
        f"Downhill from here: after {_steps(steps)} you stand at "
        f"({float(point[0]):.4g}, {float(point[1]):.4g}), loss {loss:.4g}; {arrow}."
    )


def loss_text(losses, target: float | None) -> str:
    """The loss-so-far chart: from the start's loss to the last, and the goal line."""
    first, last = float(losses[0]), float(losses[-1])
    goal = f"; the goal is a loss of {target:.4g} or less" if target is not None else ""
    return (
        f"Loss so far, by step: {first:.4g} at the start, {last:.4g} after "
        f"{_steps(len(losses) - 1)}{goal}."
    )


def reveal_text(points, steps: int, ref) -> str:
    """The revealed valley: your path, and gradient descent's at the best fixed rate (`ref`:
    `core.valley.blindfold.reference`'s result, None if no fixed rate reaches the bottom)."""
    text = (
        f"The valley revealed: your path of {_steps(steps)} from {point(points[0])} "
        f"to {point(points[-1])}"
    )
    if ref is None:
        return text + "; no fixed rate reaches the bottom from this start."
    theirs = "does not reach the bottom" if ref.steps is None else f"takes {_steps(ref.steps)}"
    return text + f"; gradient descent at the best fixed rate {ref.rate:.4g} {theirs}."


# The real models.
def valley_text(standardize: bool, lr: float, outcome, batch: int, seeds: int, blown: int) -> str:
    """The straight line's valley: full-batch descent's verdict, the mini-batch clouds."""
    feature = "standardised" if standardize else "raw"
    blew = f", {blown} of them blew up" if blown else ""
    return (
        f"Map of the straight line's loss over slope w and intercept b ({feature} body-mass "
        f"index): full-batch gradient descent at learning rate {lr:g}: "
        f"{outcome_words(outcome)}; {seeds} mini-batch runs with batches of {batch}{blew}."
    )


def noise_text(batches, study: dict) -> str:
    """The batch-noise chart: the loss above the minimum per batch size, at each rate."""
    lines = []
    for rate, values in study.items():
        cells = ", ".join(
            f"batch {b} {'blew up' if v is None else f'{v:.3g}'}"
            for b, v in zip(batches, values, strict=True)
        )
        lines.append(f"at η = {rate:.3g}: {cells}")
    return "Loss above the minimum against the batch size, " + "; ".join(lines) + "."


def range_test_text(lr, suggestions: dict, note: str | None = None) -> str:
    """The range test: the loss as the rate grows, and each rule's suggested rate."""
    text = f"Range test: the loss as the learning rate grows from {lr[0]:.3g} to {lr[-1]:.3g}"
    if note:
        return text + f". {note}"
    rules = "; ".join(f"{t} {suggestions[name].lr:.3g}" for name, t in RULE_TITLES.items())
    return text + f". Suggested rates: {rules}."


def training_text(curves) -> str:
    """Training curves (`figures.real.model.RunCurves`): each run's final training loss."""
    ends = "; ".join(
        f"{c.label}: "
        + (
            f"blew up at step {c.diverged_at}"
            if c.diverged_at is not None
            else f"final training loss {float(c.train_loss[-1]):.3g}"
        )
        for c in curves
    )
    return f"Training and validation loss by step. {ends}."


def clouds_text(labels) -> str:
    """A lesson's straight-line valley: one cloud of mini-batch paths per run."""
    return (
        "Map of the straight line's loss over slope w and intercept b (standardised), with "
        "the paths of " + "; ".join(labels) + "."
    )


def landscape_text(span: float, center_loss: float, labels, shadows) -> str:
    """The 2D slice and the paths' shadows on it, from start to end."""
    paths = "; ".join(
        f"{label} from {point(s.coords[0])} to {point(s.coords[-1])}"
        for label, s in zip(labels, shadows, strict=True)
    )
    return (
        "A 2D slice of the loss through the weights trained at the suggested rate, α and β "
        f"from −{span:g} to {span:g}, loss {center_loss:.3g} at the centre; the paths drawn "
        f"on it (α, β): {paths}."
    )
