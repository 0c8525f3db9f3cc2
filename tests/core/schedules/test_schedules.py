"""core.schedules against torch.optim.lr_scheduler, an independent warm-up formula, and jit."""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core import optimizers as opt
from core import schedules as S

LS = torch.optim.lr_scheduler
STEPS = 300


def torch_curve(make_scheduler, lr, steps=STEPS):
    """The rate torch uses for steps 0 .. steps-1: read before each optimizer step."""
    p = torch.zeros(1, requires_grad=True)
    optim = torch.optim.SGD([p], lr=lr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR's deprecation chatter, if any
        sched = make_scheduler(optim)
    out = []
    for _ in range(steps):
        out.append(optim.param_groups[0]["lr"])
        optim.step()
        sched.step()
    return np.asarray(out)


def torch_scheduler(name, a):
    """torch's scheduler for our resolved arguments ``a`` (a dict of floats)."""
    i = lambda k: int(a[k])
    if name == "constant":
        return lambda o: LS.ConstantLR(o, factor=1.0, total_iters=0)
    if name == "step":
        return lambda o: LS.StepLR(o, step_size=i("step_size"), gamma=a["gamma"])
    if name == "exponential":
        return lambda o: LS.ExponentialLR(o, gamma=a["gamma"])
    if name == "linear":
        return lambda o: LS.LinearLR(
            o,
            start_factor=a["start_factor"],
            end_factor=a["end_factor"],
            total_iters=i("total_iters"),
        )
    if name == "cosine":
        return lambda o: LS.CosineAnnealingLR(o, T_max=i("T_max"), eta_min=a["eta_min"])
    if name == "cyclic":
        return lambda o: LS.CyclicLR(
            o,
            base_lr=a["base_lr"],
            max_lr=a["max_lr"],
            step_size_up=i("step_size_up"),
            step_size_down=i("step_size_down"),
            mode="triangular",
            cycle_momentum=False,
        )
    if name == "onecycle":
        return lambda o: LS.OneCycleLR(
            o,
            max_lr=a["max_lr"],
            total_steps=i("total_steps"),
            pct_start=a["pct_start"],
            div_factor=a["div_factor"],
            final_div_factor=a["final_div_factor"],
            anneal_strategy="cos",
            three_phase=False,
            cycle_momentum=False,
        )
    if name == "warmup":
        W, T = i("warmup_steps"), i("total_steps")

        def make(o):
            ramp = LS.LinearLR(o, start_factor=1 / W, end_factor=1.0, total_iters=W - 1)
            if a["after"] == 1:
                tail = LS.CosineAnnealingLR(o, T_max=T - W, eta_min=a["eta_min"])
            else:
                tail = LS.ConstantLR(o, factor=1.0, total_iters=0)
            return LS.SequentialLR(o, [ramp, tail], milestones=[W])

        return make
    raise AssertionError(name)


CASES = [
    ("constant", {}),
    ("step", {}),
    ("step", {"step_size": 7, "gamma": 0.5}),
    ("step", {"step_size": 1, "gamma": 0.97}),
    ("step", {"step_size": 100, "gamma": 2.0}),
    ("exponential", {}),
    ("exponential", {"gamma": 0.9}),
    ("exponential", {"gamma": 1.005}),
    ("linear", {}),
    ("linear", {"start_factor": 0.1, "total_iters": 100}),
    ("linear", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 250}),
    ("linear", {"start_factor": 0.5, "end_factor": 0.2, "total_iters": 400}),
    ("cosine", {}),
    ("cosine", {"T_max": 50, "eta_min": 0.01}),  # t > T_max: torch's curve comes back up
    ("cosine", {"T_max": 1}),
    ("cyclic", {}),
    ("cyclic", {"base_lr": 0.01, "max_lr": 0.3, "step_size_up": 7, "step_size_down": 30}),
    ("cyclic", {"base_lr": 0.2, "max_lr": 0.02, "step_size_up": 1, "step_size_down": 1}),
    ("onecycle", {}),
    ("onecycle", {"pct_start": 0.25, "div_factor": 10, "final_div_factor": 100}),
    ("onecycle", {"max_lr": 1.0, "total_steps": 400, "pct_start": 0.05}),
    ("onecycle", {"pct_start": 0.5}),
    ("warmup", {}),
    ("warmup", {"warmup_steps": 1, "after": "cosine"}),
    ("warmup", {"warmup_steps": 40, "after": "cosine", "eta_min": 0.001}),
    ("warmup", {"warmup_steps": 40, "after": "cosine", "total_steps": 100}),  # periodic tail
    ("warmup", {"warmup_steps": 299}),
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items()) or 'defaults'}" for n, p in CASES]


