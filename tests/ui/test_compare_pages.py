"""The race, sweep and walkers pages through Streamlit's AppTest, opened through app.py's
navigation (as a browser would) with a query string in the shared schema."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core.optimizers import TITLES as OPT_TITLES
from core.schema.experiment import OPTIMIZER_NAMES, Experiment
from core.valley.compare import race
from core.valley.sweeps import good_rate, grid_starts, walkers
from core.valley.theory import nearest_analysis
from figures.valley.path import decode_f4
from tests.paths import REPO

APP = str(REPO / "app.py")


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py").run()  # straight to the page, as a link would
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def revealed(at: AppTest) -> AppTest:
    """The race's leaderboard on screen: it is hidden until the race is played, so press the
    page's own "Show the leaderboard without playing" (as a learner may) where it is shown."""
    buttons = [b for b in at.button if b.label == "Show the leaderboard without playing"]
    if buttons:
        buttons[0].click().run()
        assert not at.exception, at.exception
    return at


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
    table = revealed(at).dataframe[0].value
    assert list(table["rank"]) == list(range(1, len(OPTIMIZER_NAMES) + 1))
    assert list(table["learning rate"]) == pytest.approx([e.lr for e in board])
    assert list(table["outcome"]) == [e.status.replace("_", " ") for e in board]
    assert dict(at.query_params) == {"surface": "himmelblau", "steps": "120"}


def leaderboard(at: AppTest) -> list[tuple]:
    table = revealed(at).dataframe[0].value
    return list(zip(table["optimizer"], table["learning rate"], table["outcome"], strict=True))


def test_a_race_link_restores_its_racers_rates_and_leaderboard():
    query = {"surface": "himmelblau", "steps": "120", "start": "-1,0.5"}
    query |= {"racers": "sgd,adam,nesterov", "rates": "sgd:0.01,adam:0.3"}
    at = open_page("race", **query)
    assert not at.warning
    assert at.sidebar.multiselect(key="cmp_racers").value == ["sgd", "adam", "nesterov"]
    assert at.sidebar.number_input(key="cmp_rate_sgd").value == 0.01
    assert at.sidebar.number_input(key="cmp_rate_adam").value == 0.3
    assert at.sidebar.number_input(key="cmp_rate_nesterov").value is None  # its good rate
    exp = Experiment(surface="himmelblau", steps=120, start=(-1.0, 0.5))
    rates = {"sgd": 0.01, "adam": 0.3, "nesterov": good_rate(exp, "nesterov")}
    board = race(exp, rates)
    expected = [(OPT_TITLES[e.optimizer], e.lr, e.status.replace("_", " ")) for e in board]
    assert leaderboard(at) == expected
    assert [p["name"] for p in race_scene(at)["paths"]] == [e.optimizer for e in board]
    assert dict(at.query_params) == query  # already canonical: written back unchanged
    # The link opened in a new session gives the identical race.
    assert leaderboard(open_page("race", **dict(at.query_params))) == expected


def test_changing_the_race_writes_racers_and_typed_rates_into_the_link():
    at = open_page("race", surface="bowl", racers="sgd,adam")
    assert dict(at.query_params) == {"surface": "bowl", "racers": "sgd,adam"}
    at.sidebar.number_input(key="cmp_rate_adam").set_value(0.2).run()
    assert dict(at.query_params) == {"surface": "bowl", "racers": "sgd,adam", "rates": "adam:0.2"}
    at.multiselect(key="cmp_racers").set_value(list(OPTIMIZER_NAMES)).run()
    assert dict(at.query_params) == {"surface": "bowl", "rates": "adam:0.2"}  # all of them
    assert len(race_scene(at)["paths"]) == len(OPTIMIZER_NAMES)
    at.multiselect(key="cmp_racers").set_value(["momentum", "adam"]).run()
    assert dict(at.query_params)["racers"] == "momentum,adam"
    at.sidebar.number_input(key="cmp_rate_adam").set_value(None).run()
    assert dict(at.query_params) == {"surface": "bowl", "racers": "momentum,adam"}
    # Round trip through the written link: same racers, same rates.
    at.sidebar.number_input(key="cmp_rate_momentum").set_value(0.004).run()
    link = dict(at.query_params)
    again = open_page("race", **link)
    assert again.sidebar.multiselect(key="cmp_racers").value == ["momentum", "adam"]
    assert again.sidebar.number_input(key="cmp_rate_momentum").value == 0.004
    assert leaderboard(again) == leaderboard(at)


