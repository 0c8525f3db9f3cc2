"""Lessons as files: Markdown prose with LaTeX, plus fenced experiment and question blocks.

A lesson is one ``lessons/NN-name.md`` file. It opens with front matter between two ``---``
lines (``title``, ``order``, ``minutes``, ``summary``), then Markdown. Two kinds of fenced
block are special; every other fence stays prose::

    ```question
    ask: Will this run diverge?
    choice: Yes
    choice: No
    answer: Yes
    claim: status diverged
    feedback: With lr = 0.3 and curvature 10, lr x L = 3 > 2, so each step grows the error.
    ```

    ```experiment big-step
    surface: custom
    formula: 5*x^2 + 0.5*y^2
    lr: 0.3
    ```

An experiment block holds the shared experiment schema (`core.schema.experiment.FIELDS`, the same
names as the URL), decoded strictly, plus two lesson-only keys: ``caption`` and ``vary`` (one
field, several values separated by ``|``: the block then runs once per value, drawn together).
A third kind, ``model``, trains a real model of `core.real.models` (a range test or training runs;
see `core.lessons.model_block` and lessons/README.md). A question is about the next experiment
or model block in the file unless it names one (``experiment: id``), and its ``claim`` lines
state the answer in terms the engine can check (`CLAIMS`, `MODEL_CLAIMS`).

Everything here is pure parsing: nothing is simulated. A problem raises `LessonError` naming the
file, the line and the reason; `load_all` turns each broken file into its own error entry.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.lessons.blocks import PendingQuestion, body, link_questions
from core.lessons.claim_block import PendingSays
from core.lessons.model import (
    CLAIMS,
    FLAGS,
    MODEL_CLAIMS,
    STATUSES,
    Claim,
    ExperimentBlock,
    Lesson,
    LessonError,
    LessonRun,
    ModelBlock,
    Prose,
    Question,
    Says,
)
from core.lessons.syntax import ID, front_matter

LESSONS_DIR = Path(__file__).resolve().parent.parent.parent / "lessons"
MAX_FILE_BYTES = 200_000

__all__ = [
    "CLAIMS",
    "FLAGS",
    "STATUSES",
    "Claim",
    "ExperimentBlock",
    "Lesson",
    "LessonError",
    "LessonRun",
    "MODEL_CLAIMS",
    "ModelBlock",
    "Prose",
    "Question",
    "Says",
    "load_all",
    "renamed",
    "parse_file",
    "parse_text",
]


def parse_file(path: Path | str) -> Lesson:
    """Read and parse one lesson file, or raise LessonError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LessonError(path, None, f"cannot be read ({error.strerror}).") from None
    if len(raw) > MAX_FILE_BYTES:
        raise LessonError(path, None, f"is larger than {MAX_FILE_BYTES} bytes.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LessonError(path, line, "is not valid UTF-8 text.") from None
    return parse_text(text, path)


def parse_text(text: str, path: Path | str = "lesson.md") -> Lesson:
    """Parse the text of a lesson; `path` names it (its stem is the slug) in errors."""
    path = Path(path)
    if not ID.match(path.stem):
        raise LessonError(path, None, "the file name must be lowercase letters, digits and -.")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front, body_start = front_matter(lines, path)
    try:
        parts = list(body(lines, body_start, path))
        experiments = {p.id: p for p in parts if isinstance(p, ExperimentBlock)}
        models = {p.id: p for p in parts if isinstance(p, ModelBlock)}
        link_questions(parts, experiments | models, path)
        parts = [p.resolve() if isinstance(p, PendingQuestion | PendingSays) else p for p in parts]
        if not experiments and not models:
            raise LessonError(
                path, None, "has no experiment or model block; every lesson needs one."
            )
        if not any(isinstance(p, Question) for p in parts):
            raise LessonError(path, None, "has no question block; every lesson needs one.")
    except LessonError as error:
        error.title, error.order = front["title"], front["order"]  # the list can still name it
        raise
    return Lesson(
        path.stem, path, parts=tuple(parts), experiments=experiments, models=models, **front
    )


def load_all(directory: Path | str = LESSONS_DIR) -> list[Lesson | LessonError]:
    """Every lesson file in a folder, in teaching order; a broken file becomes its LessonError."""
    entries: list[Lesson | LessonError] = []
    for path in sorted(Path(directory).glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        try:
            entries.append(parse_file(path))
        except LessonError as error:
            entries.append(error)
    return sorted(entries, key=_sort_key)


def _sort_key(entry: Lesson | LessonError) -> tuple[int, str]:
    if isinstance(entry, Lesson):
        return (entry.order, entry.slug)
    if entry.order is not None:
        return (entry.order, entry.slug)
    digits = re.match(r"\d+", entry.slug)  # a broken file keeps the place its name suggests
    return (int(digits.group()) if digits else 10**6, entry.slug)


def renamed(entries: list[Lesson | LessonError]) -> dict[str, str]:
    """Each former address (an alias in a lesson's front matter) -> the lesson's address now.
    A live file name always wins over another lesson's alias."""
    live = {entry.slug for entry in entries}
    return {
        alias: entry.slug
        for entry in entries
        if isinstance(entry, Lesson)
        for alias in entry.aliases
        if alias not in live
    }
