"""Surfaces from formulas typed by students: compiled by the safe parser, checked on a grid so a
bad formula gets a clear message instead of a blank chart, and given numerically found minima.

The checks, in order, on a grid of ``FINE`` x ``FINE`` points over the plotting area (the
values, slopes and curvatures of every point come from one jitted function, shared with the
minima finder, so a new formula costs one compile):

* undefined (NaN/inf) on more than 20% of the area; values or slopes beyond 1e15 (on every
  other point of the grid, ``GRID`` x ``GRID``);
* no dependence on x or y;
* too wiggly to draw or to walk: the picture and the slope disagree (:func:`_check_wiggles`).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from core.valley.formula import Binary, Call, Node, Unary, compile_formula, parse, to_latex, to_text
from core.valley.surfaces.base import Domain, Surface, SurfaceError
from core.valley.surfaces.minima import evaluator, find_minima

DEFAULT_DOMAIN: Domain = ((-5.0, 5.0), (-5.0, 5.0))
GRID = 101  # points per side of the checking grid (odd, so the centre is on it)
FINE = 2 * GRID - 1  # points per side of the wiggle check: 200 steps, the contour grid's size
MAX_UNDEFINED = 0.20  # largest share of the plotting area where the formula may be NaN/inf
MAX_MAGNITUDE = 1e15  # largest |value| or |slope| worth drawing and descending
MISMATCH = 0.25  # relative disagreement of picture and slope that marks a step as unresolved
MAX_WIGGLY = 0.25  # largest share of the area whose slope the picture may fail to show


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


def _sample(evaluate, domain: Domain):
    """The FINE x FINE grid over the domain: coordinates, values and slopes (float64)."""
    (xmin, xmax), (ymin, ymax) = domain
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, FINE), np.linspace(ymin, ymax, FINE))
    f, fx, fy = evaluate(gx, gy)[:3]
    return gx, gy, f, fx, fy


def _check_grid(sample, node: Node, domain: Domain) -> None:
    """Refuse a surface that is mostly undefined, too steep to draw, flat, or too wiggly."""
    (xmin, xmax), (ymin, ymax) = domain
    gx, gy, f, fx, fy = (a[::2, ::2] for a in sample)  # the GRID x GRID checking grid
    slope = np.hypot(fx, fy)

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
    _check_wiggles(sample, node, domain)


def _unresolved(f0, f1, g0, g1, step: float, floor: float):
    """Per step of the grid between values ``f0``, ``f1`` with slopes ``g0``, ``g1`` along it:
    whether the picture's slope (the rise over the step) and the walker's (the mean of the
    slopes at its ends, the trapezoid rule) disagree by more than ``MISMATCH`` of the larger,
    beyond float32 rounding of the values and a ``floor`` of negligible slopes."""
    with np.errstate(all="ignore"):
        picture, walker = (f1 - f0) / step, 0.5 * (g0 + g1)
        rounding = 1e-6 * (np.abs(f0) + np.abs(f1)) / step
        gap = np.abs(picture - walker)
        bad = gap > MISMATCH * np.maximum(np.abs(picture), np.abs(walker)) + rounding + floor
        defined = np.isfinite(f0) & np.isfinite(f1) & np.isfinite(g0) & np.isfinite(g1)
    return bad & defined, defined


def _check_wiggles(sample, node: Node, domain: Domain) -> None:
    """Refuse a surface whose slope the picture cannot show. Between neighbouring points of the
    FINE grid (200 steps per side, the size of the contour grid), the rise of a smooth surface
    matches the mean of the slopes at the two ends (the trapezoid rule, exact for quadratics).
    It fails when the surface wiggles faster than the grid (for sin(k*x), below about four
    points per period) or when its slope is absurd for its range (sin(1e12*x): a picture of
    noise, and a walker whose first step lands anywhere). Refused when more than ``MAX_WIGGLY``
    of the points have a failing step to their right or above them; a lone cliff or kink
    fails one row or column of points, and is accepted."""
    (xmin, xmax), (ymin, ymax) = domain
    gx, gy, f, fx, fy = sample
    hx, hy = (xmax - xmin) / (FINE - 1), (ymax - ymin) / (FINE - 1)
    values = f[np.isfinite(f)]
    floor = 1e-3 * np.ptp(values) / max(xmax - xmin, ymax - ymin) if values.size else 0.0
    bad_x, ok_x = _unresolved(f[:, :-1], f[:, 1:], fx[:, :-1], fx[:, 1:], hx, floor)
    bad_y, ok_y = _unresolved(f[:-1, :], f[1:, :], fy[:-1, :], fy[1:, :], hy, floor)
    # A point is unresolved when the step to its right or the step above it is.
    bad, defined = np.zeros(f.shape, bool), np.zeros(f.shape, bool)
    bad[:, :-1] |= bad_x
    bad[:-1, :] |= bad_y
    defined[:, :-1] |= ok_x
    defined[:-1, :] |= ok_y
    share = bad.sum() / max(1, defined.sum())
    if share <= MAX_WIGGLY:
        return
    dist = np.hypot(gx - (xmin + xmax) / 2, gy - (ymin + ymax) / 2)
    i = np.unravel_index(np.argmin(np.where(bad, dist, np.inf)), f.shape)
    trig = {n.func for n in _parts(node) if isinstance(n, Call)} & {"sin", "cos", "tan"}
    hint = (
        f"slow the oscillations down (e.g. {min(trig)}(3*x), not {min(trig)}(1000*x))"
        if trig
        else "scale the formula down"
    )
    raise SurfaceError(
        f"The formula is too wiggly to draw or to walk: on {100 * share:.0f}% of the plotting "
        f"area (e.g. at {_where(gx[i], gy[i])}) its slope changes faster than the picture can "
        f"show, so the picture would be noise and every step would land somewhere unrelated. "
        f"Try a smoother formula: {hint}, or use a smaller plotting area."
    )


def _default_start(evaluate, domain: Domain, minima) -> tuple[float, float]:
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
    values = evaluate(np.array(cx), np.array(cy))[0]
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

    Raises :class:`core.valley.formula.FormulaError` when the formula does not parse (with the
    position of the problem), and :class:`SurfaceError` when it parses but cannot be shown:
    undefined on more than 20% of the plotting area, values or slopes beyond 1e15, a slope
    the picture cannot show (too wiggly, see :func:`_check_wiggles`), or no dependence on x
    and y. The minima are found numerically (:func:`find_minima`). Results
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
    evaluate = evaluator(fn)  # one compile, shared by the checks, the minima and the start
    _check_grid(_sample(evaluate, domain), node, domain)
    minima = find_minima(fn, domain, evaluate=evaluate)
    text = to_text(node)
    return Surface(
        name="custom",
        title="Your surface",
        latex=to_latex(node),
        story=f"The surface you typed: f(x, y) = {text}.",
        domain=domain,
        minima=minima,
        start=_default_start(evaluate, domain, minima),
        fn=fn,
        formula=text,
    )
