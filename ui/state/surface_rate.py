"""A surface picked from the menu opens at its own teaching rate
(`core.valley.sweeps.teaching_rate`).

A rate belongs to the surface it was chosen on: scales differ by orders of magnitude between
surfaces (Rosenbrock's teaching rate is 0.002, the cliff's 9), so a rate the learner dragged
to on one valley says nothing about the next, and carried over it would open most surfaces
already diverged. A link or a lesson sets the surface and its rate together (`controls.load`,
not this), so the rate it names is what opens; the learner's rate is kept while the surface
stays.
"""

from __future__ import annotations

from core.valley import surfaces
from core.valley.sweeps import teaching_rate
from ui.controls.lr_control import set_lr


def follow_surface(name: str) -> None:
    """The learner picked the surface ``name``: move the rate to its teaching rate."""
    if name in surfaces.SURFACES:  # a custom formula has no sweep to teach from: keep the rate
        set_lr(teaching_rate(name))
