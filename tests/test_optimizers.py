"""core.optimizers against references nobody here wrote: torch.optim, optax, hand-worked steps."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
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


@pytest.mark.parametrize(("name", "lr", "hyper"), CASES, ids=IDS)
def test_matches_torch_with_python_hyperparameters(name, lr, hyper):
    ours = run_eager(opt.make(name, lr, **hyper))
    ref = run_torch(name, lr, hyper)
    for k in P0:
        np.testing.assert_allclose(ours[k], ref[k], rtol=RTOL, atol=ATOL, err_msg=k)
        assert not np.allclose(ref[k], P0[k], atol=1e-3), "the optimizer did not move"


@pytest.mark.parametrize(("name", "lr", "hyper"), CASES, ids=IDS)
def test_matches_torch_with_traced_hyperparameters(name, lr, hyper):
    full = {**opt.HYPERPARAMS[name], **hyper}
    traced = {k: jnp.float32(v) for k, v in full.items()}
    ours = run_traced(name, jnp.float32(lr), traced)
    ref = run_torch(name, lr, hyper)
    for k in P0:
        np.testing.assert_allclose(ours[k], ref[k], rtol=RTOL, atol=ATOL, err_msg=k)


def test_traced_hyperparameters_do_not_recompile():
    @jax.jit
    def run(lr, beta1, beta2):
        return _scan(opt.adam(lr, beta1=beta1, beta2=beta2), 5)

    first = run(0.1, 0.9, 0.999)
    second = run(0.01, 0.5, 0.9)
    assert run._cache_size() == 1
    assert not np.allclose(first["w"], second["w"])


def test_vmap_over_learning_rates_equals_separate_runs():
    lrs = jnp.asarray([1e-3, 3e-2, 0.3], jnp.float32)
    batched = jax.jit(jax.vmap(lambda lr: _scan(opt.rmsprop(lr, momentum=0.5), 20)))(lrs)
    for i, lr in enumerate([1e-3, 3e-2, 0.3]):
        ref = run_torch("rmsprop", lr, {"momentum": 0.5}, steps=20)
        for k in P0:
            np.testing.assert_allclose(batched[k][i], ref[k], rtol=RTOL, atol=ATOL)


# --- optax, where its conventions coincide with torch's -----------------------------------


OPTAX_PAIRS = [
    ("sgd", {}, lambda lr: optax.sgd(lr), RTOL),
    ("momentum", {"momentum": 0.9}, lambda lr: optax.sgd(lr, momentum=0.9), RTOL),
    ("nesterov", {"momentum": 0.8}, lambda lr: optax.sgd(lr, momentum=0.8, nesterov=True), RTOL),
    # optax adds eps inside the root (rsqrt(s + eps)); with eps = 0 both are g / sqrt(s).
    (
        "adagrad",
        {"initial_accumulator_value": 0.1, "eps": 0.0},
        lambda lr: optax.adagrad(lr, initial_accumulator_value=0.1, eps=0.0),
        RTOL,
    ),
    (
        "rmsprop",
        {"alpha": 0.9, "eps": 1e-6},
        lambda lr: optax.rmsprop(lr, decay=0.9, eps=1e-6, eps_in_sqrt=False),
        RTOL,
    ),
    (
        "rmsprop",
        {"alpha": 0.9, "eps": 1e-6, "momentum": 0.7},
        lambda lr: optax.rmsprop(lr, decay=0.9, eps=1e-6, eps_in_sqrt=False, momentum=0.7),
        RTOL,
    ),
    (
        "adam",
        {"beta1": 0.8, "beta2": 0.95, "eps": 1e-6},
        lambda lr: optax.adam(lr, b1=0.8, b2=0.95, eps=1e-6, eps_root=0.0),
        RTOL,
    ),
    # torch's Adam weight decay is L2: decayed weights added to the gradient before Adam.
    # optax evaluates 1 - 0.999^t naively in float32, which costs it ~5e-6 here (we match torch
    # to 1 ulp on the same run, see above); hence the looser tolerance for this pair.
    (
        "adam",
        {"weight_decay": 0.1},
        lambda lr: optax.chain(optax.add_decayed_weights(0.1), optax.adam(lr, eps_root=0.0)),
        1e-4,
    ),
]


@pytest.mark.parametrize(("name", "hyper", "make_optax", "rtol"), OPTAX_PAIRS)
def test_matches_optax_where_conventions_coincide(name, hyper, make_optax, rtol):
    lr = 0.02
    ours = run_eager(opt.make(name, lr, **hyper))
    theirs = run_eager(make_optax(lr))
    for k in P0:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=rtol, atol=ATOL)


def test_schedule_callable_is_read_at_the_pre_increment_count():
    seen = []
    tx = opt.sgd(lambda count: (seen.append(count), 0.5 * (count + 1))[1])
    p = jnp.zeros(2)
    s = tx.init(p)
    u0, s = tx.update(jnp.ones(2), s, p)
    u1, s = tx.update(jnp.ones(2), s, p)
    assert [int(c) for c in seen] == [0, 1]
    np.testing.assert_allclose(u0, [-0.5, -0.5])  # lr(0) = 0.5
    np.testing.assert_allclose(u1, [-1.0, -1.0])  # lr(1) = 1.0


# --- single steps worked by hand ---------------------------------------------------------


def steps_of(tx, params, grads):
    state, out = tx.init(params), []
    for g in grads:
        u, state = tx.update(jnp.asarray(g, jnp.float32), state, params)
        out.append(np.asarray(u))
    return out


def test_sgd_by_hand():
    # p = 1, g = 0.5, wd = 0.2: g' = 0.5 + 0.2 * 1 = 0.7; update = -0.1 * 0.7 = -0.07
    (u,) = steps_of(opt.sgd(0.1, weight_decay=0.2), jnp.float32(1.0), [0.5])
    assert u == pytest.approx(-0.07, rel=1e-6)


def test_momentum_with_dampening_by_hand():
    # mu = 0.9, tau = 0.5, lr = 0.1, g = 1 then 2.
    # step 0: b = g = 1 (torch's first step: no dampening)       -> update -0.1
    # step 1: b = 0.9 * 1 + (1 - 0.5) * 2 = 1.9                     -> update -0.19
    u = steps_of(opt.momentum(0.1, momentum=0.9, dampening=0.5), jnp.float32(0.0), [1.0, 2.0])
    assert u == pytest.approx([-0.1, -0.19], rel=1e-6)


def test_nesterov_by_hand():
    # mu = 0.9, lr = 0.1, g = 1 then 2.
    # step 0: b = 1;             direction 1 + 0.9 * 1 = 1.9    -> update -0.19
    # step 1: b = 0.9 + 2 = 2.9; direction 2 + 0.9 * 2.9 = 4.61 -> update -0.461
    u = steps_of(opt.nesterov(0.1, momentum=0.9), jnp.float32(0.0), [1.0, 2.0])
    assert u == pytest.approx([-0.19, -0.461], rel=1e-6)


def test_adagrad_by_hand():
    # lr = 1, lr_decay = 0.5, eps = 0, g = 3 then 4.
    # step 0: s = 9,  clr = 1 / (1 + 0 * 0.5) = 1:   update -1 * 3 / 3 = -1
    # step 1: s = 25, clr = 1 / (1 + 1 * 0.5) = 2/3: update -(2/3) * 4 / 5 = -8/15
    u = steps_of(opt.adagrad(1.0, lr_decay=0.5, eps=0.0), jnp.float32(0.0), [3.0, 4.0])
    assert u == pytest.approx([-1.0, -8 / 15], rel=1e-6)


def test_rmsprop_with_momentum_by_hand():
    # alpha = 0.75, eps = 0, mu = 0.5, lr = 0.1, g = 2 then 1.
    # step 0: v = 0.25 * 4 = 1;            b = 2 / 1 = 2           -> update -0.2
    # step 1: v = 0.75 * 1 + 0.25 * 1 = 1; b = 0.5 * 2 + 1 / 1 = 2 -> update -0.2
    #   (without momentum step 1 would be -0.1)
    tx = opt.rmsprop(0.1, alpha=0.75, eps=0.0, momentum=0.5)
    assert steps_of(tx, jnp.float32(0.0), [2.0, 1.0]) == pytest.approx([-0.2, -0.2], rel=1e-6)


def test_adam_by_hand():
    # beta1 = 0.5, beta2 = 0.75, eps = 0, lr = 0.1, g = 1 then 3.
    # step 0: m = 0.5, v = 0.25; m_hat = 0.5 / 0.5 = 1, v_hat = 0.25 / 0.25 = 1 -> update -0.1
    # step 1: m = 0.25 + 1.5 = 1.75, v = 0.1875 + 2.25 = 2.4375
    #         m_hat = 1.75 / (1 - 0.25) = 7/3, v_hat = 2.4375 / (1 - 0.5625) = 39/7
    #         update = -0.1 * (7/3) / sqrt(39/7)
    tx = opt.adam(0.1, beta1=0.5, beta2=0.75, eps=0.0)
    u = steps_of(tx, jnp.float32(0.0), [1.0, 3.0])
    assert u == pytest.approx([-0.1, -0.1 * (7 / 3) / math.sqrt(39 / 7)], rel=1e-6)


def test_adam_first_step_has_length_lr_in_every_coordinate():
    # Bias correction makes m_hat = g and v_hat = g^2 at step 0: the step is -lr * sign(g).
    (u,) = steps_of(opt.adam(0.01, eps=0.0), jnp.zeros(3), [[1e-4, -5.0, 300.0]])
    np.testing.assert_allclose(u, [-0.01, 0.01, -0.01], rtol=1e-6)


def test_works_on_other_pytrees():
    point = jnp.asarray([1.0, -2.0])
    tx = opt.adam(0.1)
    u, state = tx.update(2 * point, tx.init(point), point)
    assert u.shape == (2,) and state.count == 1
    tree = (jnp.ones(3), {"x": jnp.float32(2.0)})
    tx = opt.nesterov(0.1)
    u, _ = tx.update(tree, tx.init(tree), tree)
    assert jax.tree_util.tree_structure(u) == jax.tree_util.tree_structure(tree)


# --- registry, errors, documentation ------------------------------------------------------


def test_registry_matches_the_contract():
    assert list(opt.OPTIMIZERS) == [
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
    ]
    assert list(opt.TITLES.values()) == [
        "SGD",
        "Momentum",
        "Nesterov",
        "Adagrad",
        "RMSprop",
        "Adam",
        "AdamW",
    ]
    assert opt.HYPERPARAMS == {
        "sgd": {"weight_decay": 0.0},
        "momentum": {"momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0},
        "nesterov": {"momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0},
        "adagrad": {
            "lr_decay": 0.0,
            "weight_decay": 0.0,
            "initial_accumulator_value": 0.0,
            "eps": 1e-10,
        },
        "rmsprop": {"alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0},
        "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.0},
        "adamw": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
    }
    # torch's own defaults, read off its classes (a reference nobody here wrote).
    torch_adamw = torch.optim.AdamW([torch.zeros(1)]).defaults
    assert torch_adamw["betas"] == (0.9, 0.999) and torch_adamw["eps"] == 1e-8
    assert torch_adamw["weight_decay"] == opt.HYPERPARAMS["adamw"]["weight_decay"]


def test_constructors_keyword_defaults_are_the_catalogs():
    import inspect

    for name, fn in opt.OPTIMIZERS.items():
        params = inspect.signature(fn).parameters.values()
        keywords = {p.name: p.default for p in params if p.name != "learning_rate"}
        assert keywords == opt.HYPERPARAMS[name], name


def test_make_rejects_unknown_names_and_hyperparameters():
    with pytest.raises(ValueError, match=r"Unknown optimizer 'lion'.*sgd, momentum"):
        opt.make("lion", 0.1)
    with pytest.raises(ValueError, match=r"betas for adam; valid: beta1, beta2, eps"):
        opt.make("adam", 0.1, betas=(0.9, 0.99))
    with pytest.raises(ValueError, match=r"Unknown optimizer"):
        opt.update_rule_latex("lbfgs")


@pytest.mark.parametrize(
    ("name", "hyper", "message"),
    [
        ("adam", {"beta1": 1.0}, r"adam: beta1 must be >= 0.0 and < 1.0 \(got 1.0\)"),
        ("rmsprop", {"alpha": -0.1}, r"rmsprop: alpha must be >= 0.0 and <= 1.0"),
        ("momentum", {"momentum": -1.0}, r"momentum: momentum must be >= 0.0"),
        ("adagrad", {"eps": float("nan")}, r"adagrad: eps must be >= 0.0"),
    ],
)
def test_out_of_range_python_hyperparameters_are_rejected(name, hyper, message):
    with pytest.raises(ValueError, match=message):
        opt.make(name, 0.1, **hyper)


CITATIONS = {
    "sgd": ["pytorch.org"],
    "momentum": ["Polyak", "1964", "pytorch.org"],
    "nesterov": ["Nesterov", "1983", "Sutskever", "2013", "pytorch.org"],
    "adagrad": ["Duchi", "2011", "pytorch.org"],
    "rmsprop": ["Hinton", "6e", "pytorch.org"],
    "adam": ["Kingma", "Ba", "2015", "pytorch.org"],
    "adamw": ["Loshchilov", "Hutter", "2019", "pytorch.org"],
}


@pytest.mark.parametrize("name", list(CITATIONS))
def test_docstring_carries_the_update_rule_and_citation(name):
    doc = opt.OPTIMIZERS[name].__doc__
    latex = opt.update_rule_latex(name)
    assert " ".join(latex.split()) in " ".join(doc.split())  # literally, up to line breaks
    assert r"\theta_{t+1}" in latex and latex.count("{") == latex.count("}")
    for word in CITATIONS[name]:
        assert word in doc


# --- state_quantities ---------------------------------------------------------------------


def _stacked_run(tx, lrs, steps=12):
    """Run a scan and keep, per step, the grads, the updates and the state after the step."""
    params = {k: jnp.asarray(v) for k, v in P0.items()}

    def body(carry, t):
        p, s = carry
        g = jax_grad(p, t)
        u, s = tx.update(g, s, p)
        return (jax.tree_util.tree_map(jnp.add, p, u), s), (g, u, s)

    _, (grads, updates, states) = jax.lax.scan(body, (params, tx.init(params)), jnp.arange(steps))
    return grads, updates, states


def _schedule(count):
    return 0.05 / (1.0 + 0.1 * count)


@pytest.mark.parametrize(
    ("name", "hyper", "moment"),
    [
        ("adagrad", {"lr_decay": 0.1, "initial_accumulator_value": 0.2}, "grad"),
        ("rmsprop", {"alpha": 0.9}, "grad"),
        ("adam", {"beta1": 0.8, "beta2": 0.95, "eps": 1e-6}, "exp_avg"),
    ],
)
def test_effective_lr_times_moment_is_the_update(name, hyper, moment):
    grads, updates, states = _stacked_run(opt.make(name, _schedule, **hyper), None)
    lr_t = _schedule(jnp.arange(12))
    q = opt.state_quantities(name, states, lr_t, hyper)
    first = grads if moment == "grad" else states.exp_avg
    for k in P0:
        assert q["effective_lr"][k].shape == (12, *SHAPES[k])
        np.testing.assert_allclose(
            -q["effective_lr"][k] * first[k], updates[k], rtol=2e-5, atol=1e-7
        )


def test_state_quantities_names_and_shapes_on_stacked_states():
    expected = {
        "sgd": set(),
        "momentum": {"velocity"},
        "nesterov": {"velocity"},
        "adagrad": {"sum_sq", "effective_lr"},
        "rmsprop": {"square_avg", "effective_lr"},
        "adam": {"exp_avg", "exp_avg_sq", "effective_lr"},
        "adamw": {"exp_avg", "exp_avg_sq", "effective_lr"},
    }
    for name, keys in expected.items():
        _, _, states = _stacked_run(opt.make(name, 0.01), None, steps=7)
        q = opt.state_quantities(name, states, 0.01, {})
        assert set(q) == keys, name
        for quantity in q.values():
            for k in P0:
                assert quantity[k].shape == (7, *SHAPES[k])


def test_state_quantities_broadcast_over_two_leading_axes():
    # A vmap over 3 learning rates of a 5-step scan: leaves are (3, 5, ...), lr is (3, 5).
    lrs = jnp.asarray([0.01, 0.1, 1.0])
    states = jax.vmap(lambda lr: _stacked_run(opt.adam(lr), None, steps=5)[2])(lrs)
    lr_t = jnp.broadcast_to(lrs[:, None], (3, 5))
    eff = opt.state_quantities("adam", states, lr_t, {})["effective_lr"]
    assert eff["w"].shape == (3, 5, 3, 4)
    # The same state at lr 1.0 and 0.01 has effective rates in ratio 100 (at the same state).
    single = opt.state_quantities("adam", states, 1.0, {})["effective_lr"]["w"]
    np.testing.assert_allclose(eff["w"][2], single[2], rtol=1e-6)
    np.testing.assert_allclose(eff["w"][0] * 100, single[0], rtol=1e-5)


def test_state_quantities_of_a_fresh_state_are_the_first_steps_factors():
    # count 0: the factor step 0 would use with the initial accumulators (t = 0 in the rules).
    p = jnp.zeros(2)
    q = opt.state_quantities(
        "adagrad",
        opt.adagrad(0.3, initial_accumulator_value=4.0).init(p),
        0.3,
        {"lr_decay": 1.0, "initial_accumulator_value": 4.0},
    )
    np.testing.assert_allclose(q["effective_lr"], 0.3 / (2.0 + 1e-10), rtol=1e-6)  # 0.3 / sqrt(4)
    q = opt.state_quantities("adam", opt.adam(0.1).init(p), 0.1, {"eps": 1e-2})
    # v = 0: lr / (1 - beta1^1) / eps = 0.1 / 0.1 / 0.01 = 100
    np.testing.assert_allclose(q["effective_lr"], 100.0, rtol=1e-5)


def test_adam_with_tabulated_scales_takes_the_same_steps():
    # The kernel tabulates adam_scales for a whole run and passes each step its entry; that
    # must be the very update (and effective rate) the optimizer computes on its own.
    lr, b1, b2 = 0.03, 0.8, 0.99
    tx = opt.adam(lr, beta1=b1, beta2=b2, weight_decay=0.01)
    hyper = {"beta1": b1, "beta2": b2}
    table = opt.adam_scales(lr, np.arange(1, 21), b1, b2)
    p = jnp.array([1.0, -2.0])
    own, given = tx.init(p), tx.init(p)
    for t in range(20):
        g = jnp.array([np.sin(t), np.cos(3 * t)], jnp.float32)
        u_own, own = tx.update(g, own, p)
        scales = (table[0][t], table[1][t])
        u_given, given = tx.update(g, given, p, scales=scales)
        np.testing.assert_allclose(u_given, u_own, rtol=1e-6)
        q_own = opt.state_quantities("adam", own, lr, hyper)["effective_lr"]
        q_given = opt.state_quantities("adam", given, lr, hyper, scales)["effective_lr"]
        np.testing.assert_allclose(q_given, q_own, rtol=1e-6)
        p = p + u_own
