"""The recursive-descent parser: tokens into a syntax tree, with the depth, length and
exponent limits enforced as it goes.

Precedence, loosest first: ``+ -``, then ``* /`` (both left-associative), then unary signs,
then power (right-associative, and tighter than a sign on its left: ``-x^2`` is ``-(x^2)``).
Every recursive call carries ``depth`` and the depth is checked before recursing, so the
Python stack stays small whatever the input.
"""

from __future__ import annotations

import math

import numpy as np

from core.valley.formula.errors import FUNCTIONS, MAX_DEPTH, MAX_EXPONENT, MAX_LENGTH, FormulaError
from core.valley.formula.nodes import (
    _NP_FUNCS,
    Call,
    Name,
    Node,
    Number,
    Unary,
    _binary,
    _fold,
    _respan,
)
from core.valley.formula.tokens import _Token, _tokenize


class _Parser:
    """One pass over the tokens; each method reads one precedence level, loosest first."""

    def __init__(self, text: str, tokens: list[_Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def deeper(self, depth: int, tok: _Token) -> int:
        """One more level of nesting at ``tok``, refused past MAX_DEPTH before recursing."""
        if depth + 1 > MAX_DEPTH:
            raise FormulaError(
                f"The formula is nested too deeply at position {tok.pos} ({tok.text!r}): "
                f"at most {MAX_DEPTH} levels of brackets, functions, signs and powers.",
                tok.pos,
                tok.text,
            )
        return depth + 1

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise FormulaError("The formula is empty.", None, "")
        node = self.sum(0)
        tok = self.peek()
        if tok.kind != "end":  # only a stray ')' can stop the sum early
            raise FormulaError(f"Unexpected {tok.text!r} at position {tok.pos}.", tok.pos, tok.text)
        return node

    def sum(self, depth: int) -> Node:
        """Terms joined by + and -, grouped from the left."""
        left = self.product(depth)
        while self.peek().kind == "op" and self.peek().text in "+-":
            op = self.advance().text
            right = self.product(depth)
            left = _binary(op, left, right)
        return left

    def product(self, depth: int) -> Node:
        """Factors joined by * and /, grouped from the left."""
        left = self.signed(depth)
        while self.peek().kind == "op" and self.peek().text in ("*", "/"):
            op = self.advance().text
            right = self.signed(depth)
            left = _binary(op, left, right)
        return left

    def signed(self, depth: int) -> Node:
        """A power with any number of leading signs: -x^2 is -(x^2)."""
        tok = self.peek()
        if tok.kind == "op" and tok.text in "+-":
            self.advance()
            operand = self.signed(self.deeper(depth, tok))
            const = _fold(np.negative, operand.const) if tok.text == "-" else operand.const
            return Unary(tok.text, operand, tok.pos, operand.end, const)
        return self.power(depth)

    def power(self, depth: int) -> Node:
        """An atom, optionally raised to a (signed) power; a constant exponent must be small."""
        base = self.atom(depth)
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("^", "**"):
            self.advance()
            exponent = self.signed(self.deeper(depth, tok))  # right-associative; x^-2 allowed
            value = exponent.const
            if value is not None and not abs(value) <= MAX_EXPONENT:
                frag = self.text[exponent.start : exponent.end]
                shown = f"{value:g}" if math.isfinite(value) else "undefined"
                raise FormulaError(
                    f"The exponent {frag!r} at position {exponent.start} is out of range "
                    f"(it is {shown}): a constant exponent must be between -100 and 100.",
                    exponent.start,
                    frag,
                )
            return _binary("^", base, exponent)
        return base

    def atom(self, depth: int) -> Node:
        """A number, name, function call or bracket, which must not be followed by another."""
        tok = self.advance()
        if tok.kind == "num":
            node: Node = Number(tok.value, tok.pos, tok.pos + len(tok.text))
        elif tok.kind == "name" and tok.text in FUNCTIONS:
            node = self.call(tok, depth)
        elif tok.kind == "name":
            node = Name(tok.text, tok.pos, tok.pos + len(tok.text))
        elif tok.kind == "(":
            inner = self.bracketed(tok, self.deeper(depth, tok))
            node = _respan(inner, tok.pos, self.tokens[self.i - 1].pos + 1)
        else:
            raise self.expected_operand(tok)
        nxt = self.peek()
        if nxt.kind in ("num", "name", "("):
            prev = self.tokens[self.i - 1]
            if prev.kind in ("num", "name") and nxt.kind in ("num", "name"):
                fix = f"write {prev.text}*{nxt.text}."
            else:
                fix = "write * between them to multiply."
            raise FormulaError(
                f"Missing operator between {prev.text!r} and {nxt.text!r} at position "
                f"{nxt.pos}: {fix}",
                nxt.pos,
                nxt.text,
            )
        return node

    def call(self, name: _Token, depth: int) -> Node:
        """A function applied to one bracketed argument, folded when the argument is constant."""
        opening = self.peek()
        if opening.kind != "(":
            raise FormulaError(
                f"The function {name.text!r} at position {name.pos} needs brackets: "
                f"write {name.text}(...).",
                name.pos,
                name.text,
            )
        self.advance()
        if self.peek().kind == ")":
            raise FormulaError(
                f"The function {name.text!r} at position {name.pos} needs one argument "
                f"inside its brackets, e.g. {name.text}(x).",
                name.pos,
                name.text,
            )
        arg = self.bracketed(opening, self.deeper(depth, opening))
        end = self.tokens[self.i - 1].pos + 1
        return Call(name.text, arg, name.pos, end, _fold(_NP_FUNCS[name.text], arg.const))

    def bracketed(self, opening: _Token, depth: int) -> Node:
        """The inside of a bracket whose '(' was just consumed, and its closing ')'."""
        if self.peek().kind == ")":
            tok = self.peek()
            raise FormulaError(
                f"Empty brackets at position {opening.pos}: put an expression inside.",
                tok.pos,
                tok.text,
            )
        inner = self.sum(depth)
        if self.peek().kind != ")":
            raise FormulaError(
                f"Missing ')' to close the '(' at position {opening.pos}.", opening.pos, "("
            )
        self.advance()
        return inner

    def expected_operand(self, tok: _Token) -> FormulaError:
        """The error for a place where a number, name or bracket was needed."""
        if tok.kind == "end":
            prev = self.tokens[self.i - 2]
            return FormulaError(
                f"Something is missing after {prev.text!r} at position {prev.pos}: "
                f"the formula cannot end there.",
                prev.pos,
                prev.text,
            )
        return FormulaError(f"Unexpected {tok.text!r} at position {tok.pos}.", tok.pos, tok.text)


def parse(text: str) -> Node:
    """Parse a formula into a syntax tree, or raise :class:`FormulaError` saying what is wrong
    and where. Never raises anything else, never evaluates the text as code."""
    if not isinstance(text, str):
        raise FormulaError("The formula must be text.", None, "")
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"The formula is too long ({len(text)} characters): at most {MAX_LENGTH} "
            f"characters are allowed.",
            MAX_LENGTH,
            text[MAX_LENGTH : MAX_LENGTH + 10],
        )
    return _Parser(text, _tokenize(text)).parse()
