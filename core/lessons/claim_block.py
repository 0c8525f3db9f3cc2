"""Claims: one checkable statement about a run (`parse_claim`), and claim blocks, the prose that
states what a run shows, with the claims that make it true (`parse_says`)::

    ```claim
    about: race
    says: Momentum arrives first; plain gradient descent is still far from the bottom.
    claim: fastest momentum
    claim: status too_slow for optimizer=sgd
    ```

``about`` names the experiment or model block (default: the nearest one above); ``says`` is
Markdown, shown as prose. A claim block is checked by the test suite like a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.lessons.model import CLAIMS, MODEL_CLAIMS, Claim, LessonError, Says
from core.lessons.model_claim_syntax import parse_model_claim
from core.lessons.syntax import key_values

SAYS_KEYS = ("about", "says", "claim")


@dataclass
class PendingSays:
    """A claim block whose experiment is linked once the whole file has been read."""

    id: str
    line: int
    text: str
    claims: tuple[Claim, ...]
    experiment_id: str = ""

    def resolve(self) -> Says:
        return Says(self.id, self.line, self.experiment_id, self.text, self.claims)


def parse_says(block_id: str, body: list[str], line: int, path: Path) -> PendingSays:
    values = key_values(body, line + 1, path, allowed=SAYS_KEYS, repeated=("claim",))
    if not values.get("says", ("", 0))[0]:
        raise LessonError(path, line, "a claim block needs 'says:', the sentence it checks.")
    if not values.get("claim"):
        raise LessonError(path, line, "a claim block needs at least one 'claim:'.")
    claims = tuple(parse_claim(text, where, path) for text, where in values["claim"])
    about = values.get("about", ("", 0))[0]
    return PendingSays(block_id, line, values["says"][0], claims, about)


def parse_claim(text: str, line: int, path: Path) -> Claim:
    words = text.split()
    run = ""
    if len(words) >= 3 and words[-2] == "for":
        run, words = words[-1], words[:-2]
    if not words or words[0] not in {**CLAIMS, **MODEL_CLAIMS}:
        raise LessonError(
            path,
            line,
            f"unknown claim {text[:60]!r}; a claim starts with one of "
            f"{', '.join(CLAIMS)} (experiments) or {', '.join(MODEL_CLAIMS)} (model blocks).",
        )
    kind, args = words[0], tuple(words[1:])
    if kind in MODEL_CLAIMS:
        return parse_model_claim(kind, args, line, run, path)
    _, allowed = CLAIMS[kind]
    need = _ARGUMENTS.get(allowed)
    if need is not None:
        try:
            ok = need[1](tuple(float(a) for a in args))
        except (ValueError, IndexError):
            ok = False
        if not ok:
            raise LessonError(path, line, f"{kind} needs {need[0]}.")
    elif len(args) != 1 or (allowed is not None and args[0] not in allowed):
        options = f"one of {', '.join(allowed)}" if allowed else "one run's value"
        raise LessonError(path, line, f"{kind} takes {options}; got {' '.join(args)[:60]!r}.")
    return Claim(kind, args, line, run)


# Numeric claim arguments: what they must be, and the test of them.
_ARGUMENTS = {
    "range": ("two rates LO HI with 0 < LO < HI", lambda a: len(a) == 2 and 0 < a[0] < a[1]),
    "steps": (
        "two whole step numbers LO HI with 0 <= LO <= HI",
        lambda a: len(a) == 2 and all(v.is_integer() for v in a) and 0 <= a[0] <= a[1],
    ),
    "number": ("one number", lambda a: len(a) == 1),
    "point_radius": ("a point and a radius, X Y R with R > 0", lambda a: len(a) == 3 and a[2] > 0),
}
