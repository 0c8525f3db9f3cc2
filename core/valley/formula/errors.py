"""What a formula may contain, how big it may be, and the error raised when it breaks a rule."""

from __future__ import annotations

import math

# Limits that keep every input cheap to tokenize, parse and compile.
MAX_LENGTH = 200
MAX_DEPTH = 30
MAX_EXPONENT = 100.0
MAX_NUMBER = 1e12

# The whole vocabulary: anything else is refused by the tokenizer.
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")


class FormulaError(ValueError):
    """A formula was refused. ``position`` is the 0-based index of the offending part (None
    when the problem is the formula as a whole) and ``fragment`` is its text."""

    def __init__(self, message: str, position: int | None = None, fragment: str = ""):
        super().__init__(message)
        self.message = message
        self.position = position
        self.fragment = fragment
