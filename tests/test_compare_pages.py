"""The race, sweep and walkers pages through Streamlit's AppTest, opened through app.py's
navigation (as a browser would) with a query string in the shared schema."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core.compare import race
from core.experiment import OPTIMIZER_NAMES, Experiment
from core.sweeps import good_rate, grid_starts, walkers
from core.theory import nearest_analysis
from figures.path import decode_f4

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py").run()  # straight to the page, as a link would
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def race_scene(at: AppTest) -> dict:
    (player,) = [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    return json.loads(player.proto.json)["scene"]


def test_race_runs_every_optimizer_at_its_good_rate_and_ranks_them():
    at = open_page("race", surface="himmelblau", steps="120")
    exp = Experiment(surface="himmelblau", steps=120)
    scene = race_scene(at)
    assert sorted(p["name"] for p in scene["paths"]) == sorted(OPTIMIZER_NAMES)
    board = race(exp, {n: good_rate(exp, n) for n in OPTIMIZER_NAMES})
    for p, entry in zip(scene["paths"], board, strict=True):
        assert p["name"] == entry.optimizer  # drawn in leaderboard order
        np.testing.assert_allclose(decode_f4(p["x"]), entry.run.path[:, 0], rtol=1e-6)
    table = at.dataframe[0].value
    assert list(table["rank"]) == list(range(1, 7))
    assert list(table["learning rate"]) == pytest.approx([e.lr for e in board])
    assert list(table["outcome"]) == [e.status.replace("_", " ") for e in board]
    assert dict(at.query_params) == {"surface": "himmelblau", "steps": "120"}


def test_a_race_link_sets_one_optimizers_rate():
    at = open_page("race", surface="bowl", optimizer="adam", lr="0.3")
    assert at.sidebar.number_input(key="cmp_rate_adam").value == 0.3
    table = at.dataframe[0].value
    row = table[table["optimizer"] == "Adam"]
    assert float(row["learning rate"].iloc[0]) == 0.3
    assert dict(at.query_params) == {"surface": "bowl", "optimizer": "adam", "lr": "0.3"}
    at.multiselect(key="cmp_racers").set_value(["sgd", "adam"]).run()
    assert [p["name"] for p in race_scene(at)["paths"]] != []
    assert len(race_scene(at)["paths"]) == 2


def test_sweep_draws_the_u_curve_with_theorys_critical_rate():
    at = open_page("sweep", surface="himmelblau", optimizer="sgd", lr="0.01")
    ucurve = charts(at)[0]
    final = [t for t in ucurve["data"] if t.get("meta", {}).get("role") == "final"]
    (sgd,) = final
    lrs = np.array(sgd["x"])
    assert len(lrs) >= 200 and np.log10(lrs.max() / lrs.min()) >= 5
    expected = nearest_analysis(Experiment(surface="himmelblau")).critical_lr["sgd"]
    assert ucurve["layout"]["meta"]["critical"]["sgd"] == pytest.approx(expected)
    shapes = {s.get("name"): s for s in ucurve["layout"]["shapes"]}
    assert shapes["critical-sgd"]["x0"] == pytest.approx(expected)
    assert shapes["current"]["x0"] == 0.01
    assert any(n.startswith("region-diverged") for n in shapes)
    assert any(n.startswith("region-converged") for n in shapes)


def test_sweep_adds_optimizers_and_their_lines():
    at = open_page("sweep", surface="ravine")
    at.multiselect(key="cmp_also").set_value(["momentum", "adam"]).run()
    ucurve = charts(at)[0]
    shown = [t["meta"]["optimizer"] for t in ucurve["data"] if t["meta"]["role"] == "final"]
    assert shown == ["sgd", "momentum", "adam"]
    critical = ucurve["layout"]["meta"]["critical"]
    assert set(critical) == {"sgd", "momentum"}  # Adam has no curvature-only critical rate
    exp = Experiment(surface="ravine")
    assert critical["momentum"] == pytest.approx(
        core.critical_lr(exp.replace(optimizer="momentum"))
    )


def test_sweep_search_is_seeded_by_the_link():
    first = charts(open_page("sweep", surface="bowl", seed="5"))[1]
    again = charts(open_page("sweep", surface="bowl", seed="5"))[1]
    other = charts(open_page("sweep", surface="bowl", seed="6"))[1]
    rand = lambda fig: next(t["x"] for t in fig["data"] if t["name"].startswith("random search ("))
    assert rand(first) == rand(again) != rand(other)


def test_walkers_colour_400_starts_by_basin():
    at = open_page("walkers", surface="six_hump_camel", lr="0.02", steps="300")
    heat = charts(at)[0]["data"][0]
    codes = np.array(heat["meta"]["codes"])
    surface = core.get_surface("six_hump_camel")
    expected = walkers(
        Experiment(surface="six_hump_camel", lr=0.02, steps=300),
        grid_starts(surface.domain, 20),
    ).basin
    np.testing.assert_array_equal(codes[np.array(heat["z"]).ravel()], expected)
    assert len(charts(at)) == 2  # the comparison rate beside it
    at.segmented_control(key="cmp_compare").set_value("none").run()
    assert len(charts(at)) == 1


@pytest.mark.parametrize("page", ["race", "sweep", "walkers"])
def test_bad_links_give_messages_not_tracebacks(page):
    at = open_page(page, surface="nowhere", lr="banana", steps="99999")
    warnings = " ".join(w.value for w in at.warning)
    assert "nowhere" in warnings and "lr must be a number" in warnings
    assert "at most" in warnings  # steps above the schema's range
    at = open_page(page, surface="custom", formula="x^2 + import")
    assert at.sidebar.error and not at.exception
