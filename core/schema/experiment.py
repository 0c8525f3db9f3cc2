"""One experiment description, shared by the pages, the URL, the lessons and the CLI.

Like TensorFlow Playground's URL state, everything flows through one table, `FIELDS`: each
field has a name (the URL query key, the CLI flag or ``--param`` name and the lesson key), a
type, a default and the range it must lie in. `decode` reads a mapping of strings (a URL query,
a lesson block, CLI flags) into an `Experiment`; `encode` writes one back, keeping only what
differs from the defaults, so ``decode(encode(e)) == e``.

Bad values are refused with a message that names the field and its allowed range. `decode`
with ``strict=False`` (the URL) replaces a refused value by its default and collects the
message as a notice for the page to show; ``strict=True`` (the CLI, the lessons) raises
`ExperimentError` instead. This module knows nothing of Streamlit, JAX or the surfaces: the
surface name and start point are checked against the registry in `core.validate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from core.catalog import schedules as schedule_catalog
from core.catalog.limits import MAX_STEPS
from core.catalog.optimizers import CATALOG, NAMES, TITLES, hyper_rows
from core.schema.fields import MAX_TEXT_LENGTH, ExperimentError, Field

OPTIMIZER_NAMES = NAMES  # the catalog's, in its order
SCHEDULE_NAMES = schedule_catalog.NAMES
MAX_FORMULA_LENGTH = MAX_TEXT_LENGTH
# Gradient noise's largest standard deviation: slopes on the built-in surfaces reach the
# hundreds (Rosenbrock), so a larger sigma only swamps every surface.
MAX_NOISE = 100.0


def _f(name, default, group, lo=None, hi=None, lo_open=False, hi_open=False, kind="float", h=""):
    return Field(name, kind, default, group, lo, hi, lo_open, hi_open, help=h)


def _schedule_row(arg: schedule_catalog.Argument) -> Field:
    """A schedule argument's row: its one range (a cap counts as the upper bound), its words."""
    words = {"label": arg.label, "help": arg.help}
    if arg.range is None:
        return Field(arg.name, "choice", None, "schedule", choices=arg.choices, **words)
    r = arg.range
    kind, hi_open = ("int" if r.whole else "float"), r.high is not None and r.high_open
    return Field(arg.name, kind, None, "schedule", r.low, r.upper, r.low_open, hi_open, **words)


_LR = _f("lr", 0.05, "experiment", 1e-7, 100.0, h="learning rate (step length)")


def _words(h) -> dict[str, str]:
    return {"label": h.label, "help": h.help}


# The table. Hyperparameter and schedule defaults are None: "the optimizer's (schedule's) own
# default", which the catalog (core.catalog.optimizers) and core.schedules.resolve supply.
FIELDS: tuple[Field, ...] = (
    Field("surface", "str", "valley", "experiment", help="built-in surface, or 'custom'"),
    Field("formula", "str", "", "experiment", help="formula in x and y for surface=custom"),
    Field("optimizer", "choice", "sgd", "experiment", choices=OPTIMIZER_NAMES),
    _LR,
    _f("steps", 150, "experiment", 1, MAX_STEPS, kind="int", h="number of steps"),
    Field("start", "point", None, "experiment", -1e4, 1e4, help="start point x,y"),
    Field("schedule", "choice", "constant", "experiment", choices=SCHEDULE_NAMES),
    _f("seed", 0, "experiment", 0, 2**31 - 1, kind="int", h="random seed"),
    _f(
        "noise",
        0.0,
        "experiment",
        0.0,
        MAX_NOISE,
        h="gradient noise: the standard deviation of the Gaussian noise added to each slope "
        "coordinate at each step (0: exact gradients)",
    ),
    # Optimizer hyperparameters (PyTorch's names), one row per name, from the catalog.
    *(
        Field(h.name, "float", None, "param", h.lo, h.hi, h.lo_open, h.hi_open, **_words(h))
        for h in hyper_rows().values()
    ),
    # Schedule arguments (torch.optim.lr_scheduler's names), from the catalog.
    *(_schedule_row(a) for a in schedule_catalog.ARGUMENTS.values()),
    # How the page is shown, not what is simulated.
    Field("present", "bool", False, "view", help="presentation mode for projection"),
    Field("internals", "bool", False, "view", help="the optimizer's internals shown"),
    Field("three", "bool", False, "view", help="the surface drawn in 3D"),
    # The blindfold walk's goal: the share of the start's loss gap (to the minimum) left.
    _f("tol", 1e-3, "view", 1e-6, 0.5, kind="float", h="blindfold walk: loss gap left, a share"),
    # The race: which optimizers run, and a rate for each (others use a good rate).
    Field("racers", "names", None, "view", choices=OPTIMIZER_NAMES, help="optimizers raced"),
    Field(
        "rates", "rates", None, "view", choices=OPTIMIZER_NAMES, help="rate per optimizer", each=_LR
    ),
)
FIELD = {f.name: f for f in FIELDS}
PARAM_NAMES = tuple(f.name for f in FIELDS if f.group == "param")
SCHEDULE_ARG_NAMES = tuple(f.name for f in FIELDS if f.group == "schedule")


