"""The learning rates the slider offers: 22 "nice" values per decade from 1e-5 to 10.

An arrow key moves by 4-17%, and common rates (0.01, 0.05, 0.2, 1) sit on the grid exactly.
Kept in the engine, JAX-free, so that the engine's teaching rates
(`core.valley.sweeps.teaching_rate`)
are rates the learner can reach on the slider, and the UI's slider (`ui.controls.lr_control`) uses
them.
"""

from __future__ import annotations

MANTISSAS = (
    1,
    1.1,
    1.2,
    1.3,
    1.4,
    1.5,
    1.6,
    1.8,
    2,
    2.2,
    2.5,
    2.8,
    3,
    3.5,
    4,
    4.5,
    5,
    5.5,
    6,
    7,
    8,
    9,
)
LOW_EXP, HIGH_EXP = -5, 1  # 1e-5 ... 10


def _grid() -> tuple[float, ...]:
    values = [round(m * 10.0**e, 12) for e in range(LOW_EXP, HIGH_EXP) for m in MANTISSAS]
    return tuple(values) + (10.0**HIGH_EXP,)


LR_GRID = _grid()