def close(ours, ref, lr_scale):
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-7 * lr_scale)


@pytest.mark.parametrize(("name", "params"), CASES, ids=IDS)
def test_matches_torch(name, params):
    lr = 0.1
    args = S.resolve(name, lr, STEPS, params)
    ours = S.lr_curve(name, lr, STEPS, **params)
    ref = torch_curve(torch_scheduler(name, args), lr)
    assert ours.shape == (STEPS,) and ours.dtype == np.float32
    close(ours, ref, max(lr, args.get("max_lr", 0.0), args.get("base_lr", 0.0)))
    if name != "constant" and params:
        assert np.ptp(ref) > 0, "the case does not exercise the schedule"


def warmup_formula(lr, t, W, after, eta_min, T):
    """The documented warm-up, evaluated independently in float64."""
    if t < W:
        return lr * (t + 1) / W
    if after == "constant":
        return lr
    return eta_min + 0.5 * (lr - eta_min) * (1 + math.cos(math.pi * (t - W) / (T - W)))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"warmup_steps": 12, "after": "cosine", "eta_min": 0.02, "total_steps": 200},
        {"warmup_steps": 3, "after": "cosine", "total_steps": 90},
    ],
)
def test_warmup_matches_its_formula(params):
    lr, steps = 0.5, 200
    a = {**dict(zip(S.PARAMS["warmup"], (20, "constant", 0.0, steps), strict=True)), **params}
    ref = [
        warmup_formula(lr, t, a["warmup_steps"], a["after"], a["eta_min"], a["total_steps"])
        for t in range(steps)
    ]
    close(S.lr_curve("warmup", lr, steps, **params), ref, lr)


def test_warmup_ramp_by_hand():
    # W = 4: lr * 1/4, 2/4, 3/4, then lr from t = 4 on.
    np.testing.assert_allclose(
        S.lr_curve("warmup", 2.0, 7, warmup_steps=4), [0.5, 1.0, 1.5, 2.0, 2.0, 2.0, 2.0]
    )


def test_onecycle_holds_its_final_rate_after_total_steps():
    curve = S.lr_curve("onecycle", 1.0, 60, total_steps=40)
    final = 1.0 / 25 / 1e4
    np.testing.assert_allclose(curve[39:], final, rtol=1e-5)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(["step", "exponential", "linear", "cosine", "cyclic", "onecycle"]),
    data=st.data(),
)
def test_random_arguments_match_torch(name, data):
    whole = st.integers(1, 80)
    draw = {
        "step": {"step_size": whole, "gamma": st.floats(0.05, 1.5)},
        "exponential": {"gamma": st.floats(0.8, 1.02)},
        "linear": {
            "start_factor": st.floats(0.01, 1.0),
            "end_factor": st.floats(0.0, 1.0),
            "total_iters": whole,
        },
        "cosine": {"T_max": whole, "eta_min": st.floats(0.0, 0.05)},
        "cyclic": {
            "base_lr": st.floats(1e-4, 0.5),
            "max_lr": st.floats(1e-4, 0.5),
            "step_size_up": whole,
            "step_size_down": whole,
        },
        "onecycle": {
            "max_lr": st.floats(1e-3, 2.0),
            "total_steps": st.integers(100, 200),
            "pct_start": st.floats(0.02, 0.98),
            "div_factor": st.floats(1.0, 100.0),
            "final_div_factor": st.floats(1.0, 1e4),
        },
    }[name]
    params = {k: data.draw(s, label=k) for k, s in draw.items()}
    steps, lr = 100, 0.1
    args = S.resolve(name, lr, steps, params)
    ref = torch_curve(torch_scheduler(name, args), lr, steps)
    close(
        S.lr_curve(name, lr, steps, **params),
        ref,
        max(lr, *(args.get(k, 0.0) for k in ("max_lr", "base_lr"))),
    )


