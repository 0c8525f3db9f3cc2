"""The syntax tree, with constant subtrees folded as it is built.

``start``/``end`` locate a node in the text (for messages); ``const`` is the node's float64
value when it does not depend on x or y. Neither takes part in equality.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from core.valley.formula.errors import CONSTANTS


@dataclass(frozen=True)
class Number:
    value: float
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def const(self) -> float:
        return self.value


@dataclass(frozen=True)
class Name:
    name: str  # x, y, pi or e
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def const(self) -> float | None:
        return CONSTANTS.get(self.name)


@dataclass(frozen=True)
class Unary:
    op: str  # "-" or "+"
    operand: Node
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)
    const: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Binary:
    op: str  # "+", "-", "*", "/" or "^"
    left: Node
    right: Node
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)
    const: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Call:
    func: str  # one of FUNCTIONS
    arg: Node
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)
    const: float | None = field(default=None, compare=False)


Node = Number | Name | Unary | Binary | Call

# Constant folding in float64 numpy: overflow gives inf and bad domains give nan, never an
# exception (Python's own float ** and math.exp would raise).
_NP_BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}
_NP_FUNCS = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
}


def _fold(op: Callable, *args: float | None) -> float | None:
    # A node is constant only when all its children are.
    if any(a is None for a in args):
        return None
    with np.errstate(all="ignore"):
        return float(op(*(np.float64(a) for a in args)))


def _binary(op: str, left: Node, right: Node) -> Binary:
    return Binary(
        op, left, right, left.start, right.end, _fold(_NP_BINARY[op], left.const, right.const)
    )


def _respan(node: Node, start: int, end: int) -> Node:
    """The same node, located to include its surrounding brackets."""
    return replace(node, start=start, end=end)
