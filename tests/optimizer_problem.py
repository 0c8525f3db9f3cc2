"""The shared optimizer test problem: a small pytree, a fixed non-quadratic loss with per-step
noise, and runners for torch.optim, eager and scanned transforms (tests/core/optimizers)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import torch

from core import optimizers as opt

STEPS = 50
RTOL, ATOL = 1e-5, 1e-6

# A small pytree (a matrix and a vector) and a fixed, elementwise, non-quadratic loss whose
# gradient is A*(p - C) + B*(p - C)^3 plus a fixed per-step "mini-batch noise" N_t, so that
# gradients change sign and every buffer is exercised. Both frameworks evaluate the same
# elementwise float32 expression on their own parameters.
_rng = np.random.default_rng(0)
SHAPES = {"w": (3, 4), "b": (4,)}
P0 = {k: _rng.normal(size=s).astype(np.float32) for k, s in SHAPES.items()}
A = {k: _rng.uniform(0.2, 2.0, size=s).astype(np.float32) for k, s in SHAPES.items()}
B = {k: _rng.uniform(0.0, 0.5, size=s).astype(np.float32) for k, s in SHAPES.items()}
C = {k: _rng.normal(size=s).astype(np.float32) for k, s in SHAPES.items()}
NOISE = {k: 0.3 * _rng.normal(size=(STEPS, *s)).astype(np.float32) for k, s in SHAPES.items()}


def jax_grad(params, t):
    return {
        k: A[k] * (params[k] - C[k]) + B[k] * (params[k] - C[k]) ** 3 + jnp.asarray(NOISE[k])[t]
        for k in params
    }


def torch_grad(k, p, t):
    d = p - torch.from_numpy(C[k])
    return (
        torch.from_numpy(A[k]) * d + torch.from_numpy(B[k]) * d**3 + torch.from_numpy(NOISE[k][t])
    )


def torch_optimizer(name, params, lr, hyper):
    h = {**opt.HYPERPARAMS[name], **hyper}
    common = {"lr": lr, "weight_decay": h["weight_decay"], "foreach": False}
    if name == "sgd":
        return torch.optim.SGD(params, **common)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(
            params,
            momentum=h["momentum"],
            dampening=h["dampening"],
            nesterov=name == "nesterov",
            **common,
        )
    if name == "adagrad":
        return torch.optim.Adagrad(
            params,
            lr_decay=h["lr_decay"],
            initial_accumulator_value=h["initial_accumulator_value"],
            eps=h["eps"],
            **common,
        )
    if name == "rmsprop":
        return torch.optim.RMSprop(
            params, alpha=h["alpha"], eps=h["eps"], momentum=h["momentum"], **common
        )
    if name == "adam":
        return torch.optim.Adam(params, betas=(h["beta1"], h["beta2"]), eps=h["eps"], **common)
    if name == "adamw":
        return torch.optim.AdamW(params, betas=(h["beta1"], h["beta2"]), eps=h["eps"], **common)
    raise AssertionError(name)


def run_torch(name, lr, hyper, steps=STEPS, scheduler=None):
    params = {k: torch.tensor(v, requires_grad=True) for k, v in P0.items()}
    optim = torch_optimizer(name, list(params.values()), lr, hyper)
    sched = scheduler(optim) if scheduler else None
    for t in range(steps):
        with torch.no_grad():
            for k, p in params.items():
                p.grad = torch_grad(k, p, t)
        optim.step()
        if sched:
            sched.step()
    return {k: p.detach().numpy() for k, p in params.items()}


def run_eager(tx, steps=STEPS):
    """Our optimizer step by step, hyperparameters as Python numbers."""
    params = {k: jnp.asarray(v) for k, v in P0.items()}
    state = tx.init(params)
    for t in range(steps):
        updates, state = tx.update(jax_grad(params, t), state, params)
        params = jax.tree_util.tree_map(lambda p, u: p + u, params, updates)
    return params


def _scan(tx, steps):
    params = {k: jnp.asarray(v) for k, v in P0.items()}

    def body(carry, t):
        p, s = carry
        g = jax_grad(p, t)
        u, s = tx.update(g, s, p)
        return (jax.tree_util.tree_map(jnp.add, p, u), s), None

    (params, _), _ = jax.lax.scan(body, (params, tx.init(params)), jnp.arange(steps))
    return params


@jax.jit(static_argnames=("name",))
def run_traced(name, lr, hyper):
    """Our optimizer inside jit + scan with the rate and every hyperparameter traced."""
    return _scan(opt.make(name, lr, **hyper), STEPS)


CASES = [
    ("sgd", 0.05, {}),
    ("sgd", 0.05, {"weight_decay": 0.1}),
    ("momentum", 0.02, {}),
    ("momentum", 0.02, {"momentum": 0.5, "dampening": 0.3}),
    ("momentum", 0.02, {"momentum": 0.95, "dampening": 0.5, "weight_decay": 0.05}),
    ("momentum", 0.05, {"momentum": 0.0, "dampening": 0.5}),  # torch ignores dampening here
    ("nesterov", 0.02, {}),
    ("nesterov", 0.02, {"momentum": 0.7, "weight_decay": 0.05}),
    ("adagrad", 0.3, {}),
    ("adagrad", 0.3, {"lr_decay": 0.05}),
    ("adagrad", 0.3, {"initial_accumulator_value": 0.5, "eps": 1e-3, "weight_decay": 0.02}),
    ("rmsprop", 0.01, {}),
    ("rmsprop", 0.01, {"alpha": 0.9, "eps": 1e-4}),
    ("rmsprop", 0.005, {"momentum": 0.8, "weight_decay": 0.05}),
    ("adam", 0.05, {}),
    ("adam", 0.05, {"beta1": 0.5, "beta2": 0.9, "eps": 1e-3}),
    ("adam", 0.05, {"weight_decay": 0.1}),
    ("adam", 0.05, {"beta1": 0.0, "beta2": 0.99}),
    ("adamw", 0.05, {}),  # torch's default weight_decay, 0.01
    ("adamw", 0.05, {"weight_decay": 0.5}),  # a decay large enough to dominate
    ("adamw", 0.05, {"beta1": 0.5, "beta2": 0.9, "eps": 1e-3, "weight_decay": 0.1}),
    ("adamw", 0.05, {"weight_decay": 0.0}),  # no decay: exactly Adam
]
IDS = [f"{n}-{'-'.join(f'{k}={v}' for k, v in h.items()) or 'defaults'}" for n, _, h in CASES]
