"""Surfaces from formulas typed by students: compiled by the safe parser, checked on a grid so a
bad formula gets a clear message instead of a blank chart, and given numerically found minima."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from core.formula import Binary, Call, Node, Unary, compile_formula, parse, to_latex, to_text
from core.surfaces.base import Domain, Surface, SurfaceError
from core.surfaces.minima import find_minima

DEFAULT_DOMAIN: Domain = ((-5.0, 5.0), (-5.0, 5.0))
GRID = 101  # points per side of the checking grid (odd, so the centre is on it)
MAX_UNDEFINED = 0.20  # largest share of the plotting area where the formula may be NaN/inf
MAX_MAGNITUDE = 1e15  # largest |value| or |slope| worth drawing and descending


def _parts(node: Node):
    """Every node of the tree (iteratively: the parser bounds the depth, but no need to recurse)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Binary):
            stack += [n.left, n.right]
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Call):
            stack.append(n.arg)


def _undefined_hints(node: Node, overflow: bool) -> str:
    """Which parts of the formula can be undefined, in words; ``overflow`` when some values
    were infinite."""
    hints = []
    funcs = {n.func for n in _parts(node) if isinstance(n, Call)}
    ops = {n.op for n in _parts(node) if isinstance(n, Binary)}
    if "log" in funcs:
        hints.append("log needs a positive argument")
    if "sqrt" in funcs:
        hints.append("sqrt needs an argument that is not negative")
    if "/" in ops:
        hints.append("dividing by zero is undefined")
    fractional = any(
        isinstance(n, Binary)
        and n.op == "^"
        and (n.right.const is None or n.right.const != int(n.right.const))
        for n in _parts(node)
    )
    if fractional:
        hints.append("a negative number to a fractional power is undefined")
    if "tan" in funcs:
        hints.append("tan is infinite at odd multiples of pi/2")
    if overflow and ("exp" in funcs or "^" in ops):
        hints.append("exp and powers overflow for large arguments")
    return "; ".join(hints) if hints else "try a smaller plotting area"


def _check_domain(domain) -> Domain:
    try:
        (xmin, xmax), (ymin, ymax) = ((float(a), float(b)) for a, b in domain)
    except (TypeError, ValueError):
        raise SurfaceError(
            "The plotting area must be ((xmin, xmax), (ymin, ymax)), four numbers."
        ) from None
    if not all(math.isfinite(v) and abs(v) <= 1e6 for v in (xmin, xmax, ymin, ymax)):
        raise SurfaceError("The plotting area's limits must be numbers between -1e6 and 1e6.")
    if not (xmin < xmax and ymin < ymax):
        raise SurfaceError("The plotting area needs xmin < xmax and ymin < ymax.")
    return ((xmin, xmax), (ymin, ymax))


def _where(x: float, y: float) -> str:
    return f"x={x:.3g}, y={y:.3g}"


