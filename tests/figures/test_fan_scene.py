"""The fan as the page receives it (figures/valley/fan_scene.py): decoded, it is the fan's own
points, words and colours (the catalog's), and it stays within its byte bounds."""

from __future__ import annotations

import base64
import json

import numpy as np

from core.catalog.statuses import STATUS_COLOR, STATUS_WORD, step_phrase
from core.schema.experiment import Experiment
from core.valley.fan import drawn_steps, fan
from figures.valley.curves import loss_gap
from figures.valley.fan_scene import fan_data


def _decode(spec) -> np.ndarray:
    dtype = {"f2": np.float16, "f4": np.float32}[spec["dtype"]]
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype)


def test_decoded_it_is_the_fan():
    f = fan(Experiment(surface="rosenbrock", optimizer="adam", steps=200))
    d = fan_data(f, floor=0.0, slider="lr_drag", index=3)
    assert (d["slider"], d["index"], d["paths"]) == ("lr_drag", 3, len(f.lr))
    xy = _decode(d["xy"]).astype(np.float64).reshape(-1, 2)
    gap = _decode(d["gap"])
    offsets = np.concatenate([[0], np.cumsum(d["count"])])
    assert offsets[-1] == len(xy) == len(gap)
    for k, points in enumerate(f.drawn):
        mine = xy[offsets[k] : offsets[k + 1]]
        # float16: 11 significant bits, a fraction of a pixel on the map
        np.testing.assert_allclose(mine, points[:, 0:2], rtol=2**-10, atol=1e-4)
        expected, _ = loss_gap(points[:, 2], 0.0)
        if np.isfinite(f.escape_loss[k]):
            expected = loss_gap(np.append(points[:, 2], f.escape_loss[k]), 0.0)[0][:-1]
        np.testing.assert_allclose(gap[offsets[k] : offsets[k + 1]], expected, rtol=1e-6)
        o = f.outcomes[k]
        words = STATUS_WORD[o.status] + step_phrase(o.status, o.step)
        assert d["badge"][k][:2] == [o.status, words]
        assert d["taken"][k] == f.taken[k]
        assert (d["escape"][k] is None) == (o.status != "diverged")
    assert d["colors"]["diverged"] == list(STATUS_COLOR["diverged"])
    # The page names the drawn steps by the same rule (player_fan.js): both ends, in order.
    assert drawn_steps(201, 512).tolist() == list(range(201))


def test_bytes_stay_within_the_bounds():
    small = len(json.dumps(fan_data(fan(Experiment()), floor=0.0, slider="lr_drag")))
    exp = Experiment(surface="rosenbrock", optimizer="adam", steps=10_000)
    large = len(json.dumps(fan_data(fan(exp), floor=0.0, slider="lr_drag")))
    assert small <= 400_000
    assert large <= 1_000_000
