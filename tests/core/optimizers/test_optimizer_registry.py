"""The optimizer registry: its contract, errors, defaults and documentation."""

from __future__ import annotations

import pytest
import torch

from core import optimizers as opt

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
