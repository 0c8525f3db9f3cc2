"""Finding the minima of a surface numerically, for formulas typed in by students.

Multi-start trust-region Newton, all starts at once: a grid of starting points is walked
downhill together for a fixed number of steps. Each step solves ``(H + mu I) d = -g``, where
``mu`` lifts the curvature where it is not positive (the Levenberg-Marquardt shift), so ``d``
always points downhill; ``d`` is cut to a trust radius, and the step is taken only if the loss
goes down (then the radius doubles), otherwise the radius is quartered. Near a minimum this is
plain Newton and converges in a few steps.

The loss and its first and second derivatives come from one jitted forward-mode function
(nested ``jax.jvp``; the surface is elementwise, so a tangent of ones gives every point's
partial derivative at once), always called on blocks of ``CHUNK`` points so that it compiles
once per formula (:func:`evaluator`); the bookkeeping of the steps runs in float64 numpy. This
compiles about ten times faster than a jitted ``lax.scan`` over ``vmap(jax.hessian)``, and
compile time is what a student waits for after typing a new formula.

Badly scaled formulas (``1e12*x^2 + y^2``, ``x^2 + 1e-6*y^2``): whether the curvature is
positive definite is judged after scaling by the diagonal (the correlation
``hxy / sqrt(hxx hyy)``), which is blind to the units of x and y, so a steep ravine still
gets plain Newton steps instead of a shift that would freeze the shallow direction.

The end points are kept when they are inside the domain, have stopped moving (the Newton step
that remains, computed in float64 from their derivatives, is under 1e-4 of the domain's
diagonal: this drops points where a badly scaled formula only looks flat), have no negative
curvature and are lower than a small ring of neighbours (which also accepts flat-bottomed
minima such as x^4 + y^4). Duplicates are merged: points closer than 1e-3 of the domain's
diagonal, and points that float32 cannot tell apart (equal values, the segment between them no
higher, and a separation the local curvature says costs less than the rounding of the value;
this turns a valley floor of minima, as in ``x^2`` with no y, into one point per valley).
The lowest are marked global.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from core.valley.surfaces.base import Domain, Minimum

_RING = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, 8, endpoint=False)])


def derivatives(fn: Callable) -> Callable:
    """``(x, y) -> (f, fx, fy, fxx, fxy, fyy)`` for an elementwise ``fn``, by forward mode."""

    def first(x, y, tx, ty):
        return jax.jvp(fn, (x, y), (tx, ty))

    def all_derivatives(x, y):
        one, zero = jnp.ones_like(x), jnp.zeros_like(x)
        (f, fx), (_, fxx) = jax.jvp(lambda a, b: first(a, b, one, zero), (x, y), (one, zero))
        fy_of = lambda a, b: first(a, b, zero, one)[1]
        fy, fxy = jax.jvp(fy_of, (x, y), (one, zero))
        _, fyy = jax.jvp(fy_of, (x, y), (zero, one))
        return f, fx, fy, fxx, fxy, fyy

    return all_derivatives


CHUNK = 1024  # points per call of the jitted derivatives: one shape, so one compile


def evaluator(fn: Callable) -> Callable:
    """``(x, y) -> [f, fx, fy, fxx, fxy, fyy]`` as float64 numpy arrays of the broadcast shape,
    for an elementwise ``fn`` evaluated in float32. The jitted function only ever sees blocks of
    ``CHUNK`` points, so every caller (grid checks, minima, start) shares one compile."""
    jitted = jax.jit(derivatives(fn))

    def evaluate(x, y) -> list[np.ndarray]:
        x, y = np.broadcast_arrays(np.asarray(x, np.float32), np.asarray(y, np.float32))
        n = x.size
        padded = max(1, -(-n // CHUNK)) * CHUNK
        px, py = np.zeros(padded, np.float32), np.zeros(padded, np.float32)
        px[:n], py[:n] = x.ravel(), y.ravel()
        out = np.empty((6, padded))
        for s in range(0, padded, CHUNK):
            out[:, s : s + CHUNK] = np.asarray(jitted(px[s : s + CHUNK], py[s : s + CHUNK]))
        return [v[:n].reshape(x.shape) for v in out]

    return evaluate


def _shifted_newton_step(gx, gy, hxx, hxy, hyy):
    """The step solving (H + mu I) d = -g, with mu >= 0 just large enough that it goes downhill,
    and the extreme eigenvalues of H (2x2 symmetric, in closed form). Arrays, one per point."""
    with np.errstate(all="ignore"):
        mid = 0.5 * (hxx + hyy)
        rad = np.sqrt(0.25 * (hxx - hyy) ** 2 + hxy**2)
        lmin, lmax = mid - rad, mid + rad
        scale = np.maximum(np.abs(lmin), np.abs(lmax))
        # Positive definite, judged on the diagonally scaled Hessian (units of x and y cancel);
        # 1e-6 leaves room for float32 rounding of the entries, as for (x + 0.3*y)^2.
        definite = (hxx > 0) & (hyy > 0) & (hxx * hyy - hxy * hxy > 1e-6 * hxx * hyy)
        mu = np.where(definite, 0.0, np.abs(lmin) + 1e-3 * scale + 1e-12)
        a, c = hxx + mu, hyy + mu
        det = a * c - hxy * hxy
        dx = -(c * gx - hxy * gy) / det
        dy = -(a * gy - hxy * gx) / det
    bad = ~(np.isfinite(dx) & np.isfinite(dy))  # degenerate curvature: follow the slope
    dx, dy = np.where(bad, -gx, dx), np.where(bad, -gy, dy)
    return dx, dy, lmin, lmax


def _refine(evaluate: Callable, domain: Domain, x, y, steps: int):
    """Walk every start downhill; returns end points, values, last step length, curvatures,
    Hessians."""
    (xmin, xmax), (ymin, ymax) = domain
    width, height = xmax - xmin, ymax - ymin

    def at(x, y):
        x32, y32 = np.asarray(x, np.float32), np.asarray(y, np.float32)
        return (x32.astype(np.float64), y32.astype(np.float64)), evaluate(x32, y32)

    (x, y), state = at(x, y)
    radius = np.full(x.shape, 0.1 * max(width, height))
    for _ in range(steps):
        f, gx, gy, hxx, hxy, hyy = state
        dx, dy, _, _ = _shifted_newton_step(gx, gy, hxx, hxy, hyy)
        with np.errstate(all="ignore"):  # NaN where the surface is undefined: never accepted
            cut = np.minimum(1.0, radius / np.maximum(np.hypot(dx, dy), 1e-300))
            # Iterates may wander a little outside the domain (a minimum on the edge), no further.
            qx = np.clip(x + cut * dx, xmin - 0.05 * width, xmax + 0.05 * width)
            qy = np.clip(y + cut * dy, ymin - 0.05 * height, ymax + 0.05 * height)
        (qx, qy), candidate = at(qx, qy)
        with np.errstate(invalid="ignore"):
            # Downhill only (false for NaN: never step into undefined ground). At the bottom,
            # float32 rounding hides the descent, so a flatter slope within rounding also counts.
            noise = 4e-7 * np.abs(f)
            flatter = np.hypot(candidate[1], candidate[2]) < np.hypot(gx, gy)
            better = (candidate[0] <= f) | (flatter & (candidate[0] <= f + noise))
        x, y = np.where(better, qx, x), np.where(better, qy, y)
        state = [np.where(better, new, old) for new, old in zip(candidate, state, strict=True)]
        radius = np.where(better, np.minimum(2 * radius, 0.5 * max(width, height)), radius / 4)
    f, gx, gy, hxx, hxy, hyy = state
    dx, dy, lmin, lmax = _shifted_newton_step(gx, gy, hxx, hxy, hyy)
    return x, y, f, np.hypot(dx, dy), lmin, lmax, np.stack([hxx, hxy, hxy, hyy], -1)


def find_minima(
    fn: Callable,
    domain: Domain,
    *,
    starts: int = 15,
    steps: int = 50,
    evaluate: Callable | None = None,
) -> tuple[Minimum, ...]:
    """The local minima of ``fn(x, y)`` inside ``domain``, found from a ``starts x starts`` grid
    of starting points refined by ``steps`` trust-region Newton steps (``fn`` is evaluated in
    float32, so locations are good to about 1e-5 of the domain size). ``fn`` must be
    elementwise, as every surface's is; ``evaluate`` is ``evaluator(fn)`` when the caller
    already has one (it saves a compile). Sorted: global minima first, then by value.
    The lowest value is global; minima within a whisker of it (relative to the surface's range
    of values) are global too."""
    evaluate = evaluate or evaluator(fn)
    (xmin, xmax), (ymin, ymax) = domain
    diag = float(np.hypot(xmax - xmin, ymax - ymin))
    # Starts at the centres of a grid of cells: never on the edge of the domain.
    cx = xmin + (np.arange(starts) + 0.5) * (xmax - xmin) / starts
    cy = ymin + (np.arange(starts) + 0.5) * (ymax - ymin) / starts
    gx, gy = np.meshgrid(cx, cy, indexing="xy")
    gx, gy = gx.ravel(), gy.ravel()

    f0 = evaluate(gx, gy)[0]
    f0 = f0[np.isfinite(f0)]
    spread = float(f0.max() - f0.min()) if f0.size else 0.0

    px, py, fp, step, lmin, lmax, hess = _refine(evaluate, domain, gx, gy, steps)
    p = np.stack([px, py], axis=1)

    ok = np.all(np.isfinite(p), axis=1) & np.isfinite(fp) & np.isfinite(lmin) & np.isfinite(lmax)
    ok &= (p[:, 0] >= xmin) & (p[:, 0] <= xmax) & (p[:, 1] >= ymin) & (p[:, 1] <= ymax)
    ok &= step <= 1e-4 * diag  # it has stopped moving
    ok &= lmin >= -1e-4 * np.maximum(np.abs(lmax), 1e-12)  # no real downhill curvature
    if not ok.any():
        return ()
    p, fp, hess = p[ok], fp[ok], hess[ok].reshape(-1, 2, 2)

    # A minimum is no higher than a small ring around it (catches flat saddles and x^3).
    h = 1e-3 * diag
    ring = p[:, None, :] + h * _RING[None, :, :]
    f_ring = evaluate(ring[..., 0], ring[..., 1])[0]
    slack = 1e-6 * (np.abs(fp) + 1e-3 * spread) + 1e-30  # float32 rounding of the values
    lowest = np.all(f_ring >= (fp - slack)[:, None], axis=1)
    p, fp, hess, slack = p[lowest], fp[lowest], hess[lowest], slack[lowest]
    if not len(p):
        return ()

    centre = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2])
    kept = _distinct(evaluate, p, fp, hess, slack, 1e-3 * diag, centre)
    best = fp[kept[0]]
    tie = 1e-7 * spread + 1e-6 * abs(best) + 1e-30
    p = np.where(np.abs(p) < 1e-9 * diag, 0.0, p)  # float32 dust around zero reads as 0
    minima = [
        Minimum(float(p[i, 0]), float(p[i, 1]), float(fp[i]), bool(fp[i] - best <= tie))
        for i in kept
    ]
    minima.sort(key=lambda m: (not m.is_global, m.value, m.x, m.y))
    return tuple(minima)


def _distinct(evaluate: Callable, p, fp, hess, slack, near: float, centre) -> list[int]:
    """Indices of one point per distinct minimum, lowest first. ``j`` is a copy of a kept ``i``
    when it lies within ``near`` of it, or when float32 cannot tell them apart: their values
    agree within the rounding ``slack``, climbing from ``i`` to ``j`` along ``i``'s curvature
    costs no more than that rounding (and the Hessian's), and the segment between them is
    nowhere higher (so two wells of equal depth stay two). A floor of equal points is shown by
    the one nearest the ``centre`` of the domain."""
    order = np.argsort(fp, kind="stable")
    d = p[None, :, :] - p[:, None, :]  # d[i, j] = p[j] - p[i]
    close = np.hypot(d[..., 0], d[..., 1]) <= near
    rise = 0.5 * np.einsum("ija,iab,ijb->ij", d, hess, d)
    # The Hessian is float32 too: its rounding (the 1e-6 of the definiteness test) adds up
    # over the separation.
    blur = 0.5e-6 * np.abs(hess).sum(axis=(1, 2))[:, None] * (d**2).sum(axis=-1)
    tol = np.maximum(slack[:, None], slack[None, :])
    same = (np.abs(fp[None, :] - fp[:, None]) <= tol) & (np.abs(rise) <= tol + blur)
    i, j = np.nonzero(same & ~close)
    if i.size:  # the segment between them, at a quarter, a half and three quarters
        t = np.array([0.25, 0.5, 0.75])[:, None, None]
        q = p[i][None] + t * (p[j] - p[i])[None]
        f_mid = evaluate(q[..., 0], q[..., 1])[0]
        flat = np.all(f_mid <= np.maximum(fp[i], fp[j]) + tol[i, j], axis=0)
        same[i[~flat], j[~flat]] = False
    copy = close | same
    kept: list[int] = []
    for k in order:
        if not any(copy[m, k] for m in kept):
            kept.append(int(k))
    far = np.hypot(*(p - centre).T)
    return [
        int(min(np.flatnonzero(same[k] | (np.arange(len(p)) == k)), key=far.__getitem__))
        for k in kept
    ]