def test_an_older_race_link_sets_one_optimizers_rate():
    at = open_page("race", surface="bowl", optimizer="adam", lr="0.3")
    assert at.sidebar.number_input(key="cmp_rate_adam").value == 0.3
    table = revealed(at).dataframe[0].value
    row = table[table["optimizer"] == "Adam"]
    assert float(row["learning rate"].iloc[0]) == 0.3
    assert len(table) == len(OPTIMIZER_NAMES)  # every optimizer races
    assert dict(at.query_params) == {"surface": "bowl", "rates": "adam:0.3"}  # the new form


def test_junk_racers_and_rates_give_notices_and_the_defaults():
    at = open_page("race", surface="bowl", racers="sgd,lbfgs", rates="sgd:abc")
    warnings = " ".join(w.value for w in at.warning)
    assert "racers must be distinct names" in warnings and "lbfgs" in warnings
    assert "must be a number" in warnings and "abc" in warnings
    assert at.sidebar.multiselect(key="cmp_racers").value == list(OPTIMIZER_NAMES)
    assert all(at.sidebar.number_input(key=f"cmp_rate_{n}").value is None for n in OPTIMIZER_NAMES)
    assert len(revealed(at).dataframe[0].value) == len(OPTIMIZER_NAMES)
    assert dict(at.query_params) == {"surface": "bowl"}
    at = open_page("race", surface="bowl", racers="sgd", rates="sgd:0.02,adam:0.3")
    assert "Adam is not among the racers" in " ".join(w.value for w in at.warning)
    assert leaderboard(at) == [(OPT_TITLES["sgd"], 0.02, leaderboard(at)[0][2])]
    assert dict(at.query_params) == {"surface": "bowl", "racers": "sgd", "rates": "sgd:0.02"}


def test_moving_between_the_pages_keeps_the_settings_and_the_race():
    race_link = {"surface": "bowl", "steps": "200", "start": "1,1"}
    race_link |= {"racers": "sgd,adam", "rates": "sgd:0.01"}
    at = open_page("race", **race_link)
    at.switch_page("app_pages/sweep.py").run()
    assert dict(at.query_params) == {"surface": "bowl", "steps": "200", "start": "1,1"}
    at.switch_page("app_pages/walkers.py").run()
    at.switch_page("app_pages/race.py").run()
    assert not at.exception and not at.warning
    assert dict(at.query_params) == race_link
    assert at.sidebar.number_input(key="cmp_rate_sgd").value == 0.01


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


def test_the_race_map_stars_the_minima_the_surface_marks():
    # Rastrigin has 121 minima in view; its map stars its global one, as the playground's does.
    at = open_page("race", surface="rastrigin", steps="20", racers="sgd")
    from core.valley.surfaces import SURFACES

    marked = SURFACES["rastrigin"].marked_minima
    stars = [t for t in race_scene(at)["map"]["data"] if t.get("name") == "minima"]
    assert stars and len(stars[0]["x"]) == len(marked) < len(SURFACES["rastrigin"].minima)


def test_a_first_run_cut_short_before_the_steps_widget_still_opens_the_links_steps():
    """A busy server's first run may be interrupted (the height report's rerun) after the
    surface was set but before the steps widget was drawn: the next run loads the link again
    instead of opening the steps at the widget's minimum, 1 (seen in Chromium under load)."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["steps"] = "120"
    at.query_params["present"] = "1"
    at.session_state["cmp_surface"] = "valley"  # what the cut-short run left behind
    at.switch_page("app_pages/race.py").run()
    assert not at.exception, at.exception
    assert [n.value for n in at.number_input if n.label == "Steps"] == [120]
