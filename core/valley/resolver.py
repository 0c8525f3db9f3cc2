"""From a description to the concrete pieces of a run, checked against the registries.

An `Experiment` names things ("rosenbrock", "adam", "cosine"); `resolve` looks them up, fills
every default (the surface's start, the optimizer's hyperparameters, the schedule's arguments)
and refuses what cannot run with a message a student can act on. Everything it raises is a
`ValueError`: `ExperimentError`, `core.valley.formula.FormulaError` or
`core.valley.surfaces.SurfaceError`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from core import optimizers, schedules
from core.schema.experiment import Experiment, ExperimentError
from core.valley.surfaces import SURFACES, Surface, custom_surface

# Points farther than this many half-widths of the plotting domain from its centre have left
# the valley for good: the simulation stops there and calls the run diverged.
ESCAPE_FACTOR = 10.0


@dataclass(frozen=True)
class Resolved:
    """Everything a run needs, with every default filled in."""

    experiment: Experiment
    surface: Surface
    start: tuple[float, float]
    hyper: dict[str, float]  # all of the optimizer's hyperparameters, in its own order
    schedule_args: dict[str, float]  # the schedule's arguments, resolved to numbers
    ignored: tuple[str, ...] = ()  # settings given that this optimizer or schedule doesn't use

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The escape box (xmin, xmax, ymin, ymax): leaving it counts as divergence."""
        return escape_box(self.surface.domain)


def escape_box(domain) -> tuple[float, float, float, float]:
    (x0, x1), (y0, y1) = domain
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = ESCAPE_FACTOR * max(x1 - x0, y1 - y0) / 2
    return (cx - half, cx + half, cy - half, cy + half)


@functools.lru_cache(maxsize=64)
def _custom(formula: str) -> Surface:
    # Bounded: a classroom typing formulas must not grow memory without limit.
    return custom_surface(formula)


def surface_of(exp: Experiment) -> Surface:
    """The surface an experiment names: a built-in one, or the user's formula."""
    if exp.surface == "custom":
        if not exp.formula.strip():
            raise ExperimentError("Type a formula in x and y, for example 0.5*x^2 + 5*y^2.")
        return _custom(exp.formula.strip())
    if exp.surface not in SURFACES:
        raise ExperimentError(
            f"Unknown surface {exp.surface[:40]!r}; choose one of "
            f"{', '.join(SURFACES)} or 'custom'."
        )
    return SURFACES[exp.surface]


def resolve(exp: Experiment, surface: Surface | None = None) -> Resolved:
    """Check an experiment against the registries and fill in every default.

    `surface` runs the experiment on a surface outside the registry (a real model's loss,
    say); ``exp.surface`` is then ignored.
    """
    surface = surface_of(exp) if surface is None else surface
    start = exp.start if exp.start is not None else surface.start
    (x0, x1), (y0, y1) = surface.domain
    if not (x0 <= start[0] <= x1 and y0 <= start[1] <= y1):
        raise ExperimentError(
            f"The start ({start[0]:g}, {start[1]:g}) is outside the plotted area "
            f"x in [{x0:g}, {x1:g}], y in [{y0:g}, {y1:g}]: pick a point inside it."
        )
    if exp.optimizer not in optimizers.HYPERPARAMS:
        raise ExperimentError(
            f"Unknown optimizer {exp.optimizer[:40]!r}; choose one of "
            f"{', '.join(optimizers.HYPERPARAMS)}."
        )
    defaults = optimizers.HYPERPARAMS[exp.optimizer]
    hyper = {name: float(exp.params.get(name, default)) for name, default in defaults.items()}
    used = set(schedules.PARAMS[exp.schedule]) if exp.schedule in schedules.PARAMS else set()
    schedule_given = {k: v for k, v in exp.schedule_args.items() if k in used}
    schedule_args = schedules.resolve(exp.schedule, exp.lr, exp.steps, schedule_given)
    ignored = tuple(
        sorted(
            [k for k in exp.params if k not in defaults]
            + [k for k in exp.schedule_args if k not in used]
        )
    )
    return Resolved(exp, surface, (float(start[0]), float(start[1])), hyper, schedule_args, ignored)
