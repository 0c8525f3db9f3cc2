r"""Every optimizer, described once: name, title, hyperparameters, rule, internals, theory.

One `Optimizer` entry per optimizer. Everything else derives from `CATALOG`: the schema's
choices and hyperparameter rows (`core.schema.experiment`), the widgets' labels and help
(`ui.controls.experiment_controls`), the CLI's names, the registry of transforms
(`core.optimizers`), the internals,
the theory lines and explanations, and the lessons' vocabulary. Adding an optimizer is adding
an entry here and writing its file in ``core/optimizers/``.

The update rule is written once, literally, in the docstring of the optimizer's own function
(``core/optimizers/<module>.py``, in its ``Update rule ... ::`` block: a LaTeX ``gathered``
environment, one formula a line);
`update_rule` reads it from the source without importing it, so this module stays JAX-free.
Notation: t the 0-based step, :math:`\eta_t` its learning rate, :math:`\lambda` the weight decay.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, replace
from pathlib import Path

OPTIMIZER_DIR = Path(__file__).resolve().parents[1] / "optimizers"


@dataclass(frozen=True)
class Hyper:
    """One hyperparameter: PyTorch's name, its default, its allowed range, a learner's words."""

    name: str  # the URL key, CLI --param name, lesson key and the transform's keyword
    default: float
    lo: float
    hi: float
    lo_open: bool = False  # the bound itself is excluded
    hi_open: bool = False
    label: str = ""  # the widget's label
    help: str = ""  # one line of help, plain text
    unit: str = ""


@dataclass(frozen=True)
class Optimizer:
    """One optimizer. ``module`` is its file in core/optimizers/, which defines the transform
    ``<name>(learning_rate, **hyper)`` and, if ``internals`` is not empty,
    ``<name>_internals(state, lr_t, hyper, count, table)`` returning exactly those quantities."""

    name: str  # the engine's key: URL value, CLI name
    title: str  # what learners read: the Optimizer menu, legends, lessons' choices
    module: str
    hyper: tuple[Hyper, ...]
    internals: tuple[str, ...] = ()  # per-coordinate quantities of its state, for the view
    # Which closed-form critical rate applies (a key of core.valley.theory.CRITICAL), or None:
    # adaptive optimizers rescale each coordinate, so no single rate follows from curvature.
    theory: str | None = None
    adaptive: bool = False  # divides each coordinate's step by its own gradient history
    # The weight decay is L2 (folded into the gradient, so it adds to the curvature), unless
    # decoupled (AdamW: the point itself shrinks, apart from the gradient).
    decoupled_decay: bool = False
    # How the step is written with a run's numbers (figures.valley.internals.filled_update_rule):
    # "sgd" plain, "momentum" through the velocity, "nesterov" with the look-ahead, else rescaled.
    figure_form: str = "adaptive"
    # A function of its module, (lr, count_after, hyper) -> table, that tabulates what each step
    # needs from its number alone, for a whole run at once; the update and the internals take
    # one step's entry as ``scales``. None: nothing to tabulate.
    step_table: str | None = None
    stall_reason: str = ""  # why its steps may shrink to nothing, in words, if it is built in

    @property
    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hyper}

    @property
    def update_rule(self) -> str:
        """The update rule in LaTeX, as its docstring writes it, one formula per line."""
        return update_rule(self.name)


# Hyperparameters shared by several optimizers: one range and one set of words each.
WEIGHT_DECAY = Hyper(
    "weight_decay",
    0.0,
    0.0,
    10.0,
    label="Weight decay (L2)",
    help="Pulls towards 0: adds this × the point to every gradient.",
)
MOMENTUM = Hyper(
    "momentum",
    0.9,
    0.0,
    1.0,
    hi_open=True,
    label="Momentum β",
    help="β: how much of the last step to carry into the next (0: plain descent).",
)
DAMPENING = Hyper(
    "dampening",
    0.0,
    0.0,
    1.0,
    hi_open=True,
    label="Dampening",
    help="How much of each new gradient to hold back from the momentum.",
)
EPS = Hyper(
    "eps",
    1e-8,
    0.0,
    1.0,
    lo_open=True,
    label="Safety term ε",
    help="ε: a tiny number added to the divisor so it is never zero.",
)
BETA1 = Hyper(
    "beta1",
    0.9,
    0.0,
    1.0,
    hi_open=True,
    label="Momentum β₁",
    help="β₁: how much of the last gradients' average to keep (momentum of Adam).",
)
BETA2 = Hyper(
    "beta2",
    0.999,
    0.0,
    1.0,
    hi_open=True,
    label="Step-size memory β₂",
    help="β₂: how much of the last squared gradients' average to keep (sets each step's size).",
)
ADAM_INTERNALS = ("exp_avg", "exp_avg_sq", "effective_lr")

_ENTRIES = (
    Optimizer("sgd", "SGD", "sgd_family", (WEIGHT_DECAY,), theory="gd", figure_form="sgd"),
    Optimizer(
        "momentum",
        "Momentum",
        "sgd_family",
        (MOMENTUM, DAMPENING, WEIGHT_DECAY),
        internals=("velocity",),
        theory="heavy_ball",
        figure_form="momentum",
    ),
    Optimizer(
        "nesterov",
        "Nesterov",
        "sgd_family",
        (MOMENTUM, DAMPENING, WEIGHT_DECAY),
        internals=("velocity",),
        theory="nesterov",
        figure_form="nesterov",
    ),
    Optimizer(
        "adagrad",
        "Adagrad",
        "adaptive",
        (
            Hyper(
                "lr_decay",
                0.0,
                0.0,
                10.0,
                label="Rate decay",
                help="Adagrad divides the rate by 1 + step × this.",
            ),
            WEIGHT_DECAY,
            Hyper(
                "initial_accumulator_value",
                0.0,
                0.0,
                1e3,
                label="Starting sum of squares",
                help="The sum of squared gradients before the first step.",
            ),
            replace(EPS, default=1e-10),
        ),
        internals=("sum_sq", "effective_lr"),
        adaptive=True,
        stall_reason="Adagrad divides every step by the root of all squared gradients so far, "
        "and that sum only grows.",
    ),
    Optimizer(
        "rmsprop",
        "RMSprop",
        "adaptive",
        (
            Hyper(
                "alpha",
                0.99,
                0.0,
                1.0,
                hi_open=True,
                label="Smoothing α",
                help="α: how much of the last squared gradients' average to keep.",
            ),
            EPS,
            WEIGHT_DECAY,
            replace(MOMENTUM, default=0.0),
        ),
        internals=("square_avg", "effective_lr"),
        adaptive=True,
    ),
    Optimizer(
        "adam",
        "Adam",
        "adaptive",
        (BETA1, BETA2, EPS, WEIGHT_DECAY),
        internals=ADAM_INTERNALS,
        adaptive=True,
        step_table="adam_step_table",
    ),
    Optimizer(
        "adamw",
        "AdamW",
        "adamw",
        (
            BETA1,
            BETA2,
            EPS,
            replace(
                WEIGHT_DECAY,
                default=0.01,
                label="Weight decay (decoupled)",
                help="Pulls towards 0: each step first shrinks the point by rate × this.",
            ),
        ),
        internals=ADAM_INTERNALS,
        adaptive=True,
        decoupled_decay=True,
        step_table="adam_step_table",
    ),
)

CATALOG: dict[str, Optimizer] = {e.name: e for e in _ENTRIES}
NAMES: tuple[str, ...] = tuple(CATALOG)
TITLES: dict[str, str] = {e.name: e.title for e in _ENTRIES}


def entry(name: str) -> Optimizer:
    """The catalog entry of optimizer ``name``; a clear ValueError for an unknown name."""
    if name not in CATALOG:
        raise ValueError(f"Unknown optimizer {name!r}; valid optimizers: {', '.join(CATALOG)}")
    return CATALOG[name]


def hyper_rows() -> dict[str, Hyper]:
    """One row per hyperparameter name over all optimizers (first declared), for the schema.

    A name shared by several optimizers has one range (tests/core/catalog/test_catalog.py checks
    they agree).
    """
    rows: dict[str, Hyper] = {}
    for e in _ENTRIES:
        for h in e.hyper:
            rows.setdefault(h.name, h)
    return rows


def with_theory() -> tuple[str, ...]:
    """The optimizers that have a closed-form critical rate."""
    return tuple(e.name for e in _ENTRIES if e.theory)


def l2_decay(name: str, hyper) -> float:
    """The weight decay folded into the gradient (L2) by optimizer ``name``; 0 if decoupled."""
    if CATALOG[name].decoupled_decay:
        return 0.0
    return float(hyper.get("weight_decay", 0.0))


@functools.lru_cache(maxsize=32)  # one per optimizer
def update_rule(name: str) -> str:
    """The LaTeX rule of ``name``: the ``::`` block after "Update rule" in its docstring."""
    e = entry(name)
    tree = ast.parse((OPTIMIZER_DIR / f"{e.module}.py").read_text(encoding="utf-8"))
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == e.name)
    lines = (ast.get_docstring(function) or "").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Update rule"))
    while not lines[start].rstrip().endswith("::"):
        start += 1
    block = []
    for line in lines[start + 2 :]:  # skip the "::" line and the blank line after it
        if not line.strip():
            break
        block.append(line.strip())
    return " ".join(block)  # a ``gathered`` environment, as the docstring writes it
