"""Hostile and broken links on the playground page (AppTest): a notice, no traceback, a chart.

The same table of extreme settings as the URL and CLI tests
(tests/architecture/test_hostile_input.py), so the three doors refuse the same things; then junk
and contradictory links, a broken formula,
and divergence, whose chart must carry no NaN or inf and keep its axes on the surface.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core.schema.experiment import FIELD, decode
from core.valley.resolver import escape_box
from figures.valley.path import decode_f4
from tests.architecture.test_hostile_input import EXTREME, IDS
from tests.paths import REPO
from ui.text import plain

PAGE = str(REPO / "app_pages" / "playground.py")


def open_page(query: dict, **toggles) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if toggles:
        for key, value in toggles.items():
            at.toggle(key=key).set_value(value)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def scene_of(at: AppTest) -> dict:
    players = [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    scenes = [json.loads(p.proto.json).get("scene") for p in players]
    scenes = [s for s in scenes if s]
    assert len(scenes) == 1, "the page must still draw its chart"
    return scenes[0]


def notices(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def numbers(node, path=""):
    """Every number in a scene, typed arrays decoded: (path, numpy array)."""
    if isinstance(node, dict):
        if node.get("dtype") == "f4" and "bdata" in node:
            yield path, decode_f4(node)
            return
        for key, value in node.items():
            yield from numbers(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from numbers(value, f"{path}[{i}]")
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, np.array([node], dtype=np.float64)


def assert_chart_is_finite_and_on_the_surface(scene: dict, surface) -> None:
    bad = [p for p, a in numbers(scene) if not np.isfinite(a).all()]
    assert not bad, f"non-finite numbers in the chart at {bad[:5]}"
    (x0, x1), (y0, y1) = surface.domain
    x_range = scene["map"]["layout"]["xaxis"]["range"]
    y_range = scene["map"]["layout"]["yaxis"]["range"]
    assert x_range == pytest.approx([x0, x1]) and y_range == pytest.approx([y0, y1])
    # The path stops where it escaped (ten half-widths out), never drawn at astronomic values.
    bx0, bx1, by0, by1 = escape_box(surface.domain)
    xs, ys = decode_f4(scene["anim"]["x"]), decode_f4(scene["anim"]["y"])
    assert bx0 <= xs.min() and xs.max() <= bx1 and by0 <= ys.min() and ys.max() <= by1


@pytest.mark.parametrize(("key", "raw", "extra", "words"), EXTREME, ids=IDS)
def test_an_extreme_setting_in_a_link_shows_a_notice_and_the_default_run(key, raw, extra, words):
    at = open_page({**extra, key: raw})
    assert words in notices(at)
    scene = scene_of(at)
    assert key not in at.query_params  # the link is rewritten without the refused value
    ss = at.session_state
    spec = FIELD[key]
    if key == "lr":
        assert ss["lr"] == spec.default
    elif key == "steps":
        assert ss["steps"] == spec.default
        assert len(decode_f4(scene["anim"]["x"])) <= spec.default + 1
    elif key == "start":
        assert not ss["start_custom"]
    else:
        default = core.optimizers.HYPERPARAMS[extra["optimizer"]][key]
        assert ss[f"hp_{extra['optimizer']}_{key}"] == default


def test_junk_and_missing_values_open_the_defaults_with_a_notice():
    at = open_page({"lr": "", "steps": "abc", "surface": "<script>", "zzz": "1", "seed": "-1"})
    text = notices(at)
    for words in ("lr must be a number", "steps must be a number", "'zzz'", "seed must be"):
        assert words in text
    assert at.session_state["surface"] == FIELD["surface"].default
    scene_of(at)
    assert dict(at.query_params) == {}


def test_a_start_outside_the_surface_falls_back_with_a_notice():
    at = open_page({"surface": "bowl", "start": "99,99"})
    assert "start" in notices(at)
    scene_of(at)


@pytest.mark.parametrize(
    "query",
    [
        {"surface": "bowl", "formula": "x^2"},
        {"optimizer": "sgd", "beta1": "0.5"},
        {"schedule": "constant", "T_max": "5"},
    ],
    ids=["formula", "beta1-sgd", "T_max-constant"],
)
def test_contradictory_values_are_reported(query):
    at = open_page(query)
    scene_of(at)
    assert notices(at)


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("log(x) + log(y)", "undefined"),
        ("x - x + 3", "doesn't depend on x or y"),
        ("exp(exp(x)) + y", "too steep"),
        ("__import__('os').system('id')", "Unknown name '__import__'"),
    ],
)
def test_a_broken_formula_gets_a_message_not_a_broken_chart(formula, words):
    at = open_page({"surface": "custom", "formula": formula})
    assert any(plain(words) in e.value for e in at.sidebar.error)  # shown as text, escaped
    assert not [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    assert any("Fix the formula" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("query", "toggles"),
    [
        ({"surface": "rosenbrock", "lr": "100"}, {}),
        ({"surface": "rosenbrock", "lr": "100"}, {"three": True, "internals": True}),
        ({"surface": "bowl", "optimizer": "adam", "lr": "10"}, {"internals": True}),
        ({"surface": "custom", "formula": "exp(x^2) + y^2", "lr": "1"}, {"three": True}),
        ({"surface": "himmelblau", "optimizer": "momentum", "lr": "5", "steps": "300"}, {}),
    ],
    ids=["rosenbrock", "rosenbrock-3d-internals", "adam", "custom", "momentum"],
)
def test_divergence_never_puts_nan_or_inf_into_the_chart(query, toggles):
    at = open_page(query, **toggles)
    scene = scene_of(at)
    surface = core.get_surface(query["surface"]) if query["surface"] != "custom" else None
    surface = surface or core.custom_surface(query["formula"])
    assert_chart_is_finite_and_on_the_surface(scene, surface)
    if query.get("optimizer") != "adam":  # Adam's steps stay near lr: it wanders, not diverges
        assert core.simulate(decode(query)[0]).diverged_at is not None
    if toggles.get("three"):
        x_range = scene["three"]["layout"]["scene"]["xaxis"]["range"]
        assert x_range == pytest.approx(list(surface.domain[0]))