# --- jit: traced arguments, one compilation ----------------------------------------------


@pytest.mark.parametrize("name", S.SCHEDULES)
def test_traced_arguments_under_jit_do_not_recompile(name):
    f = jax.jit(lambda t, lr, args: S.lr_at(name, t, lr, args))
    t = jnp.arange(120)
    variants = {
        "constant": [{}, {}],
        "step": [{"step_size": 10, "gamma": 0.5}, {"step_size": 33, "gamma": 0.9}],
        "exponential": [{"gamma": 0.95}, {"gamma": 0.99}],
        "linear": [
            {"start_factor": 0.2},
            {"start_factor": 0.9, "end_factor": 0.1, "total_iters": 60},
        ],
        "cosine": [{"T_max": 120}, {"T_max": 30, "eta_min": 0.01}],
        "cyclic": [{}, {"base_lr": 0.001, "step_size_up": 5, "step_size_down": 9}],
        "onecycle": [{}, {"pct_start": 0.6, "total_steps": 200}],
        "warmup": [{}, {"warmup_steps": 30, "after": "cosine", "eta_min": 0.001}],
    }[name]
    for lr, params in zip((0.1, 0.03), variants, strict=True):
        args = {k: jnp.float32(v) for k, v in S.resolve(name, lr, 120, params).items()}
        np.testing.assert_allclose(
            f(t, jnp.float32(lr), args), S.lr_curve(name, lr, 120, **params), rtol=2e-5, atol=1e-9
        )
    assert f._cache_size() == 1


def test_lr_at_is_elementwise_and_vmappable():
    args = S.resolve("cosine", 0.1, 100, {})
    grid = S.lr_at("cosine", jnp.arange(100).reshape(10, 10), 0.1, args)
    np.testing.assert_allclose(grid.ravel(), S.lr_curve("cosine", 0.1, 100), rtol=1e-6)
    lrs = jnp.asarray([0.1, 1.0])
    batched = jax.vmap(
        lambda lr: S.lr_at("warmup", jnp.arange(5), lr, {**args, **S.resolve("warmup", 1.0, 5, {})})
    )(lrs)
    np.testing.assert_allclose(batched, [[0.1] * 5, [1.0] * 5], rtol=1e-6)


# --- schedules driving the optimizers, against torch optimizer + scheduler ---------------


@pytest.mark.parametrize(
    ("opt_name", "sched_name", "params"),
    [
        ("adam", "cosine", {"T_max": 40, "eta_min": 0.001}),
        ("momentum", "onecycle", {}),
        ("adagrad", "step", {"step_size": 10, "gamma": 0.5}),
        ("rmsprop", "warmup", {"warmup_steps": 8, "after": "cosine"}),
    ],
)
def test_as_callable_drives_an_optimizer_like_a_torch_scheduler(opt_name, sched_name, params):
    lr, steps = 0.05, 60
    target = np.linspace(-1.0, 2.0, 6).astype(np.float32)
    args = S.resolve(sched_name, lr, steps, params)
    tx = opt.make(opt_name, S.as_callable(sched_name, lr, args))
    p = jnp.zeros(6)
    state = tx.init(p)
    for _ in range(steps):
        u, state = tx.update(3.0 * (p - target), state, p)
        p = p + u

    tp = torch.zeros(6, requires_grad=True)
    torch_opt = {
        "adam": lambda: torch.optim.Adam([tp], lr=lr, foreach=False),
        "momentum": lambda: torch.optim.SGD([tp], lr=lr, momentum=0.9, foreach=False),
        "adagrad": lambda: torch.optim.Adagrad([tp], lr=lr, foreach=False),
        "rmsprop": lambda: torch.optim.RMSprop([tp], lr=lr, foreach=False),
    }[opt_name]()
    sched = torch_scheduler(sched_name, args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = sched(torch_opt)
    for _ in range(steps):
        tp.grad = 3.0 * (tp.detach() - torch.from_numpy(target))
        torch_opt.step()
        sched.step()
    np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-5, atol=1e-6)
