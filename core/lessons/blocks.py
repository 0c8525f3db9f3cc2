"""Experiment and question blocks: from key-value lines to checked lesson parts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.lessons.blindfold_block import parse_blindfold
from core.lessons.claim_block import PendingSays, parse_claim, parse_says
from core.lessons.model import (
    CLAIMS,
    MODEL_CLAIMS,
    Claim,
    ExperimentBlock,
    LessonError,
    LessonRun,
    ModelBlock,
    Prose,
    Question,
    check_run_reference,
)
from core.lessons.model_block import parse_model
from core.lessons.model_claim_syntax import check_model_claim_target
from core.lessons.syntax import FENCE, ID, closing, key_values
from core.schema.experiment import FIELD, OPTIMIZER_NAMES, ExperimentError, decode

MAX_RUNS = 6  # values of one `vary` line
EXPERIMENT_EXTRA_KEYS = ("caption", "vary")
QUESTION_KEYS = ("experiment", "ask", "choice", "answer", "feedback", "claim")
QUESTION_REPEATED = ("choice", "claim")


@dataclass
class PendingQuestion:
    """A question whose experiment is linked once the whole file has been read."""

    id: str
    line: int
    values: dict
    experiment_id: str = ""
    claims: tuple[Claim, ...] = ()
    choices: tuple[str, ...] = ()
    answer: int = 0

    def resolve(self) -> Question:
        return Question(
            self.id,
            self.line,
            self.experiment_id,
            self.values["ask"][0],
            self.choices,
            self.answer,
            self.values["feedback"][0],
            self.claims,
        )


def body(lines: list[str], start: int, path: Path) -> Iterator:
    prose: list[str] = []
    prose_line = start + 1
    ids: set[str] = set()
    i = start
    counters = {"experiment": 0, "question": 0, "model": 0, "claim": 0, "blindfold": 0}
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            prose.append(lines[i])
            i += 1
            continue
        fence, info = match.group("fence"), match.group("info").split()
        close = closing(lines, i, fence)
        if close is None:
            raise LessonError(path, i + 1, f"this {fence} block is never closed.")
        kind = info[0] if info else ""
        if kind not in counters:
            prose.extend(lines[i : close + 1])  # an ordinary code block stays prose
            i = close + 1
            continue
        if "".join(prose).strip():
            yield Prose("\n".join(prose).strip("\n"), prose_line)
        counters[kind] += 1
        block_id = info[1] if len(info) > 1 else f"{kind[0]}{counters[kind]}"
        if kind == "claim" and len(info) == 1:
            block_id = f"claim{counters[kind]}"  # not "c1": that could be a question's id
        if len(info) > 2 or not ID.match(block_id):
            raise LessonError(
                path,
                i + 1,
                f"a {kind} block's id must be lowercase letters, "
                f"digits and - (at most 40); got {' '.join(info[1:])[:40]!r}.",
            )
        if block_id in ids:
            raise LessonError(path, i + 1, f"the id {block_id!r} is used twice.")
        ids.add(block_id)
        block_lines = lines[i + 1 : close]
        if kind == "experiment":
            yield _experiment(block_id, block_lines, i + 1, path)
        elif kind == "model":
            yield parse_model(block_id, block_lines, i + 1, path)
        elif kind == "claim":
            yield parse_says(block_id, block_lines, i + 1, path)
        elif kind == "blindfold":
            yield parse_blindfold(block_id, block_lines, i + 1, path)
        else:
            yield _question(block_id, block_lines, i + 1, path)
        i = close + 1
        prose, prose_line = [], i + 1
    if "".join(prose).strip():
        yield Prose("\n".join(prose).strip("\n"), prose_line)


def _experiment(block_id: str, body: list[str], line: int, path: Path) -> ExperimentBlock:
    schema = tuple(f.name for f in FIELD.values() if f.group != "view")
    values = key_values(body, line + 1, path, allowed=schema + EXPERIMENT_EXTRA_KEYS, repeated=())
    raw = {k: v for k, (v, _) in values.items() if k not in EXPERIMENT_EXTRA_KEYS}
    if not raw and "vary" not in values:
        raise LessonError(path, line, "an experiment block needs at least one setting.")
    variants: list[tuple[str, dict[str, str], int]] = [("", raw, line)]
    vary = None
    if "vary" in values:
        text, vary_line = values["vary"]
        vary, _, listed = (s.strip() for s in text.partition("="))
        spec = FIELD.get(vary)
        options = [v.strip() for v in listed.split("|")]
        if spec is None or spec.group == "view" or not listed:
            raise LessonError(
                path,
                vary_line,
                "vary must read 'FIELD = value | value | ...' "
                f"with FIELD an experiment setting; got {text[:60]!r}.",
            )
        if vary in raw:
            raise LessonError(path, vary_line, f"{vary} is both set and varied; keep one.")
        if not 2 <= len(options) <= MAX_RUNS or len(set(options)) != len(options):
            raise LessonError(path, vary_line, f"vary needs 2 to {MAX_RUNS} different values.")
        variants = [(f"{vary}={o}", {**raw, vary: o}, vary_line) for o in options]
    runs = []
    for label, mapping, where in variants:
        try:
            experiment, _, _ = decode(mapping, strict=True)
        except ExperimentError as error:
            name = str(error).split()[0]
            bad = values[name][1] if name in values else where
            raise LessonError(path, bad, str(error)) from None
        runs.append(LessonRun(label, experiment))
    caption = values.get("caption", ("", 0))[0]
    return ExperimentBlock(block_id, line, tuple(runs), caption, vary)


def _question(block_id: str, body: list[str], line: int, path: Path) -> PendingQuestion:
    values = key_values(body, line + 1, path, allowed=QUESTION_KEYS, repeated=QUESTION_REPEATED)
    for key in ("ask", "answer", "feedback"):
        if key not in values or not values[key][0]:
            raise LessonError(path, line, f"a question block needs '{key}:'.")
    choices = values.get("choice", [])
    texts = [c for c, _ in choices]
    if not 2 <= len(texts) <= 6 or any(not t for t in texts) or len(set(texts)) != len(texts):
        raise LessonError(path, line, "a question needs 2 to 6 different, non-empty choices.")
    for text, where in choices:  # learners read titles ("SGD", "Adam"), not engine keys
        if text in OPTIMIZER_NAMES:
            raise LessonError(
                path,
                where,
                f"the choice {text!r} is the engine's name for an optimizer; write the name "
                "learners see in the app (its title, as the Optimizer menu shows it).",
            )
    answer_text, answer_line = values["answer"]
    if answer_text not in texts:
        raise LessonError(
            path,
            answer_line,
            f"the answer {answer_text[:60]!r} is not one of "
            "the choices (write it exactly as its choice line).",
        )
    if not values.get("claim"):
        raise LessonError(path, line, "a question needs at least one 'claim:' the engine checks.")
    claims = tuple(parse_claim(text, where, path) for text, where in values["claim"])
    return PendingQuestion(
        block_id,
        line,
        values,
        values.get("experiment", ("", 0))[0],
        claims,
        tuple(texts),
        texts.index(answer_text),
    )


def link_questions(parts: list, blocks: dict, path: Path) -> None:
    """Tie each question to its experiment or model block (named, or the next one), and each
    claim block to its own (named, or the one above it), and check that their claims suit that
    block."""
    for index, part in enumerate(parts):
        if isinstance(part, PendingSays):
            if not part.experiment_id:
                above = [p for p in parts[:index] if isinstance(p, ExperimentBlock | ModelBlock)]
                if not above:
                    raise LessonError(
                        path,
                        part.line,
                        "no experiment or model block comes before this claim block; "
                        "name one with 'about: id'.",
                    )
                part.experiment_id = above[-1].id
        elif not isinstance(part, PendingQuestion):
            continue
        elif not part.experiment_id:
            following = [
                p for p in parts[index + 1 :] if isinstance(p, ExperimentBlock | ModelBlock)
            ]
            if not following:
                raise LessonError(
                    path,
                    part.line,
                    "no experiment or model block follows this question; add "
                    "one after it or name one with 'experiment: id'.",
                )
            part.experiment_id = following[0].id
        block = blocks.get(part.experiment_id)
        if block is None:
            raise LessonError(
                path,
                part.line,
                f"no experiment or model block has the id {part.experiment_id[:40]!r}.",
            )
        for claim in part.claims:
            if isinstance(block, ModelBlock):
                check_model_claim_target(claim, block, path)
            elif claim.kind in MODEL_CLAIMS:
                raise LessonError(
                    path,
                    claim.line,
                    f"{claim.kind} is a claim about a model block, not an experiment.",
                )
            else:
                _check_claim_target(claim, block, path)


def _check_claim_target(claim: Claim, block: ExperimentBlock, path: Path) -> None:
    scope, _ = CLAIMS[claim.kind]
    labels = [r.label for r in block.runs]
    if scope == "compare" and block.vary is None:
        raise LessonError(
            path, claim.line, f"{claim.kind} compares runs: its experiment needs a 'vary:' line."
        )
    check_run_reference(claim, block.vary, labels, path, "experiment")
