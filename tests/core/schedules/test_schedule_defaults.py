"""Each schedule given only some of its arguments, against torch given the same ones.

torch fills the rest with its own defaults (read from its signatures, not from us), so a
default of ours that differs from torch's shows up as a different ``lr[t]``. Where torch has
no default (a required argument) or the catalog departs from torch on purpose (documented in
`core.catalog.schedules`), the test hands torch our resolved value for that argument, and the
comparison checks the rest. The fault that started this: CyclicLR given only step_size_up
descends over step_size_up steps too (torch: step_size_down=None), ours over steps // 8.
"""

from __future__ import annotations

import inspect
import itertools
import warnings

import numpy as np
import pytest
import torch

from core import schedules as S

LS = torch.optim.lr_scheduler
LR, STEPS = 0.1, 300

# A value per argument, away from every default, valid for every schedule that has it.
GIVEN = {
    "step_size": 7,
    "gamma": 0.5,
    "start_factor": 0.2,
    "end_factor": 0.6,
    "total_iters": 120,
    "T_max": 50,
    "eta_min": 0.01,
    "base_lr": 0.01,
    "max_lr": 0.3,
    "step_size_up": 7,
    "step_size_down": 30,
    "total_steps": 200,
    "pct_start": 0.25,
    "div_factor": 10.0,
    "final_div_factor": 100.0,
    "warmup_steps": 40,
    "after": "cosine",
}
TORCH = {
    "step": LS.StepLR,
    "exponential": LS.ExponentialLR,
    "linear": LS.LinearLR,
    "cosine": LS.CosineAnnealingLR,
    "cyclic": LS.CyclicLR,
    "onecycle": LS.OneCycleLR,
}
# Our defaults that are not torch's, on purpose (each documented in the catalog): LinearLR's
# 1/3 -> 1 over 5 steps and CyclicLR's 2000-step climb are too short or long for these runs;
# OneCycleLR's total_steps=None means "from epochs", which these runs do not have.
DEPARTURES = {
    ("linear", "start_factor"),
    ("linear", "end_factor"),
    ("linear", "total_iters"),
    ("cyclic", "step_size_up"),
    ("onecycle", "total_steps"),
}
WHOLE = {"step_size", "total_iters", "T_max", "step_size_up", "step_size_down", "total_steps"}


def _torch_default(name: str, arg: str) -> bool:
    """Whether torch has its own default for the argument (and we take it)."""
    if name == "warmup":  # our SequentialLR: only the cosine tail's eta_min is torch's
        return arg == "eta_min"
    param = inspect.signature(TORCH[name]).parameters[arg]
    return param.default is not inspect.Parameter.empty and (name, arg) not in DEPARTURES


def _warmup(optim, warmup_steps, after, total_steps, **tail):
    W, T = int(warmup_steps), int(total_steps)
    ramp = LS.LinearLR(optim, start_factor=1 / W, end_factor=1.0, total_iters=W - 1)
    if after == "cosine":
        rest = LS.CosineAnnealingLR(optim, T_max=T - W, **tail)  # eta_min: torch's unless given
    else:
        rest = LS.ConstantLR(optim, factor=1.0, total_iters=0)
    return LS.SequentialLR(optim, [ramp, rest], milestones=[W])


def torch_lr(name: str, kwargs: dict, steps: int) -> np.ndarray:
    """The rate torch uses at steps 0 .. steps - 1 with exactly ``kwargs``."""
    p = torch.zeros(1, requires_grad=True)
    optim = torch.optim.SGD([p], lr=LR, momentum=0.0)
    kwargs = {k: int(v) if k in WHOLE else v for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "constant":
            sched = None
        elif name == "warmup":
            sched = _warmup(optim, **kwargs)
        else:
            sched = TORCH[name](optim, **kwargs)
    out = []
    for _ in range(steps):
        out.append(optim.param_groups[0]["lr"])
        optim.step()
        if sched is not None:
            sched.step()
    return np.asarray(out)


CASES = [
    (name, subset)
    for name, args in S.PARAMS.items()
    for size in range(len(args) + 1)
    for subset in itertools.combinations(args, size)
]


@pytest.mark.parametrize(
    ("name", "subset"), CASES, ids=[f"{n}-{'+'.join(s) or 'none'}" for n, s in CASES]
)
def test_defaults_of_the_missing_arguments_are_torchs(name, subset):
    given = {arg: GIVEN[arg] for arg in subset}
    ours_resolved = S.resolve(name, LR, STEPS, given)
    if name == "warmup":  # resolve encodes "after" as its index
        ours_resolved["after"] = S.AFTER[int(ours_resolved["after"])]
    kwargs = dict(given)
    for arg in S.PARAMS[name]:
        if arg not in given and not _torch_default(name, arg):
            kwargs[arg] = ours_resolved[arg]
    if name == "warmup" and kwargs["after"] != "cosine":
        kwargs.pop("eta_min", None)  # no cosine tail: eta_min is not used
    # torch's one-cycle refuses steps past total_steps (ours holds the final rate).
    steps = int(ours_resolved["total_steps"]) if name == "onecycle" else STEPS
    ours = S.lr_curve(name, LR, STEPS, **given)[:steps]
    ref = torch_lr(name, kwargs, steps)
    scale = max(LR, ours_resolved.get("max_lr", 0.0), ours_resolved.get("base_lr", 0.0))
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-7 * scale)
