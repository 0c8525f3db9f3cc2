"""The low-level syntax of a lesson file: front matter, strict key-value lines, fences."""

from __future__ import annotations

import re
from pathlib import Path

from core.lessons.model import LessonError

FRONT_KEYS = ("title", "order", "minutes", "summary")  # required
# Optional: the lesson's former addresses, space-separated (a renamed file keeps its old links
# and the progress learners made under its old name).
OPTIONAL_FRONT_KEYS = ("aliases",)
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")


def front_matter(lines: list[str], path: Path) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        raise LessonError(
            path,
            1,
            "must start with front matter: a line '---', then title, "
            "order, minutes and summary, then '---'.",
        )
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise LessonError(path, 1, "the front matter is never closed by a line '---'.")
    values = key_values(
        lines[1:end], 2, path, allowed=FRONT_KEYS + OPTIONAL_FRONT_KEYS, repeated=()
    )
    missing = [k for k in FRONT_KEYS if k not in values]
    if missing:
        raise LessonError(path, 1, f"the front matter lacks {', '.join(missing)}.")
    front = {k: v for k, (v, _) in values.items()}
    for key, lo, hi in (("order", 0, 999), ("minutes", 1, 120)):
        value, line = values[key]
        if not re.fullmatch(r"\d{1,3}", value) or not lo <= int(value) <= hi:
            raise LessonError(
                path, line, f"{key} must be a whole number from {lo} to {hi}; got {value[:40]!r}."
            )
        front[key] = int(value)
    front["aliases"] = _aliases(*values.get("aliases", ("", 1)), path)
    return front, end + 1


def _aliases(text: str, line: int, path: Path) -> tuple[str, ...]:
    names = tuple(text.split())
    for name in names:
        if not ID.match(name):
            raise LessonError(
                path, line, f"an alias must be lowercase letters, digits and -; got {name[:40]!r}."
            )
    if path.stem in names or len(set(names)) < len(names):
        raise LessonError(path, line, "the aliases must differ from each other and the file name.")
    return names


def key_values(
    lines: list[str], first: int, path: Path, allowed: tuple[str, ...], repeated: tuple[str, ...]
) -> dict[str, tuple]:
    """Strict ``key: value`` lines. An indented line continues the value above it (a blank line
    inside a continued value is a paragraph break); ``#`` starts a comment line. A repeated key
    maps to a list of (value, line) pairs; any other key maps to one (value, line) pair."""
    out: dict[str, tuple | list] = {}
    last: tuple[str, int] | None = None  # the key being continued, and its index in a list
    blank = False
    for offset, text in enumerate(lines):
        number = first + offset
        if not text.strip():
            blank = last is not None
            continue
        if text[0] in " \t":
            if last is None:
                raise LessonError(path, number, "an indented line must continue a value.")
            key, index = last
            value, line = out[key][index] if key in repeated else out[key]
            joined = value + ("\n\n" if blank else "\n") + text.strip()
            if key in repeated:
                out[key][index] = (joined, line)
            else:
                out[key] = (joined, line)
            blank = False
            continue
        blank = False
        if text.lstrip().startswith("#"):
            last = None
            continue
        key, sep, value = text.partition(":")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise LessonError(path, number, f"expected 'key: value'; got {text.strip()[:60]!r}.")
        if key not in allowed:
            raise LessonError(
                path, number, f"unknown key {key!r}; expected one of {', '.join(allowed)}."
            )
        if key in repeated:
            out.setdefault(key, []).append((value.strip(), number))
            last = (key, len(out[key]) - 1)
        elif key in out:
            raise LessonError(path, number, f"{key!r} is given twice.")
        else:
            out[key] = (value.strip(), number)
            last = (key, 0)
    return out


def closing(lines: list[str], opening: int, fence: str) -> int | None:
    for j in range(opening + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
            return j
    return None
