"""Compilation to jax.numpy: walk the tree once into nested closures of ``(x, y)``."""

from __future__ import annotations

from collections.abc import Callable

import jax.numpy as jnp
from jax import lax

from core.valley.formula.nodes import Call, Name, Node, Unary
from core.valley.formula.parser import parse
from core.valley.formula.render import to_text

_JNP_BINARY = {"+": jnp.add, "-": jnp.subtract, "*": jnp.multiply, "/": jnp.divide}
_JNP_FUNCS = {
    "sin": jnp.sin,
    "cos": jnp.cos,
    "tan": jnp.tan,
    "exp": jnp.exp,
    "log": jnp.log,
    "sqrt": jnp.sqrt,
    "abs": jnp.abs,
    "tanh": jnp.tanh,
}


def _build(node: Node) -> Callable:
    if node.const is not None:  # constant subtree, folded once in float64
        c = node.const
        return lambda x, y: c
    if isinstance(node, Name):
        return (lambda x, y: x) if node.name == "x" else (lambda x, y: y)
    if isinstance(node, Call):
        func, arg = _JNP_FUNCS[node.func], _build(node.arg)
        return lambda x, y: func(arg(x, y))
    if isinstance(node, Unary):
        operand = _build(node.operand)
        if node.op == "+":
            return operand
        return lambda x, y: jnp.negative(operand(x, y))
    left, right = _build(node.left), _build(node.right)
    if node.op == "^":
        n = node.right.const
        if n is not None and n == int(n):
            # Integer powers by repeated multiplication: exact for negative bases and with
            # clean derivatives at 0 (x^2 has slope 0 there, not NaN).
            k = int(n)
            return lambda x, y: lax.integer_pow(jnp.asarray(left(x, y)), k)
        return lambda x, y: jnp.power(left(x, y), right(x, y))
    op = _JNP_BINARY[node.op]
    return lambda x, y: op(left(x, y), right(x, y))


def _as_float(a):
    a = jnp.asarray(a)
    if not jnp.issubdtype(a.dtype, jnp.floating):
        a = a.astype(jnp.result_type(float))
    return a


def compile_formula(text: str) -> Callable:
    """Parse ``text`` and return ``f(x, y)``: elementwise in jax.numpy, broadcasting ``x``
    against ``y``, and safe under jit/grad/vmap/hessian. ``log`` and ``sqrt`` give NaN outside
    their domain, as in jax.numpy. Raises :class:`FormulaError` for a bad formula."""
    node = parse(text)
    body = _build(node)

    def f(x, y):
        x, y = _as_float(x), _as_float(y)
        shape = jnp.broadcast_shapes(jnp.shape(x), jnp.shape(y))
        out = jnp.asarray(body(x, y), dtype=jnp.result_type(x, y))
        return jnp.broadcast_to(out, shape)

    f.__name__ = "formula"
    f.__doc__ = f"f(x, y) = {to_text(node)}"
    return f
