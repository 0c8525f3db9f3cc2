"""Standard optimization test functions, with their standard formulas and domains.

Reference: S. Surjanovic and D. Bingham, Virtual Library of Simulation Experiments: Test
Functions and Datasets, https://www.sfu.ca/~ssurjano/optimization.html (VLSE below). Himmelblau's
function is not in VLSE: D. M. Himmelblau, Applied Nonlinear Programming (1972), with the
domain [-5, 5]^2 that is customary for it.

Minima: the published locations and values were refined by Newton's method in float64 (jax
with x64, at development time) and are hard-coded to full precision; every minimum inside the
domain is listed, which was checked by a 35x35 multi-start search (Nelder-Mead then BFGS) in
float64. The tests check all of this again independently.
"""

from __future__ import annotations

import itertools
import math

import jax.numpy as jnp
import numpy as np

from core.valley.surfaces.base import Minimum, Surface

BOOTH = Surface(
    name="booth",
    title="Booth's function",
    latex=r"(x + 2y - 7)^2 + (2x + y - 5)^2",
    story="A tilted quadratic bowl, curvatures 18 and 2 (condition number 9): rates above "
    "2/18 ~ 0.11 diverge, and the shallow direction sets the pace below that.",
    domain=((-10.0, 10.0), (-10.0, 10.0)),  # VLSE
    minima=(Minimum(1.0, 3.0, 0.0, True),),  # VLSE: f(1, 3) = 0
    start=(-7.0, -8.0),
    fn=lambda x, y: (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2,
    formula="(x + 2*y - 7)^2 + (2*x + y - 5)^2",
)

MATYAS = Surface(
    name="matyas",
    title="Matyas function",
    latex=r"0.26\,(x^2 + y^2) - 0.48\,xy",
    story="A long flat diagonal trough, curvatures 1 and 0.04 (condition number 25): the rate "
    "that is safe across the trough makes progress along it painfully slow.",
    domain=((-10.0, 10.0), (-10.0, 10.0)),  # VLSE
    minima=(Minimum(0.0, 0.0, 0.0, True),),  # VLSE: f(0, 0) = 0
    start=(-8.0, -3.0),
    fn=lambda x, y: 0.26 * (x**2 + y**2) - 0.48 * x * y,
    formula="0.26*(x^2 + y^2) - 0.48*x*y",
)

ROSENBROCK = Surface(
    name="rosenbrock",
    title="Rosenbrock's banana valley",
    latex=r"(1 - x)^2 + 100\,(y - x^2)^2",
    story="A curved, flat-bottomed valley: finding it is easy, following it to (1, 1) is slow, "
    "and a rate large enough to move along it overshoots the steep walls.",
    domain=((-2.048, 2.048), (-2.048, 2.048)),  # VLSE's restricted hypercube
    minima=(Minimum(1.0, 1.0, 0.0, True),),  # VLSE: f(1, 1) = 0
    start=(-1.5, 2.0),
    fn=lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    formula="(1 - x)^2 + 100*(y - x^2)^2",
)

BEALE = Surface(
    name="beale",
    title="Beale's function",
    latex=r"(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    story="Flat, winding valleys between steep walls: the slope changes by orders of magnitude, "
    "so one fixed rate is too small in one place and too large in another.",
    domain=((-4.5, 4.5), (-4.5, 4.5)),  # VLSE
    minima=(Minimum(3.0, 0.5, 0.0, True),),  # VLSE: f(3, 0.5) = 0
    start=(1.0, 1.5),
    fn=lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
    ),
    formula="(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
)

HIMMELBLAU = Surface(
    name="himmelblau",
    title="Himmelblau's four valleys",
    latex=r"(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    story="Four equally deep minima: which one you reach depends on where you start and on how "
    "far each step carries you.",
    domain=((-5.0, 5.0), (-5.0, 5.0)),
    # Published: (3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126),
    # all with f = 0; refined by Newton's method in float64.
    minima=(
        Minimum(3.0, 2.0, 0.0, True),
        Minimum(-2.805118086952745, 3.131312518250573, 0.0, True),
        Minimum(-3.779310253377747, -3.2831859912861696, 0.0, True),
        Minimum(3.5844283403304917, -1.8481265269644034, 0.0, True),
    ),
    start=(0.5, -1.5),
    fn=lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    formula="(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
)

THREE_HUMP_CAMEL = Surface(
    name="three_hump_camel",
    title="Three-hump camel",
    latex=r"2x^2 - 1.05x^4 + \tfrac{x^6}{6} + xy + y^2",
    story="One global minimum between two local ones: from the default start a small rate "
    "settles in the side valley, a larger one jumps the hump into the centre.",
    domain=((-5.0, 5.0), (-5.0, 5.0)),  # VLSE
    # VLSE: f(0, 0) = 0. The two local minima, refined by Newton's method in float64.
    minima=(
        Minimum(0.0, 0.0, 0.0, True),
        Minimum(1.7475523458302893, -0.8737761729151446, 0.2986384422368604, False),
        Minimum(-1.7475523458302893, 0.8737761729151446, 0.2986384422368604, False),
    ),
    start=(2.5, -1.5),
    fn=lambda x, y: 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2,
    formula="2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2",
)

