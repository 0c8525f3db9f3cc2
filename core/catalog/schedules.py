r"""The learning-rate schedules, each described once: name, title, formula, arguments.

JAX-free. Every argument has torch.optim.lr_scheduler's name, one range (`Range`, used by the
URL schema, by `core.schedules.resolve`, by the widgets through the schema and by the CLI), a
learner's label and one line of help. Each schedule gives its formula in LaTeX (``\eta`` is
the learning rate, ``t`` the step, counted from 0) and the default of each argument as a
function of the run (its rate, its length, the arguments already resolved): torch's default
where torch has one, else one scaled to the run, documented beside it.

``follows_rate`` names the arguments whose default is proportional to the rate (a sweep
rescales them with each rate); ``Argument.rate`` marks arguments measured in units of a rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from core.catalog.limits import MAX_STEPS


@dataclass(frozen=True)
class Range:
    """The values an argument may take. ``high`` is a bound of the maths (a fraction <= 1);
    ``cap`` a limit of sanity (a factor <= 2, a length <= MAX_STEPS), refused the same way."""

    low: float
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    whole: bool = False
    cap: float | None = None

    @property
    def upper(self) -> float | None:
        """The largest value allowed: the bound if there is one, else the cap."""
        return self.high if self.high is not None else self.cap

    def holds(self, v: float) -> bool:
        above = v > self.low if self.low_open else v >= self.low
        upper, open_ = self.upper, self.high is not None and self.high_open
        below = upper is None or (v < upper if open_ else v <= upper)
        return math.isfinite(v) and above and below and (not self.whole or v == int(v))

    def describe(self, value: float | None = None) -> str:
        """The range in symbols, e.g. 'a number > 0 and <= 1'; the cap is named only for a
        value beyond it (it is a limit of sanity, not of the formula)."""
        kind = "a whole number" if self.whole else "a number"
        text = f"{kind} {'>' if self.low_open else '>='} {self.low:g}"
        if self.high is not None:
            text += f" and {'<' if self.high_open else '<='} {self.high:g}"
        elif self.cap is not None and value is not None and value > self.cap:
            text += f" and <= {self.cap:g}"
        return text


@dataclass(frozen=True)
class Argument:
    """One schedule argument: torch's name, its range (or its choices), a learner's words."""

    name: str
    label: str
    help: str
    range: Range | None = None  # None: one of ``choices``
    choices: tuple[str, ...] = ()
    rate: bool = False  # measured in units of a learning rate


# A default: (rate, run length, the arguments resolved before this one) -> value.
Default = Callable[[float, int, Mapping[str, float]], float | str]


@dataclass(frozen=True)
class Schedule:
    name: str
    title: str
    formula: str  # LaTeX
    defaults: Mapping[str, Default]  # every argument, in order, with its default
    follows_rate: tuple[str, ...] = ()  # arguments whose default is proportional to the rate
    torch: str = ""  # the torch scheduler it equals, and where it departs from it

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(self.defaults)


_WHOLE = Range(1, whole=True, cap=MAX_STEPS)
_RATE = Range(0, low_open=True, cap=100.0)


def _a(name, label, help, range=None, **more) -> Argument:
    return Argument(name, label, help, range, **more)


# Every argument once, in the order the URL writes them.
ARGUMENTS: dict[str, Argument] = {
    a.name: a
    for a in (
        _a("step_size", "Steps between drops (step_size)", "The rate drops every this many steps.",
           _WHOLE),
        _a("gamma", "Factor per drop γ (gamma)", "γ: what the rate is multiplied by at each drop.",
           Range(0, low_open=True, cap=2.0)),
        _a("start_factor", "Start factor", "The rate starts at this fraction of the learning rate.",
           Range(0, 1, low_open=True)),
        _a("end_factor", "End factor", "The rate ends at this fraction of the learning rate.",
           Range(0, 1)),
        _a("total_iters", "Length total_iters (steps)",
           "Steps over which the rate moves from start to end.", _WHOLE),
        _a("T_max", "Period T_max (steps)", "Steps for the cosine to fall to the lowest rate.",
           _WHOLE),
        _a("eta_min", "Lowest rate η_min", "The rate at the bottom of the cosine.",
           Range(0, cap=100.0), rate=True),
        _a("base_lr", "Lowest rate (base_lr)", "The cycle's lowest rate.", _RATE, rate=True),
        _a("max_lr", "Highest rate (max_lr)", "The highest rate the schedule reaches.", _RATE,
           rate=True),
        _a("step_size_up", "Steps up (step_size_up)",
           "Steps to climb from lowest to highest rate.", _WHOLE),
        _a("step_size_down", "Steps down (step_size_down)",
           "Steps to fall back to the lowest rate.", _WHOLE),
        _a("total_steps", "Length total_steps (steps)", "Steps the whole schedule lasts.", _WHOLE),
        _a("pct_start", "Share rising (pct_start)",
           "The fraction of the steps spent raising the rate.",
           Range(0, 1, low_open=True, high_open=True)),
        _a("div_factor", "Start divisor (div_factor)", "The rate starts at max_lr ÷ this.",
           Range(0, low_open=True, cap=1e6)),
        _a("final_div_factor", "End divisor (final_div_factor)",
           "The rate ends at the starting rate ÷ this.", Range(0, low_open=True, cap=1e8)),
        _a("warmup_steps", "Warm-up steps",
           "Steps over which the rate grows to the learning rate.", _WHOLE),
        _a("after", "After the warm-up",
           "What the rate does once warmed up: stay, or follow a cosine.",
           choices=("constant", "cosine")),
    )
}  # fmt: skip

AFTER: tuple[str, ...] = ARGUMENTS["after"].choices  # what "warmup" does once warmed up


def _fixed(value: float | str) -> Default:
    return lambda lr, steps, given: value


def _share(divisor: int) -> Default:
    """A length of ``steps // divisor`` steps (at least 1): a default scaled to the run."""
    return lambda lr, steps, given: max(1, steps // divisor)


_RUN = _share(1)  # the whole run
_RATE_ITSELF: Default = lambda lr, steps, given: lr  # noqa: E731


SCHEDULES: dict[str, Schedule] = {
    s.name: s
    for s in (
        Schedule("constant", "Constant", r"\eta_t = \eta", {}, torch="ConstantLR(factor=1)"),
        Schedule(
            "step",
            "Step decay",
            r"\eta_t = \eta\,\gamma^{\lfloor t / \text{step\_size} \rfloor}",
            # torch requires step_size: a quarter of the run, so three drops show.
            {"step_size": _share(4), "gamma": _fixed(0.1)},
            torch="StepLR",
        ),
        Schedule(
            "exponential",
            "Exponential decay",
            r"\eta_t = \eta\,\gamma^{t}",
            {"gamma": _fixed(0.99)},  # torch requires gamma
            torch="ExponentialLR",
        ),
        Schedule(
            "linear",
            "Linear ramp",
            r"\eta_t = \eta \left(f_0 + (f_1 - f_0)\,\frac{\min(t,\,T)}{T}\right),\quad "
            r"f_0 = \text{start\_factor},\ f_1 = \text{end\_factor},\ T = \text{total\_iters}",
            # Not torch's defaults (1/3 -> 1 over 5 steps, a warm-up too short to see here):
            # a decay from the rate to zero over the whole run. Values equal LinearLR's.
            {"start_factor": _fixed(1.0), "end_factor": _fixed(0.0), "total_iters": _RUN},
            torch="LinearLR (other defaults: a decay to 0 over the run)",
        ),
        Schedule(
            "cosine",
            "Cosine annealing",
            r"\eta_t = \eta_{\min} + \tfrac12\,(\eta - \eta_{\min})"
            r"\left(1 + \cos\frac{\pi t}{T_{\max}}\right)",
            {"T_max": _RUN, "eta_min": _fixed(0.0)},  # torch requires T_max
            torch="CosineAnnealingLR",
        ),
        Schedule(
            "cyclic",
            "Cyclic (triangular)",
            r"x = t \bmod (u + d),\quad \eta_t = \eta_{\text{base}} + "
            r"(\eta_{\max} - \eta_{\text{base}}) \begin{cases} x / u & x \le u \\ "
            r"(u + d - x) / d & x > u \end{cases},\quad u, d = \text{step\_size\_up, down}",
            {
                # torch requires both rates: a range of one decade up to the rate itself.
                "base_lr": lambda lr, steps, given: lr / 10,
                "max_lr": _RATE_ITSELF,
                # torch's 2000 exceeds most runs here: an eighth of the run, four full cycles.
                "step_size_up": _share(8),
                # torch: step_size_down=None means as long as the climb.
                "step_size_down": lambda lr, steps, given: given["step_size_up"],
            },
            follows_rate=("base_lr", "max_lr"),
            torch="CyclicLR(mode='triangular'), rates from base_lr and max_lr, lr unused",
        ),
        Schedule(
            "onecycle",
            "One-cycle",
            r"\eta_0 = \frac{\eta_{\max}}{\text{div\_factor}},\ "
            r"\eta_{\text{end}} = \frac{\eta_0}{\text{final\_div\_factor}},\ "
            r"t_1 = \text{pct\_start}\cdot T - 1,\quad \eta_t = \begin{cases} "
            r"\eta_{\max} + \tfrac12(\eta_0 - \eta_{\max})(1 + \cos\frac{\pi t}{t_1})"
            r" & t \le t_1 \\ "
            r"\eta_{\text{end}} + \tfrac12(\eta_{\max} - \eta_{\text{end}})"
            r"(1 + \cos\frac{\pi (t - t_1)}{T - 1 - t_1}) & t > t_1 \end{cases}",
            {
                "max_lr": _RATE_ITSELF,  # torch requires max_lr and total_steps
                "total_steps": _RUN,
                "pct_start": _fixed(0.3),
                "div_factor": _fixed(25.0),
                "final_div_factor": _fixed(1e4),
            },
            follows_rate=("max_lr",),
            torch="OneCycleLR(anneal_strategy='cos'), holds its final rate after total_steps",
        ),
        Schedule(
            "warmup",
            "Linear warm-up",
            r"\eta_t = \begin{cases} \eta\,\frac{t + 1}{W} & t < W \\ \eta & t \ge W "
            r"\ (\text{after} = \text{constant}) \\ \eta_{\min} + \tfrac12(\eta - \eta_{\min})"
            r"\left(1 + \cos\frac{\pi (t - W)}{T - W}\right) & t \ge W\ (\text{after} = "
            r"\text{cosine}) \end{cases},\quad W = \text{warmup\_steps},\ T = \text{total\_steps}",
            {
                "warmup_steps": _share(10),
                "after": _fixed("constant"),
                "eta_min": _fixed(0.0),
                "total_steps": _RUN,
            },
            torch="SequentialLR of LinearLR and ConstantLR or CosineAnnealingLR",
        ),
    )
}

NAMES: tuple[str, ...] = tuple(SCHEDULES)
TITLES: dict[str, str] = {name: s.title for name, s in SCHEDULES.items()}
