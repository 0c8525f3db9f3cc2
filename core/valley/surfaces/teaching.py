"""Surfaces designed for teaching: quadratics whose curvature sets the critical learning rate,
a saddle, and a cliff.

For a quadratic with largest Hessian eigenvalue L, plain gradient descent converges exactly when
the learning rate is below 2/L, and the slowest direction (eigenvalue mu) shrinks by a factor
|1 - lr mu| per step; the condition number L/mu says how badly one rate fits both directions.
The numbers below are chosen so that 2/L is round.
"""

from __future__ import annotations

import jax.numpy as jnp

from core.valley.surfaces.base import Minimum, Surface


def _valley(x, y):
    # A bowl rotated by atan(3/4) ~ 36.9 degrees around (1, 0.5): curvature 10 along the unit
    # direction u = (0.8, 0.6), curvature 1 along v = (-0.6, 0.8).
    u = 0.8 * (x - 1) + 0.6 * (y - 0.5)
    v = 0.8 * (y - 0.5) - 0.6 * (x - 1)
    return 5 * u**2 + 0.5 * v**2


VALLEY = Surface(
    name="valley",
    title="The blindfolded valley",
    latex=r"5\,\big(0.8(x-1) + 0.6(y-0.5)\big)^2 + \tfrac{1}{2}\big(0.8(y-0.5) - 0.6(x-1)\big)^2",
    story="A smooth tilted valley, 10 times steeper across than along: below a rate of 2/10 = 0.2 "
    "you reach the bottom, near 0.2 you zigzag across it, above 0.2 you are thrown out.",
    domain=((-3.0, 5.0), (-3.5, 4.5)),
    minima=(Minimum(1.0, 0.5, 0.0, True),),
    # Off both principal axes, so the path shows the fast and the slow direction at once.
    start=(-2.5, 3.0),
    fn=_valley,
    formula="5*(0.8*(x - 1) + 0.6*(y - 0.5))^2 + 0.5*(0.8*(y - 0.5) - 0.6*(x - 1))^2",
)

BOWL = Surface(
    name="bowl",
    title="The round bowl",
    latex=r"x^2 + y^2",
    story="The perfect bowl: the slope points straight at the bottom. A rate of 0.5 lands there in "
    "one step; above 1 (= 2/L with L = 2) every step overshoots further.",
    domain=((-4.0, 4.0), (-4.0, 4.0)),
    minima=(Minimum(0.0, 0.0, 0.0, True),),
    start=(-3.0, 2.5),
    fn=lambda x, y: x**2 + y**2,
    formula="x^2 + y^2",
)

RAVINE = Surface(
    name="ravine",
    title="The narrow ravine",
    latex=r"\tfrac{1}{2}x^2 + 50\,y^2",
    story="Curvature 100 across the ravine but 1 along it (condition number 100): any rate above "
    "2/100 = 0.02 bounces out across it, while along the floor such a rate barely creeps.",
    domain=((-10.0, 10.0), (-2.0, 2.0)),
    minima=(Minimum(0.0, 0.0, 0.0, True),),
    start=(-9.0, 1.5),
    fn=lambda x, y: 0.5 * x**2 + 50 * y**2,
    formula="0.5*x^2 + 50*y^2",
)

SADDLE = Surface(
    name="saddle",
    title="The saddle",
    latex=r"x^2 - y^2",
    story="No bottom at all: the origin is flat but is a saddle, downhill along y. Starting almost "
    "on the ridge, gradient descent stalls near the saddle before sliding off.",
    domain=((-3.0, 3.0), (-3.0, 3.0)),
    minima=(),
    start=(-2.5, 0.05),
    fn=lambda x, y: x**2 - y**2,
    formula="x^2 - y^2",
)


def _cliff(x, y):
    # A step of height 6 made smooth by tanh: slope 24 at x = 0, below 1e-12 a unit away.
    # A gentle bowl centred at (-2, 0) tilts the plateau towards the cliff and gives the
    # bottom a minimum.
    return 3 * (1 + jnp.tanh(8 * x)) + 0.01 * (x + 2) ** 2 + 0.05 * y**2


CLIFF = Surface(
    name="cliff",
    title="The plateau and the cliff",
    latex=r"3\big(1 + \tanh(8x)\big) + 0.01\,(x+2)^2 + 0.05\,y^2",
    story="A nearly flat plateau ends in a sudden drop: the slope at the cliff is over 100 times "
    "the slope on the plateau, so a rate big enough to cross the plateau hurls you far away.",
    domain=((-4.0, 4.0), (-3.0, 3.0)),
    # Refined by Newton's method in float64: the tanh tail shifts the minimum by -6.1e-11.
    minima=(Minimum(-2.0000000000611067, 0.0, 7.627232182908851e-14, True),),
    start=(3.5, 1.5),
    fn=_cliff,
    formula="3*(1 + tanh(8*x)) + 0.01*(x + 2)^2 + 0.05*y^2",
)
