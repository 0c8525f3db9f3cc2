"""Helpers shared by the test files (the browser fixtures are in tests/browser/conftest.py).

`torch_mlp(params)`: the digits network (64 -> 64 ReLU -> 10) built in PyTorch with the weights
of our JAX model's `params`, the reference the real-model tests compare against.
"""

from __future__ import annotations

import numpy as np


def torch_mlp(params):
    """The MLP in torch, holding ``params`` ([{"w", "b"}, {"w", "b"}], w as (in, out))."""
    import torch  # only the tests that compare with torch pay for importing it

    net = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    with torch.no_grad():
        for layer, p in zip((net[0], net[2]), params, strict=True):
            layer.weight.copy_(torch.tensor(np.asarray(p["w"]).T))
            layer.bias.copy_(torch.tensor(np.asarray(p["b"])))
    return net