@dataclass(frozen=True)
class Experiment:
    """Everything that determines one run: same description, same path, on every screen."""

    surface: str = "valley"
    formula: str = ""
    optimizer: str = "sgd"
    lr: float = 0.05
    steps: int = 150  # enough for the default valley and rate to arrive: a first success
    start: tuple[float, float] | None = None  # None: the surface's own default start
    schedule: str = "constant"
    seed: int = 0
    noise: float = 0.0  # gradient noise: standard deviation sigma of each slope coordinate
    params: Mapping[str, float] = field(default_factory=dict)  # hyperparameters set by the user
    schedule_args: Mapping[str, float | str] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.key())

    def key(self) -> tuple:
        """A hashable identity, for caches."""
        return (
            self.surface,
            self.formula,
            self.optimizer,
            self.lr,
            self.steps,
            self.start,
            self.schedule,
            self.seed,
            self.noise,
            tuple(sorted(self.params.items())),
            tuple(sorted(self.schedule_args.items())),
        )

    def replace(self, **changes: Any) -> Experiment:
        return replace(self, **changes)


def decode(
    values: Mapping[str, Any], *, strict: bool = False
) -> tuple[Experiment, dict[str, Any], list[str]]:
    """Read raw values (URL query, lesson block, CLI) into (experiment, view settings, notices).

    Unknown keys are reported, never fatal in the URL. With ``strict`` the first problem raises
    ExperimentError instead of becoming a notice.
    """
    notices: list[str] = []
    experiment: dict[str, Any] = {}
    params: dict[str, float] = {}
    schedule_args: dict[str, float | str] = {}
    view: dict[str, Any] = {f.name: f.default for f in FIELDS if f.group == "view"}
    for key, raw in values.items():
        if isinstance(raw, list):  # st.query_params.to_dict() gives the last; raw parse_qs lists
            raw = raw[-1] if raw else ""
        spec = FIELD.get(key)
        if spec is None:
            message = f"Unknown setting {str(key)[:40]!r} was ignored."
            if strict:
                raise ExperimentError(message)
            notices.append(message)
            continue
        try:
            value = spec.parse(raw)
        except ExperimentError as error:
            if strict:
                raise
            default = "the default" if spec.default is None else _default_text(spec)
            notices.append(f"{error} Using {default} instead.")
            continue
        {"experiment": experiment, "param": params, "schedule": schedule_args, "view": view}[
            spec.group
        ][key] = value
    exp = Experiment(**experiment, params=params, schedule_args=schedule_args)
    exp, stray = _drop_strays(exp)
    if not strict:  # a stray setting changes nothing a run does; in a URL it is worth a word
        notices += stray
    if strict and exp.surface == "custom" and not exp.formula:
        # A link may name the custom surface before a formula is typed (the page then asks
        # for one under its empty box); a run described in full cannot.
        raise ExperimentError("surface=custom needs a formula, e.g. formula=0.5*x^2+5*y^2.")
    return exp, view, notices


def _drop_strays(exp: Experiment) -> tuple[Experiment, list[str]]:
    """Drop settings that contradict the others: a formula without surface=custom, another
    optimizer's hyperparameter, another schedule's argument. Returns what was dropped, in
    words, from the catalog (no JAX)."""
    said = []
    if exp.formula and exp.surface != "custom":
        said.append("A formula is used only with surface=custom; it was ignored.")
        exp = exp.replace(formula="")
    own = CATALOG[exp.optimizer].defaults if exp.optimizer in CATALOG else {}
    for name in [k for k in exp.params if k not in own]:
        said.append(f"{name} does not apply to {TITLES[exp.optimizer]}; it was ignored.")
    known = schedule_catalog.SCHEDULES.get(exp.schedule)
    allowed = known.arguments if known else ()
    for name in [k for k in exp.schedule_args if k not in allowed]:
        said.append(f"{name} does not apply to the {exp.schedule} schedule; it was ignored.")
    if len(said):
        exp = exp.replace(
            params={k: v for k, v in exp.params.items() if k in own},
            schedule_args={k: v for k, v in exp.schedule_args.items() if k in allowed},
        )
    return exp, said


def _default_text(spec: Field) -> str:
    return f"the default {spec.format(spec.default)}"


def encode(exp: Experiment, view: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Write an experiment (and view settings) as strings, keeping only non-default values."""
    out: dict[str, str] = {}
    for spec in FIELDS:
        if spec.group == "experiment":
            value = getattr(exp, spec.name)
        elif spec.group == "param":
            value = exp.params.get(spec.name)
        elif spec.group == "schedule":
            value = exp.schedule_args.get(spec.name)
        else:
            value = (view or {}).get(spec.name, spec.default)
        if value is None or value == spec.default:
            continue
        if spec.name == "formula" and exp.surface != "custom":
            continue
        out[spec.name] = spec.format(value)
    return out


def parse_assignments(items: list[str] | None, group: str) -> dict[str, Any]:
    """Parse CLI ``NAME=VALUE`` items of one group (``param`` or ``schedule``), strictly."""
    out: dict[str, Any] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        name = name.strip()
        spec = FIELD.get(name)
        if not sep or spec is None or spec.group != group:
            valid = ", ".join(f.name for f in FIELDS if f.group == group)
            raise ExperimentError(f"Expected NAME=VALUE with NAME one of {valid}; got {item!r}.")
        out[name] = spec.parse(raw)
    return out
