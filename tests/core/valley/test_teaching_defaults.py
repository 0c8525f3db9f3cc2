"""Defaults that teach, and a divergence on the very first step still drawn.

References: the slider's own grid, the closed-form first step of gradient descent on the
valley's quadratic, the documented default rate, the runs themselves.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from core.catalog.statuses import STATUS_COLOR, STATUS_VERB
from core.schema.experiment import FIELD, Experiment
from core.schema.rate_grid import LR_GRID
from core.valley.simulation import simulate
from core.valley.surfaces import SURFACES
from core.valley.sweeps import teaching_rate
from figures.compare.ucurve import REGION_STYLE
from figures.valley.path import decode_f4
from figures.valley.scene import scene_of_run
from tests.paths import REPO
from ui.views.badge import STATUS

APP = str(REPO / "app.py")
TROUBLE = ("ravine", "rosenbrock", "beale", "himmelblau", "goldstein_price")


@pytest.mark.parametrize("name", [n for n, s in SURFACES.items() if s.minima])
def test_every_surface_opens_at_a_rate_on_the_slider_that_does_not_blow_up(name):
    rate = teaching_rate(name)
    assert rate in LR_GRID  # reachable on the slider
    run = simulate(Experiment(surface=name, lr=rate))
    assert run.outcome.status != "diverged", (name, rate, run.outcome)
    if name in TROUBLE:  # the documented default blows these up at once
        assert simulate(Experiment(surface=name)).outcome.status == "diverged"
        assert rate < FIELD["lr"].default


def test_the_default_surface_keeps_the_documented_default_rate():
    assert teaching_rate(FIELD["surface"].default) == FIELD["lr"].default


def test_a_first_step_divergence_draws_the_step_and_where_it_went():
    # The valley f = 5u^2 + v^2/2 (u, v along (0.8, 0.6), (-0.6, 0.8) from (1, 0.5)): at the
    # start (-2.5, 3), u = -1.3 and v = 4.1, so grad = 10u (0.8, 0.6) + v (-0.6, 0.8)
    # = (-12.86, -4.52), and one step at rate 10 lands at (126.1, 48.2), far off the map.
    run = simulate(Experiment(lr=10.0))
    assert run.outcome.status == "diverged" and run.outcome.step == 1
    assert len(run.path) == 1 and run.escape == pytest.approx((126.1, 48.2), rel=1e-5)
    scene = scene_of_run(run)
    traces = {t["name"]: t for t in scene["map"]["data"]}
    step = traces["the step that left"]
    assert step["x"][0] == pytest.approx(-2.5) and step["y"][0] == pytest.approx(3.0)
    # Cut where it crosses the map's top edge y = 4.5: x = -2.5 + 1.5 * 128.6 / 45.2.
    assert step["y"][1] == pytest.approx(4.5) and step["x"][1] == pytest.approx(1.7677, abs=1e-3)
    assert traces["left the valley"]["text"] == ["left at step 1"]
    assert "(126, 48.2)" in traces["left the valley"]["hovertemplate"]
    loss = decode_f4(scene["curves"]["data"][0]["y"])
    assert len(loss) == 2 and loss[1] > 1e3 * loss[0]  # the jump is on the loss chart


def test_a_path_that_only_wanders_off_the_map_is_not_said_to_have_left():
    run = simulate(Experiment(surface="rastrigin", lr=0.05))
    assert run.outcome.status != "diverged"
    names = {t["name"] for t in scene_of_run(run)["map"]["data"]}
    assert "left the valley" not in names and "the step that left" not in names


def test_rastrigin_map_stars_only_its_global_minimum():
    run = simulate(Experiment(surface="rastrigin", lr=0.0009))
    (stars,) = [t for t in scene_of_run(run)["map"]["data"] if t["name"] == "minima"]
    assert len(stars["x"]) == 1 and stars["x"][0] == 0.0  # not 121 identical stars
    himmelblau = scene_of_run(simulate(Experiment(surface="himmelblau", lr=0.01)))
    (stars,) = [t for t in himmelblau["map"]["data"] if t["name"] == "minima"]
    assert len(stars["x"]) == 4  # a few minima are all shown


def test_status_colours_and_words_come_from_one_place():
    for status, (_, colour, _) in STATUS.items():
        band_colour, verb = REGION_STYLE[status]
        assert band_colour == colour == STATUS_COLOR[status][0]
        assert verb == STATUS_VERB[status]
    assert REGION_STYLE["stalled"][0] == STATUS["stalled"][1]  # once grey here, purple there


def test_a_scheduled_blow_up_names_the_rate_of_that_step():
    # Lesson 5's range test: rate 0.001 growing 10% per step on x^2 + y^2 (critical rate 1).
    exp = Experiment(
        surface="custom",
        formula="x^2 + y^2",
        start=(-3.0, 2.5),
        lr=0.001,
        schedule="exponential",
        schedule_args={"gamma": 1.1},
        steps=120,
    )
    o = simulate(exp).outcome
    assert o.status == "diverged"
    rate = 0.001 * 1.1 ** (o.step - 1)  # step t moves at the rate after t - 1 growths
    assert f"{rate:.3g}" in o.explanation and rate > 1
    assert "The rate 0.001 is too large" not in o.explanation


def test_the_race_table_has_words_not_none():
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["surface"] = "rosenbrock"
    at.switch_page("app_pages/race.py").run()
    for button in at.button:  # the race may hold its result until played or revealed
        if button.label.startswith("Show the"):
            button.click().run()
    table = at.dataframe[0].value
    cells = [str(v) for v in table["settled at step"]]
    assert "None" not in cells and "nan" not in cells
    assert all(c == "never" or c.isdigit() for c in cells), cells
    assert "never" in cells  # some racer does not settle on the banana in 150 steps
    assert set(table["outcome"]) <= {w.lower() for w, _, _ in STATUS.values()}
    assert json.dumps(list(table["outcome"]))  # plain words


def test_diverged_walkers_read_as_black_not_olive():
    from core.valley.sweeps import grid_starts, walkers
    from figures.compare.basins import basins_figure

    surface = SURFACES["himmelblau"]
    starts = grid_starts(surface.domain, 20)
    res = walkers(Experiment(surface="himmelblau", lr=0.039), starts)
    assert (res.basin == -1).any()
    fig = basins_figure(surface.domain, starts, res.basin, surface.minima, per_side=20)
    (over,) = [t for t in fig["data"] if t["type"] == "heatmap" and t["name"] == "diverged"]
    # Black at opacity a over black at the tiles' 0.62 leaves (1 - a)(1 - 0.62) of the surface
    # showing through: under 4% of a yellow (#FDE725) is at most 10 of 255, near-black.
    assert over["colorscale"][0][1] == "#000000" and (1 - over["opacity"]) * 0.38 < 0.04
    cells = [v for row in over["z"] for v in row if v is not None]
    assert len(cells) == int((res.basin == -1).sum())  # exactly the diverged tiles
