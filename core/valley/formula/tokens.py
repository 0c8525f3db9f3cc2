"""The tokenizer: text into numbers, names, operators and brackets, or a FormulaError that
says what to write instead.

Only the whitelist in :mod:`core.valley.formula.errors` gets through. Each character is looked at a
bounded number of times, so tokenizing is linear in the length of the text.
"""

from __future__ import annotations

from typing import NamedTuple

from core.valley.formula.errors import CONSTANTS, FUNCTIONS, MAX_NUMBER, VARIABLES, FormulaError

_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | _DIGITS
_WHITESPACE = frozenset(" \t\r\n")
_NAMES_HELP = "use x, y, pi, e or a function: " + ", ".join(FUNCTIONS) + "."

# Characters people commonly paste or try, with what to write instead.
_CHAR_HINTS = {
    ",": "each function takes exactly one argument, e.g. sin(x)",
    "=": "type only the expression, e.g. x^2 + y^2",
    "[": "use round brackets ( )",
    "]": "use round brackets ( )",
    "{": "use round brackets ( )",
    "}": "use round brackets ( )",
    "π": "write pi",
    "²": "write ^2",
    "³": "write ^3",
    "×": "write * to multiply",
    "·": "write * to multiply",
    "÷": "write / to divide",
    "−": "write - (the plain minus sign)",
    "–": "write - (the plain minus sign)",
}


class _Token(NamedTuple):
    kind: str  # "num", "name", "op", "(", ")", "end"
    text: str
    pos: int
    value: float = 0.0


def _char_error(text: str, i: int) -> FormulaError:
    ch = text[i]
    if ch == "." and i + 1 < len(text) and text[i + 1] in _NAME_START:
        hint = ": attributes like .real are not allowed"
    elif ch in _CHAR_HINTS:
        hint = ": " + _CHAR_HINTS[ch]
    elif ch.isalpha():
        hint = ": only the plain letters a-z are allowed in names"
    else:
        hint = ""
    return FormulaError(f"Unexpected character {ch!r} at position {i}{hint}.", i, ch)


def _scan_number(text: str, i: int) -> int:
    """End index of the number starting at ``i``: digits, an optional decimal part and an
    optional exponent ``e[+-]digits`` (an ``e`` not followed by digits is left for the name e)."""
    n = len(text)
    while i < n and text[i] in _DIGITS:
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and text[i] in _DIGITS:
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if j < n and text[j] in _DIGITS:
            while j < n and text[j] in _DIGITS:
                j += 1
            i = j
    return i


def _split_names(word: str) -> list[str] | None:
    """Split a glued word like ``xy`` or ``pix`` into known names, or None if it can't be."""
    parts = []
    while word:
        for known in ("pi", "x", "y", "e"):
            if word.startswith(known):
                parts.append(known)
                word = word[len(known) :]
                break
        else:
            return None
    return parts


def _unknown_name(word: str, pos: int) -> FormulaError:
    lower = word.lower()
    hint = ""
    if lower != word and (lower in VARIABLES or lower in CONSTANTS or lower in FUNCTIONS):
        hint = f"names are lower-case: write {lower}. Otherwise "
    else:
        glued = _split_names(word)
        if glued and len(glued) > 1:
            hint = f"write {'*'.join(glued)} to multiply. Otherwise "
        stem = word.rstrip("0123456789")
        if stem != word and stem in VARIABLES + tuple(CONSTANTS):
            digits = word[len(stem) :]
            hint = f"write {stem}^{digits} or {stem}*{digits}. Otherwise "
        for func in FUNCTIONS:
            rest = word[len(func) :]
            if word.startswith(func) and rest and _split_names(rest):
                hint = f"write {func}({'*'.join(_split_names(rest))}). Otherwise "
    return FormulaError(f"Unknown name {word!r} at position {pos}: {hint}{_NAMES_HELP}", pos, word)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _WHITESPACE:
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            j = _scan_number(text, i)
            value = float(text[i:j])
            if not value <= MAX_NUMBER:
                raise FormulaError(
                    f"The number {text[i:j]} at position {i} is too large: "
                    f"numbers may be at most 1e12.",
                    i,
                    text[i:j],
                )
            tokens.append(_Token("num", text[i:j], i, value))
            i = j
        elif ch in _NAME_START:
            j = i + 1
            while j < n and text[j] in _NAME_CHARS:
                j += 1
            word = text[i:j]
            if word not in VARIABLES and word not in CONSTANTS and word not in FUNCTIONS:
                raise _unknown_name(word, i)
            tokens.append(_Token("name", word, i))
            i = j
        elif text.startswith("**", i):
            tokens.append(_Token("op", "**", i))
            i += 2
        elif ch in "+-*/^":
            tokens.append(_Token("op", ch, i))
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, i))
            i += 1
        else:
            raise _char_error(text, i)
    tokens.append(_Token("end", "", n))
    return tokens
