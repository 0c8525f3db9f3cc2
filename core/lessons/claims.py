"""Check a question's claims against the engine: the lesson's stated answer must be what runs.

`check_question` simulates the question's experiment (every run of a ``vary`` block) and says,
claim by claim, whether it holds and what the engine computed. `scale_rates` moves every
learning rate of an experiment by a factor, so a test can show that a claim is not on a knife
edge. This module imports the engine (JAX); the parser in `core.lessons` does not.
"""

from __future__ import annotations

import numpy as np

from core.lessons.blindfold_block import BlindfoldBlock
from core.lessons.claim_result import ClaimResult
from core.lessons.model import Claim, ExperimentBlock, Lesson, LessonError, Question
from core.schema.experiment import FIELD, Experiment

# Settings that are learning rates: scaled together by `scale_rates`.
RATE_FIELDS = ("base_lr", "max_lr", "eta_min")


def scale_rates(exp: Experiment, factor: float) -> Experiment:
    """The same experiment with its rate (and any schedule rates) multiplied by `factor`."""
    args = dict(exp.schedule_args)
    for name in RATE_FIELDS:
        if isinstance(args.get(name), int | float):
            args[name] = min(args[name] * factor, FIELD[name].hi)
    lr = min(max(exp.lr * factor, FIELD["lr"].lo), FIELD["lr"].hi)
    return exp.replace(lr=lr, schedule_args=args)


def check_runnable(lesson: Lesson) -> None:
    """Raise LessonError (at the block's line) for an experiment the engine cannot run: an
    unknown surface, a bad formula, a start outside the surface, a bad schedule argument, a
    model block's batch larger than its training set."""
    from core.valley.resolver import resolve

    for block in lesson.experiments.values():
        for run in block.runs:
            try:
                resolve(run.experiment)
            except ValueError as error:
                where = f" ({run.label})" if run.label else ""
                raise LessonError(lesson.path, block.line, f"{error}{where}") from None
    for part in lesson.parts:  # a blindfold block's walk must start on its surface too
        if isinstance(part, BlindfoldBlock):
            try:
                resolve(part.experiment)
            except ValueError as error:
                raise LessonError(lesson.path, part.line, str(error)) from None
    if lesson.models:
        from core.lessons.model_runs import check_model_runnable

        check_model_runnable(lesson)


def simulate_block(block: ExperimentBlock, factor: float = 1.0) -> dict:
    """Every run of an experiment block, by label ('' for a single run)."""
    from core.valley.simulation import simulate

    return {r.label: simulate(scale_rates(r.experiment, factor)) for r in block.runs}


def check_question(question: Question, block: ExperimentBlock, factor: float = 1.0):
    """Each of the question's claims, checked against fresh runs of its experiment."""
    runs = simulate_block(block, factor)
    return [check_claim(claim, block, runs) for claim in question.claims]


def check_claim(claim: Claim, block: ExperimentBlock, runs: dict) -> ClaimResult:
    kind = claim.kind
    if kind in ("fastest", "lowest_final_loss", "longest_first_step"):
        return _compare(claim, block, runs)
    run = runs[claim.run]
    outcome = run.outcome
    said = f"the engine says {outcome.status}" + (
        f" with flags {', '.join(outcome.flags)}" if outcome.flags else ""
    )
    if kind == "status":
        return ClaimResult(claim, outcome.status == claim.args[0], said)
    if kind in ("flag", "no_flag"):
        present = claim.args[0] in outcome.flags
        return ClaimResult(claim, present == (kind == "flag"), said)
    if kind == "ends_in":
        m = outcome.minimum
        settled = outcome.status == "converged" and m is not None
        want_global = claim.args[0] == "global"
        where = f" at ({m.x:.3g}, {m.y:.3g}), global={m.is_global}" if m is not None else ""
        return ClaimResult(claim, settled and m.is_global == want_global, said + where)
    if kind == "diverges_at_lr":
        lo, hi = (float(a) for a in claim.args)
        if run.diverged_at is None:
            return ClaimResult(claim, False, said)
        rate = _rate_at(run, run.diverged_at)
        detail = f"it diverged at step {run.diverged_at}, where the rate was {rate:.4g}"
        return ClaimResult(claim, lo <= rate <= hi, detail)
    if kind == "best_loss_at_lr":
        lo, hi = (float(a) for a in claim.args)
        lowest = int(np.argmin(run.loss))
        rate = _rate_at(run, lowest)
        detail = f"the loss was lowest at step {lowest}, where the rate was {rate:.4g}"
        return ClaimResult(claim, lo <= rate <= hi, detail)
    if kind == "converges_between":
        lo, hi = (int(float(a)) for a in claim.args)
        done = outcome.status == "converged"
        detail = said + (f" at step {outcome.step}" if done else "")
        return ClaimResult(claim, done and lo <= outcome.step <= hi, detail)
    if kind in ("final_loss_below", "final_loss_above"):
        last = float(run.loss[-1])
        holds = (
            last < float(claim.args[0]) if kind.endswith("below") else last > float(claim.args[0])
        )
        return ClaimResult(claim, bool(np.isfinite(last) and holds), f"the last loss is {last:.4g}")
    if kind in ("ends_near", "passes_within", "never_within"):
        x, y, radius = (float(a) for a in claim.args)
        distance = np.hypot(run.path[:, 0] - x, run.path[:, 1] - y)
        if kind == "ends_near":
            return ClaimResult(
                claim, bool(distance[-1] <= radius), f"it ends {distance[-1]:.3g} from there"
            )
        nearest = int(np.nanargmin(distance))
        detail = f"it comes closest ({distance[nearest]:.3g}) at step {nearest}"
        close = bool(distance[nearest] <= radius)
        return ClaimResult(claim, close == (kind == "passes_within"), detail)
    raise ValueError(f"unknown claim kind {kind!r}")


def _rate_at(run, step: int) -> float:
    """The (scheduled) rate of step `step`, even when the run stopped before it."""
    if step < len(run.lr):
        return float(run.lr[step])
    from core.schedules import lr_curve

    exp = run.experiment
    curve = np.asarray(lr_curve(exp.schedule, exp.lr, exp.steps, **run.resolved.schedule_args))
    return float(curve[min(step, len(curve) - 1)])


def _compare(claim: Claim, block: ExperimentBlock, runs: dict) -> ClaimResult:
    scores = {}
    for label, run in runs.items():
        value = label.partition("=")[2]
        if claim.kind == "fastest":
            done = run.outcome.status == "converged"
            scores[value] = run.outcome.step if done else np.inf
        elif claim.kind == "lowest_final_loss":
            scores[value] = np.inf if run.diverged_at is not None else float(run.loss[-1])
        else:  # longest first step: a run that blew up at once took an endless step
            first = np.linalg.norm(run.path[1] - run.path[0]) if len(run.path) > 1 else np.inf
            scores[value] = -first
    best = claim.args[0]
    others = [s for v, s in scores.items() if v != best]
    holds = bool(np.isfinite(scores[best]) and all(scores[best] < s for s in others))
    if claim.kind == "longest_first_step":
        holds = bool(all(scores[best] < s for s in others))
        shown = {v: -s for v, s in scores.items()}
    else:
        shown = scores
    detail = ", ".join(f"{v}: {s:.4g}" for v, s in shown.items())
    return ClaimResult(claim, holds, f"{claim.kind.replace('_', ' ')}: {detail}")
