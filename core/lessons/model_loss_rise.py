"""Model claims about the shape of a training curve: does the loss over the whole training set
ever climb back up, and how far?

The rise of a run is the largest ratio, over its measurements, of the training loss to the
lowest training loss measured before it: below 1 when every measurement is lower than all
before it (the loss falls all the way), 2 when at some point it climbs back to twice its best
so far. A spike that then settles (the "catapult" of Lewkowycz et al. 2020) has a rise well
above 1 and a low final loss; the claims ``loss_rise_above X`` and ``loss_rise_below X`` hold
when every seed of the run rises more (less) than ``X``. Full-batch runs are what they are
meant for: with mini-batches the whole-set loss also moves with the batch noise.
"""

from __future__ import annotations

import numpy as np

from core.lessons.claim_result import ClaimResult
from core.lessons.model import Claim

RISE_CLAIMS = ("loss_rise_above", "loss_rise_below")


def loss_rise(train_loss: np.ndarray) -> float:
    """Largest ratio of a measurement to the lowest one before it (0 with one measurement)."""
    loss = np.asarray(train_loss, np.float64)
    if loss.size < 2:
        return 0.0
    best_before = np.minimum.accumulate(loss)[:-1]
    return float(np.max(loss[1:] / best_before))


def check_rise(claim: Claim, run) -> ClaimResult:
    """``run`` is a `core.lessons.model_runs.ModelRun`; the claim must hold for every seed."""
    threshold = float(claim.args[0])
    rises = [loss_rise(r.train_loss) for r in run.results]
    above = claim.kind == "loss_rise_above"
    holds = all((x > threshold) if above else (x < threshold) for x in rises)
    shown = ", ".join(f"{x:.3g}" for x in rises)
    detail = f"the training loss rose to {shown} times its lowest before (rate {run.lr:.4g})"
    return ClaimResult(claim, holds, detail)
