"""Check a model block's claims against what the engine trained (`model_runs.run_model_block`)."""

from __future__ import annotations

import numpy as np

from core.lessons.claim_result import ClaimResult
from core.lessons.model import Claim, ModelBlock, Question
from core.lessons.model_curve_claims import CURVE_CLAIMS, check_curve_claim
from core.lessons.model_loss_rise import RISE_CLAIMS, check_rise
from core.lessons.model_runs import ModelOutcome, run_model_block


def check_model_question(
    question: Question, block: ModelBlock, factor: float = 1.0, seed_offset: int = 0
) -> list[ClaimResult]:
    outcome = run_model_block(block, factor=factor, seed_offset=seed_offset)
    return [check_model_claim(claim, block, outcome) for claim in question.claims]


def check_model_claim(claim: Claim, block: ModelBlock, outcome: ModelOutcome) -> ClaimResult:
    kind = claim.kind
    if kind == "suggestion_between":
        rule, lo, hi = claim.args[0], float(claim.args[1]), float(claim.args[2])
        picked = outcome.range_test.suggestions[rule]
        if picked is None:
            return ClaimResult(claim, False, f"no {rule} suggestion: {outcome.range_test.note}")
        return ClaimResult(
            claim, lo <= picked.lr <= hi, f"the {rule} rule suggests {picked.lr:.4g}"
        )
    if not outcome.runs:
        return ClaimResult(claim, False, "the range test gave no suggestion to train with")
    if kind in ("best_val_accuracy", "lowest_val_loss"):
        return _compare(claim, block, outcome)
    if kind == "smaller_batch_noisier":
        runs = sorted(outcome.runs, key=lambda r: r.batch_size)
        said = ", ".join(f"batch {r.batch_size}: {r.jitter:.3g}" for r in runs)
        if any(r.diverged for r in runs):
            return ClaimResult(claim, False, f"a run blew up ({said})")
        noise = [r.jitter for r in runs]
        holds = all(a > b for a, b in zip(noise, noise[1:], strict=False))
        return ClaimResult(claim, holds, f"jitter of the training loss: {said}")
    run = outcome.run(claim.run)
    seeds = len(run.results)
    blew = f"{run.diverged} of {seeds} seed{'s' if seeds > 1 else ''} blew up"
    if kind == "diverges":
        return ClaimResult(claim, run.diverged == seeds, blew)
    if kind == "trains":
        return ClaimResult(claim, run.diverged == 0, blew)
    if kind in RISE_CLAIMS:
        return check_rise(claim, run)
    if run.diverged:
        return ClaimResult(claim, False, blew)
    if kind in CURVE_CLAIMS:
        return check_curve_claim(claim, run)
    threshold = float(claim.args[0])
    value, what = {
        "val_accuracy": (run.val_accuracy, "held-out accuracy"),
        "train_loss": (run.train_loss, "training loss"),
        "val_loss": (run.val_loss, "validation loss"),
    }[kind.rpartition("_")[0]]
    holds = value > threshold if kind.endswith("above") else value < threshold
    return ClaimResult(claim, holds, f"final {what} {value:.4g} at rate {run.lr:.4g}")


def _compare(claim: Claim, block: ModelBlock, outcome: ModelOutcome) -> ClaimResult:
    scores = {}
    for run in outcome.runs:
        value = run.label.partition("=")[2]
        if run.diverged:
            scores[value] = np.inf
        elif claim.kind == "best_val_accuracy":
            scores[value] = -run.val_accuracy
        else:
            scores[value] = run.val_loss
    best = claim.args[0]
    holds = bool(
        np.isfinite(scores[best]) and all(scores[best] < s for v, s in scores.items() if v != best)
    )
    sign = -1 if claim.kind == "best_val_accuracy" else 1
    shown = ", ".join(
        f"{v}: {'blew up' if not np.isfinite(s) else f'{sign * s:.4g}'}" for v, s in scores.items()
    )
    return ClaimResult(claim, holds, f"{claim.kind.replace('_', ' ')}: {shown}")
