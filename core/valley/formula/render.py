"""Display: the canonical plain text and LaTeX of a syntax tree. Brackets are added exactly
where precedence needs them."""

from __future__ import annotations

from core.valley.formula.nodes import Binary, Call, Name, Node, Number, Unary

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "unary": 3, "^": 4, "atom": 5}


def _skip_plus(node: Node) -> Node:
    """A unary plus changes nothing, so the display forms leave it out."""
    while isinstance(node, Unary) and node.op == "+":
        node = node.operand
    return node


def _prec(node: Node) -> int:
    node = _skip_plus(node)
    if isinstance(node, Binary):
        return _PREC[node.op]
    if isinstance(node, Unary):
        return _PREC["unary"]
    return _PREC["atom"]


def _format_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def to_text(node: Node) -> str:
    """The canonical plain form, in the parser's own syntax: ``parse(to_text(n))`` gives back
    the same tree (a unary plus is dropped, since it changes nothing)."""
    node = _skip_plus(node)
    if isinstance(node, Number):
        return _format_number(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.func}({to_text(node.arg)})"
    if isinstance(node, Unary):
        inner = to_text(node.operand)
        if _prec(node.operand) < _PREC["unary"]:
            inner = f"({inner})"
        return f"-{inner}"
    left, right = to_text(node.left), to_text(node.right)
    right_is_sign = isinstance(_skip_plus(node.right), Unary)
    prec = _PREC[node.op]
    if node.op == "^":
        if _prec(node.left) <= prec:  # (-x)^2, (x^2)^3
            left = f"({left})"
        if _prec(node.right) < _PREC["unary"]:
            right = f"({right})"
        return f"{left}^{right}"
    if _prec(node.left) < prec:
        left = f"({left})"
    # Left-associative: a right operand of equal precedence needs brackets; so does a sign.
    if _prec(node.right) <= prec or right_is_sign:
        right = f"({right})"
    sep = f" {node.op} " if node.op in "+-" else node.op
    return f"{left}{sep}{right}"


_LATEX_FUNCS = {
    "sin": r"\sin",
    "cos": r"\cos",
    "tan": r"\tan",
    "exp": r"\exp",
    "log": r"\ln",  # log is the natural logarithm, as in numpy
    "tanh": r"\tanh",
}


def _latex_number(value: float) -> str:
    text = _format_number(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def to_latex(node: Node) -> str:
    """The formula in LaTeX for display: ``\\frac`` for division, ``\\ln`` for log."""
    node = _skip_plus(node)
    if isinstance(node, Number):
        return _latex_number(node.value)
    if isinstance(node, Name):
        return r"\pi" if node.name == "pi" else node.name
    if isinstance(node, Call):
        arg = to_latex(node.arg)
        if node.func == "sqrt":
            return rf"\sqrt{{{arg}}}"
        if node.func == "abs":
            return rf"\left|{arg}\right|"
        return rf"{_LATEX_FUNCS[node.func]}\left({arg}\right)"
    if isinstance(node, Unary):
        inner = to_latex(node.operand)
        if _prec(node.operand) < _PREC["unary"]:
            inner = rf"\left({inner}\right)"
        return f"-{inner}"
    left, right = to_latex(node.left), to_latex(node.right)
    lnode, rnode = _skip_plus(node.left), _skip_plus(node.right)
    if node.op == "/":
        return rf"\frac{{{left}}}{{{right}}}"
    if node.op == "^":
        if _prec(node.left) <= _PREC["^"]:
            left = rf"\left({left}\right)"
        return f"{left}^{{{right}}}"
    prec = _PREC[node.op]
    # Division is drawn as a fraction, which groups itself.
    if _prec(lnode) < prec and not (isinstance(lnode, Binary) and lnode.op == "/"):
        left = rf"\left({left}\right)"
    right_is_frac = isinstance(rnode, Binary) and rnode.op == "/"
    if (_prec(rnode) <= prec and not right_is_frac) or isinstance(rnode, Unary):
        right = rf"\left({right}\right)"
    op = r" \cdot " if node.op == "*" else f" {node.op} "
    return f"{left}{op}{right}"
