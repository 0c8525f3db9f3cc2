"""AdamW, added by its catalog entry and its file alone, in the pages through AppTest: the
picker and its settings, the update rule and internals, the race, the sweep and the walkers."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from core.catalog.optimizers import CATALOG
from tests.paths import REPO

APP = str(REPO / "app.py")


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def scene_of(at: AppTest) -> dict:
    (player,) = [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    return json.loads(player.proto.json)["scene"]


def test_the_playground_picks_adamw_with_its_settings_rule_and_internals():
    at = open_page("playground")
    picker = at.sidebar.selectbox(key="optimizer")
    assert "adamw" in picker.options or "AdamW" in picker.options
    picker.set_value("adamw").run()
    assert at.query_params["optimizer"] == "adamw"
    decay = at.sidebar.number_input(key="hp_adamw_weight_decay")
    assert decay.value == 0.01 and decay.label == "Weight decay (decoupled)"
    assert {w.label for w in at.sidebar.number_input} >= {"Momentum β₁", "Step-size memory β₂"}
    at.toggle(key="internals").set_value(True).run()
    assert "ex" in scene_of(at)["anim"]  # the effective rate per coordinate
    text = " ".join(m.value for m in at.markdown)
    assert "Update rule of AdamW" in text and r"(1 - \eta_t \lambda)" in text


def test_the_race_runs_adamw_among_the_racers():
    at = open_page("race", surface="bowl", steps="40", racers="sgd,adamw")
    assert sorted(p["name"] for p in scene_of(at)["paths"]) == ["adamw", "sgd"]


def test_the_sweep_draws_adamw_and_says_it_has_no_theory_line():
    at = open_page("sweep", surface="bowl", optimizer="adamw")
    ucurve = json.loads(at.get("plotly_chart")[0].proto.spec)
    shown = [t["meta"]["optimizer"] for t in ucurve["data"] if t["meta"]["role"] == "final"]
    assert shown == ["adamw"] and CATALOG["adamw"].theory is None
    assert any("Adaptive optimizers rescale" in c.value for c in at.caption)


def test_the_walkers_page_takes_adamw_from_a_link():
    at = open_page("walkers", surface="bowl", optimizer="adamw", lr="0.05", steps="50")
    (picker,) = [w for w in at.sidebar.selectbox if w.label == "Optimizer"]
    assert picker.value == "adamw" and "AdamW" in picker.options
