"""Finding the minima of a surface numerically, for formulas typed in by students.

Multi-start trust-region Newton, all starts at once: a grid of starting points is walked
downhill together for a fixed number of steps. Each step solves ``(H + mu I) d = -g``, where
``mu`` lifts the curvature where it is not positive (the Levenberg-Marquardt shift), so ``d``
always points downhill; ``d`` is cut to a trust radius, and the step is taken only if the loss
goes down (then the radius doubles), otherwise the radius is quartered. Near a minimum this is
plain Newton and converges in a few steps.

The loss and its first and second derivatives come from one jitted forward-mode function
(nested ``jax.jvp``; the surface is elementwise, so a tangent of ones gives every point's
partial derivative at once); the bookkeeping of the steps runs in float64 numpy. This compiles
about ten times faster than a jitted ``lax.scan`` over ``vmap(jax.hessian)``, and compile time
is what a student waits for after typing a new formula.

The end points are kept when they are inside the domain, have stopped moving, have no negative
curvature and are lower than a small ring of neighbours (which also accepts flat-bottomed
minima such as x^4 + y^4). Duplicates are merged and the lowest are marked global.
"""

from __future__ import annotations

from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np

from core.surfaces.base import Domain, Minimum

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


def _shifted_newton_step(gx, gy, hxx, hxy, hyy):
    """The step solving (H + mu I) d = -g, with mu >= 0 just large enough that it goes downhill,
    and the extreme eigenvalues of H (2x2 symmetric, in closed form). Arrays, one per point."""
    with np.errstate(all="ignore"):
        mid = 0.5 * (hxx + hyy)
        rad = np.sqrt(0.25 * (hxx - hyy) ** 2 + hxy**2)
        lmin, lmax = mid - rad, mid + rad
        scale = np.maximum(np.abs(lmin), np.abs(lmax))
        mu = np.where(lmin > 1e-6 * scale, 0.0, np.abs(lmin) + 1e-3 * scale + 1e-12)
        a, c = hxx + mu, hyy + mu
        det = a * c - hxy * hxy
        dx = -(c * gx - hxy * gy) / det
        dy = -(a * gy - hxy * gx) / det
    bad = ~(np.isfinite(dx) & np.isfinite(dy))  # degenerate curvature: follow the slope
    dx, dy = np.where(bad, -gx, dx), np.where(bad, -gy, dy)
    return dx, dy, lmin, lmax


def _refine(fn: Callable, domain: Domain, x, y, steps: int):
    """Walk every start downhill; returns end points, values, last step length, curvatures."""
    (xmin, xmax), (ymin, ymax) = domain
    width, height = xmax - xmin, ymax - ymin
    evaluate = jax.jit(derivatives(fn))

    def at(x, y):
        x32, y32 = jnp.asarray(x, jnp.float32), jnp.asarray(y, jnp.float32)
        return (np.asarray(x32, np.float64), np.asarray(y32, np.float64)), [
            np.asarray(v, np.float64) for v in evaluate(x32, y32)
        ]

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
    return x, y, f, np.hypot(dx, dy), lmin, lmax


def find_minima(
    fn: Callable, domain: Domain, *, starts: int = 15, steps: int = 50
) -> tuple[Minimum, ...]:
    """The local minima of ``fn(x, y)`` inside ``domain``, found from a ``starts x starts`` grid
    of starting points refined by ``steps`` trust-region Newton steps (``fn`` is evaluated in
    float32, so locations are good to about 1e-5 of the domain size). ``fn`` must be
    elementwise, as every surface's is. Sorted: global minima first, then by value.
    The lowest value is global; minima within a whisker of it (relative to the surface's range
    of values) are global too."""
    (xmin, xmax), (ymin, ymax) = domain
    diag = float(np.hypot(xmax - xmin, ymax - ymin))
    # Starts at the centres of a grid of cells: never on the edge of the domain.
    cx = xmin + (np.arange(starts) + 0.5) * (xmax - xmin) / starts
    cy = ymin + (np.arange(starts) + 0.5) * (ymax - ymin) / starts
    gx, gy = np.meshgrid(cx, cy, indexing="xy")
    gx, gy = gx.ravel(), gy.ravel()

    f0 = np.asarray(fn(jnp.asarray(gx, jnp.float32), jnp.asarray(gy, jnp.float32)), np.float64)
    f0 = f0[np.isfinite(f0)]
    spread = float(f0.max() - f0.min()) if f0.size else 0.0

    px, py, fp, step, lmin, lmax = _refine(fn, domain, gx, gy, steps)
    p = np.stack([px, py], axis=1)

    ok = np.all(np.isfinite(p), axis=1) & np.isfinite(fp) & np.isfinite(lmin) & np.isfinite(lmax)
    ok &= (p[:, 0] >= xmin) & (p[:, 0] <= xmax) & (p[:, 1] >= ymin) & (p[:, 1] <= ymax)
    ok &= step <= 1e-4 * diag  # it has stopped moving
    ok &= lmin >= -1e-4 * np.maximum(np.abs(lmax), 1e-12)  # no real downhill curvature
    if not ok.any():
        return ()
    p, fp = p[ok], fp[ok]

    # A minimum is no higher than a small ring around it (catches flat saddles and x^3).
    h = 1e-3 * diag
    ring = p[:, None, :] + h * _RING[None, :, :]
    f_ring = np.asarray(fn(jnp.asarray(ring[..., 0]), jnp.asarray(ring[..., 1])), np.float64)
    slack = 1e-6 * (np.abs(fp) + 1e-3 * spread) + 1e-30
    lowest = np.all(f_ring >= (fp - slack)[:, None], axis=1)
    p, fp = p[lowest], fp[lowest]

    # Merge duplicates: keep the lowest point of each cluster.
    kept: list[int] = []
    for i in np.argsort(fp, kind="stable"):
        if all(np.hypot(*(p[i] - p[j])) > 1e-3 * diag for j in kept):
            kept.append(int(i))
    if not kept:
        return ()
    best = fp[kept[0]]
    tie = 1e-7 * spread + 1e-6 * abs(best) + 1e-30
    p = np.where(np.abs(p) < 1e-9 * diag, 0.0, p)  # float32 dust around zero reads as 0
    minima = [
        Minimum(float(p[i, 0]), float(p[i, 1]), float(fp[i]), bool(fp[i] - best <= tie))
        for i in kept
    ]
    minima.sort(key=lambda m: (not m.is_global, m.value, m.x, m.y))
    return tuple(minima)
