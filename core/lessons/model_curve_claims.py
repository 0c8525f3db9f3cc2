"""Model claims on the shape of a run's validation curve (`core.lessons.model_runs` calls them):
where it is lowest (overfitting: it bottoms, then rises), how far it rises by the end, and where
it ends against where it started (a warm start: the pretrained weights' own loss)."""

from __future__ import annotations

import numpy as np

from core.lessons.claim_result import ClaimResult
from core.lessons.model import Claim

CURVE_CLAIMS = (
    "val_loss_lowest_between",
    "val_loss_rises_by",
    "val_loss_below_start",
    "val_loss_above_start",
)


def check_curve_claim(claim: Claim, run) -> ClaimResult:
    """Claims on the shape of the validation curve: where it is lowest, how far it rises from
    there by the end, and where it ends against where it started. Averaged over seeds."""
    seeds = len(run.results)
    lowest = run.mean(lambda r: r.eval_steps[int(np.argmin(r.val_loss))])
    low = run.mean(lambda r: np.min(r.val_loss))
    start, end = run.mean(lambda r: r.val_loss[0]), run.val_loss
    said = (
        f"validation loss {start:.4g} at the start, lowest {low:.4g} at step {lowest:.0f}, "
        f"{end:.4g} at the end ({seeds} seed{'s' if seeds > 1 else ''})"
    )
    if claim.kind == "val_loss_lowest_between":
        holds = float(claim.args[0]) <= lowest <= float(claim.args[1])
    elif claim.kind == "val_loss_rises_by":
        holds = end - low > float(claim.args[0])
    elif claim.kind == "val_loss_below_start":
        holds = end < start
    else:
        holds = end > start
    return ClaimResult(claim, bool(holds), said)
