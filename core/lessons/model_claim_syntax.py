"""Model claims as written: their arguments by form, and whether they suit their block."""

from __future__ import annotations

from pathlib import Path

from core.lessons.model import (
    MODEL_CLAIMS,
    RULES,
    Claim,
    LessonError,
    ModelBlock,
    check_run_reference,
)
from core.lessons.model_block import CLASSIFIERS


def parse_model_claim(kind: str, args: tuple[str, ...], line: int, run: str, path: Path) -> Claim:
    """A model claim's arguments, checked by their form (the block is checked when linked)."""
    _, form = MODEL_CLAIMS[kind]
    try:
        numbers = [float(a) for a in args]
    except ValueError:
        numbers = []
    if form == "none":
        ok, need = not args, "no argument"
    elif form == "fraction":
        ok, need = len(numbers) == 1 and 0 < numbers[0] < 1, "one number between 0 and 1"
    elif form == "positive":
        ok, need = len(numbers) == 1 and numbers[0] > 0, "one positive number"
    elif form == "rule_range":
        need = f"RULE LO HI with RULE one of {', '.join(RULES)} and 0 < LO < HI"
        try:
            ok = len(args) == 3 and args[0] in RULES and 0 < float(args[1]) < float(args[2])
        except ValueError:
            ok = False
    elif form == "step_range":
        need = "two whole step numbers LO HI with 0 <= LO < HI"
        ok = len(numbers) == 2 and all(n.is_integer() for n in numbers)
        ok = ok and 0 <= numbers[0] < numbers[1]
    else:
        ok, need = len(args) == 1, "one run's value"
    if not ok:
        raise LessonError(path, line, f"{kind} takes {need}; got {' '.join(args)[:60]!r}.")
    return Claim(kind, args, line, run)


def check_model_claim_target(claim: Claim, block: ModelBlock, path: Path) -> None:
    """A model claim must suit its block: its task, its runs, its model."""
    if claim.kind not in MODEL_CLAIMS:
        raise LessonError(
            path, claim.line, f"{claim.kind} is a claim about an experiment, not a model block."
        )
    scope, _ = MODEL_CLAIMS[claim.kind]
    labels = block.labels
    if scope == "range_test":
        if block.task != "range_test":
            raise LessonError(
                path, claim.line, f"{claim.kind} needs a block with task: range_test."
            )
        if claim.run:
            raise LessonError(path, claim.line, f"{claim.kind} is about the range test, not a run.")
        return
    if not block.trains:
        raise LessonError(
            path,
            claim.line,
            f"{claim.kind} is about training, and this range test trains nothing; "
            "add 'compare:' to train at multiples of its suggestion.",
        )
    accuracy = claim.kind.startswith("val_accuracy") or claim.kind == "best_val_accuracy"
    if accuracy and block.model not in CLASSIFIERS:
        raise LessonError(
            path, claim.line, f"{block.model} has no accuracy (it is not a classifier)."
        )
    if scope == "batches":
        if block.vary != "batch_size" or claim.run:
            raise LessonError(
                path, claim.line, f"{claim.kind} needs a block with several batch sizes."
            )
        return
    if scope == "compare" and block.vary is None:
        raise LessonError(
            path, claim.line, f"{claim.kind} compares runs: the block needs several runs."
        )
    check_run_reference(claim, block.vary, labels, path, "block")