def _check_grid(fn, node: Node, domain: Domain) -> None:
    """Refuse a surface that is mostly undefined, too steep to draw, or flat."""
    (xmin, xmax), (ymin, ymax) = domain
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, GRID), np.linspace(ymin, ymax, GRID))
    x, y = jnp.asarray(gx, jnp.float32), jnp.asarray(gy, jnp.float32)
    f, fx = jax.jvp(fn, (x, y), (jnp.ones_like(x), jnp.zeros_like(y)))
    _, fy = jax.jvp(fn, (x, y), (jnp.zeros_like(x), jnp.ones_like(y)))
    f, slope = np.asarray(f, np.float64), np.hypot(np.asarray(fx), np.asarray(fy))

    finite = np.isfinite(f)
    if 1 - finite.mean() > MAX_UNDEFINED:
        # Show the undefined point nearest the centre of the plotting area.
        dist = np.hypot(gx - (xmin + xmax) / 2, gy - (ymin + ymax) / 2)
        i = np.unravel_index(np.argmin(np.where(finite, np.inf, dist)), f.shape)
        hints = _undefined_hints(node, overflow=bool(np.isinf(f).any()))
        raise SurfaceError(
            f"The formula is undefined (NaN/inf) on {100 * (1 - finite.mean()):.0f}% of the "
            f"plotting area, e.g. at {_where(gx[i], gy[i])}: {hints}."
        )
    biggest = np.abs(f[finite]).max()
    if biggest > MAX_MAGNITUDE:
        i = np.unravel_index(np.argmax(np.where(finite, np.abs(f), -1)), f.shape)
        raise SurfaceError(
            f"The formula is too steep to draw: its values reach {biggest:.3g} "
            f"(at {_where(gx[i], gy[i])}). Scale it down or use a smaller plotting area."
        )
    steep = finite & ~(slope <= MAX_MAGNITUDE)  # an infinite or huge slope where f is defined
    if steep.mean() > 0.01:
        i = np.unravel_index(np.argmax(steep), f.shape)
        raise SurfaceError(
            f"The formula is too steep: its slope overflows (e.g. at {_where(gx[i], gy[i])}), "
            f"so a single step would fly off to infinity. Scale it down or use a smaller "
            f"plotting area."
        )
    if biggest == 0 or np.ptp(f[finite]) <= 1e-6 * biggest:
        raise SurfaceError(
            "The formula doesn't depend on x or y: the surface is flat, so there is no slope "
            "to follow."
        )


def _default_start(fn, domain: Domain, minima) -> tuple[float, float]:
    """The rule: of the four points 10% in from the corners (top-left, top-right, bottom-left,
    bottom-right), the one where the surface is defined that is farthest (in units of the
    domain's width and height) from its nearest minimum; the first of them on ties. A start
    far from every minimum makes a path worth watching."""
    (xmin, xmax), (ymin, ymax) = domain
    w, h = xmax - xmin, ymax - ymin
    corners = [
        (xmin + 0.1 * w, ymax - 0.1 * h),
        (xmax - 0.1 * w, ymax - 0.1 * h),
        (xmin + 0.1 * w, ymin + 0.1 * h),
        (xmax - 0.1 * w, ymin + 0.1 * h),
    ]
    cx, cy = zip(*corners, strict=True)
    values = np.asarray(fn(jnp.asarray(cx), jnp.asarray(cy)))
    best, best_dist = corners[0], -1.0
    for (cx, cy), v in zip(corners, values, strict=True):
        if not np.isfinite(v):
            continue
        dist = min((math.hypot((cx - m.x) / w, (cy - m.y) / h) for m in minima), default=1.0)
        if dist > best_dist + 1e-9:
            best, best_dist = (cx, cy), dist
    return (float(best[0]), float(best[1]))


def custom_surface(formula: str, domain: Domain = DEFAULT_DOMAIN) -> Surface:
    """A surface named ``"custom"`` from a typed formula over ``domain``.

    Raises :class:`core.formula.FormulaError` when the formula does not parse (with the
    position of the problem), and :class:`SurfaceError` when it parses but cannot be shown:
    undefined on more than 20% of the plotting area, values or slopes beyond 1e15, or no
    dependence on x and y. The minima are found numerically (:func:`find_minima`). Results
    are cached per (formula, domain), so asking again is instant.
    """
    return _custom_surface(formula, _check_domain(domain))


@functools.lru_cache(maxsize=64)
def _custom_surface(formula: str, domain: Domain) -> Surface:
    node = parse(formula)
    if node.const is not None:
        raise SurfaceError(
            "The formula doesn't depend on x or y: the surface is flat, so there is no slope "
            "to follow."
        )
    fn = compile_formula(formula)
    _check_grid(fn, node, domain)
    minima = find_minima(fn, domain)
    text = to_text(node)
    return Surface(
        name="custom",
        title="Your surface",
        latex=to_latex(node),
        story=f"The surface you typed: f(x, y) = {text}.",
        domain=domain,
        minima=minima,
        start=_default_start(fn, domain, minima),
        fn=fn,
        formula=text,
    )