SIX_HUMP_CAMEL = Surface(
    name="six_hump_camel",
    title="Six-hump camel",
    latex=r"\left(4 - 2.1x^2 + \tfrac{x^4}{3}\right)x^2 + xy + (-4 + 4y^2)\,y^2",
    story="Two global minima and four local ones: the learning rate decides whether a path is "
    "caught in a side valley or carried over into a deep one.",
    domain=((-3.0, 3.0), (-2.0, 2.0)),  # VLSE
    # VLSE: f(0.0898, -0.7126) = f(-0.0898, 0.7126) = -1.0316; the local minima are
    # +-(1.7036, -0.7961) and +-(1.6071, 0.5687). All refined by Newton's method in float64.
    minima=(
        Minimum(0.08984201310031806, -0.7126564030207396, -1.0316284534898774, True),
        Minimum(-0.08984201310031806, 0.7126564030207396, -1.0316284534898774, True),
        Minimum(1.7036067149699807, -0.7960835686726252, -0.21546382438371725, False),
        Minimum(-1.7036067149699807, 0.7960835686726252, -0.21546382438371725, False),
        Minimum(1.6071047529201974, 0.5686514548841314, 2.1042503103112584, False),
        Minimum(-1.6071047529201974, -0.5686514548841314, 2.1042503103112584, False),
    ),
    start=(-2.5, 1.5),
    fn=lambda x, y: (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
    formula="(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
)


def _goldstein_price(x, y):
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    return a * b


GOLDSTEIN_PRICE = Surface(
    name="goldstein_price",
    title="Goldstein-Price function",
    latex=r"\big[1 + (x+y+1)^2(19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\big]"
    r"\big[30 + (2x-3y)^2(18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\big]",
    story="Values from 3 to a million in one small square: only tiny rates survive, and from the "
    "default start they settle in a local minimum, not the global one.",
    domain=((-2.0, 2.0), (-2.0, 2.0)),  # VLSE
    # VLSE: f(0, -1) = 3. The local minima (-0.6, -0.4), (1.8, 0.2), (1.2, 0.8) with values
    # 30, 84, 840 are exact: Newton's method in float64 confirms them to 1e-15.
    minima=(
        Minimum(0.0, -1.0, 3.0, True),
        Minimum(-0.6, -0.4, 30.0, False),
        Minimum(1.8, 0.2, 84.0, False),
        Minimum(1.2, 0.8, 840.0, False),
    ),
    start=(0.5, 0.5),
    fn=_goldstein_price,
    formula="(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
    "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
)

# Styblinski-Tang is a sum of one-dimensional terms g(t) = (t^4 - 16t^2 + 5t)/2, whose minima
# are at t = -2.903534 (VLSE; g = -39.166166) and t = 2.746803; refined by Newton in float64.
_ST_LOW, _ST_HIGH = -2.9035340277711774, 2.746802770990837
_st = lambda t: 0.5 * (t**4 - 16 * t**2 + 5 * t)

STYBLINSKI_TANG = Surface(
    name="styblinski_tang",
    title="Styblinski-Tang function",
    latex=r"\tfrac{1}{2}\left(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y\right)",
    story="Four basins of different depths: from the default start, gradient descent settles in "
    "the shallowest one unless a large rate throws it elsewhere.",
    domain=((-5.0, 5.0), (-5.0, 5.0)),  # VLSE
    minima=tuple(
        Minimum(a, b, _st(a) + _st(b), a == b == _ST_LOW)
        for a, b in itertools.product((_ST_LOW, _ST_HIGH), repeat=2)
    ),
    start=(4.5, 3.5),
    fn=lambda x, y: _st(x) + _st(y),
    formula="0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)",
)

# Rastrigin's function is a sum of one-dimensional terms r(t) = t^2 - 10 cos(2 pi t) + 10, with
# a local minimum just inside each integer n (r'(t) = 2t + 20 pi sin(2 pi t) = 0), found by
# Newton's method in float64. On [-5.12, 5.12] that is n = -5..5, so 11 x 11 = 121 minima in 2D,
# all listed; the global one is at the origin (VLSE: f(0, 0) = 0).
_RASTRIGIN_1D = (
    0.0,
    0.9949586376523348,
    1.9899122337085497,
    2.984855701039481,
    3.9797838603007536,
    4.974691390895051,
)
_RASTRIGIN_T = tuple(sorted({s * t for t in _RASTRIGIN_1D for s in (-1.0, 1.0)}))
_ras = lambda t: t**2 - 10 * math.cos(2 * math.pi * t) + 10  # float64, for the minima values

RASTRIGIN = Surface(
    name="rastrigin",
    title="Rastrigin's egg crate",
    latex=r"20 + x^2 - 10\cos(2\pi x) + y^2 - 10\cos(2\pi y)",
    story="A bowl covered in 121 dimples: a small rate is caught by the nearest dimple; only a "
    "large, noisy step can hop between them, and then it cannot settle.",
    domain=((-5.12, 5.12), (-5.12, 5.12)),  # VLSE
    minima=tuple(
        sorted(
            (
                Minimum(a, b, float(np.float64(_ras(a)) + _ras(b)), a == b == 0.0)
                for a, b in itertools.product(_RASTRIGIN_T, repeat=2)
            ),
            key=lambda m: (not m.is_global, m.value, m.x, m.y),
        )
    ),
    start=(3.3, -2.6),
    fn=lambda x, y: 20 + x**2 - 10 * jnp.cos(2 * jnp.pi * x) + y**2 - 10 * jnp.cos(2 * jnp.pi * y),
    formula="20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
)
