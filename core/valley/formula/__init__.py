"""A small, safe parser for the loss-surface formulas students type in.

A student may type something like ``(x^2 + y - 11)^2 + (x + y^2 - 7)^2`` and expect to see that
surface. The text comes from a browser, so it is treated as hostile: it is never handed to
Python's ``eval``/``exec``/``compile``, to ``ast`` or to sympy. Instead a hand-written tokenizer
and recursive-descent parser accept only a tiny whitelist:

* numbers: ``3``, ``0.5``, ``.5``, ``1e-3`` (magnitude at most 1e12);
* names: ``x``, ``y``, ``pi``, ``e``;
* operators: ``+ - * /`` and power written ``^`` or ``**``; unary ``-`` and ``+``;
* parentheses and the one-argument functions ``sin cos tan exp log sqrt abs tanh``.

Precedence, loosest first: ``+ -``, then ``* /`` (both left-associative), then unary signs,
then power. Power is right-associative and binds tighter than a sign on its left, as in
mathematics: ``-x^2`` is ``-(x^2)``, ``2^3^2`` is ``2^9``; a sign may start an exponent:
``x^-2``. Multiplication must be written: ``2x`` is refused with a hint to write ``2*x``.

Limits keep every input cheap: at most 200 characters (so at most 200 tokens), at most 30
levels of nesting (brackets, function calls, signs, powers), and a constant exponent must
lie in [-100, 100]. Tokenizing and parsing are linear in the length of the text, and any
string either parses or raises :class:`FormulaError` with a message naming the offending part.

:func:`compile_formula` turns the tree into a pure ``jax.numpy`` function of ``(x, y)`` that is
elementwise, broadcasts, and works under ``jit``, ``grad``, ``vmap`` and ``hessian``.

The package, one idea a file: :mod:`~core.valley.formula.errors` (the whitelist, the limits and
:class:`FormulaError`), :mod:`~core.valley.formula.tokens` (text into tokens),
:mod:`~core.valley.formula.nodes` (the syntax tree, constants folded),
:mod:`~core.valley.formula.parser` (tokens into a tree),
:mod:`~core.valley.formula.render` (tree into
plain text and LaTeX) and :mod:`~core.valley.formula.compile` (tree into a ``jax.numpy`` function).
"""

from __future__ import annotations

from core.valley.formula.compile import compile_formula
from core.valley.formula.errors import (
    CONSTANTS,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NUMBER,
    VARIABLES,
    FormulaError,
)
from core.valley.formula.nodes import Binary, Call, Name, Node, Number, Unary
from core.valley.formula.parser import parse
from core.valley.formula.render import to_latex, to_text

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NUMBER",
    "VARIABLES",
    "Binary",
    "Call",
    "FormulaError",
    "Name",
    "Node",
    "Number",
    "Unary",
    "compile_formula",
    "parse",
    "to_latex",
    "to_text",
]
