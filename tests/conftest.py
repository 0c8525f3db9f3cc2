"""Helpers shared by the test files (the browser fixtures are in tests/browser/conftest.py).

`torch_mlp(params)`: the digits network (64 -> 64 ReLU -> 10) built in PyTorch with the weights
of our JAX model's `params`, the reference the real-model tests compare against.

The suite runs over both cores with pytest-xdist (`-n 2 --dist loadgroup`, scripts/test.sh). Each
file is one group, so a file's tests share one process (its module fixtures, its compiled
kernels, a browser file's server and page); the class store's files form one group, because on
PostgreSQL they share one database that each test empties.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

_HERE = Path(__file__).parent
_SHARED_DATABASE = _HERE / "core" / "classroom"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups into the test ids
def pytest_collection_modifyitems(config, items):
    """Give each test its xdist group: its file, or "class-store" for the store's files."""
    if not config.pluginmanager.hasplugin("xdist"):
        return  # a plain pytest run: no groups to give
    for item in items:
        path = Path(item.path)
        group = "class-store" if path.is_relative_to(_SHARED_DATABASE) else str(path)
        item.add_marker(pytest.mark.xdist_group(group))


def torch_mlp(params):
    """The MLP in torch, holding ``params`` ([{"w", "b"}, {"w", "b"}], w as (in, out))."""
    import torch  # only the tests that compare with torch pay for importing it

    net = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    with torch.no_grad():
        for layer, p in zip((net[0], net[2]), params, strict=True):
            layer.weight.copy_(torch.tensor(np.asarray(p["w"]).T))
            layer.bias.copy_(torch.tensor(np.asarray(p["b"])))
    return net
