"""The race, the U-curve and the walkers in real headless Chromium against a real server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

import core
from core.optimizers import TITLES
from core.schema.experiment import OPTIMIZER_NAMES, Experiment
from core.valley.sweeps import good_rate, grid_starts, walkers
from core.valley.theory import nearest_analysis

pytestmark = pytest.mark.browser

RACE = ".gv-race[data-paths]"
CHART = ".stPlotlyChart .main-svg"
# The U-curve is the chart whose layout carries the theory's lines in its meta.
UCURVE_JS = """() => [...document.querySelectorAll('.stPlotlyChart .js-plotly-plot')]
  .find(g => g.layout && g.layout.meta && g.layout.meta.critical !== undefined)"""


def test_race_shows_one_path_per_optimizer_a_legend_and_a_leaderboard(page, open_app):
    open_app(page, "race", {"surface": "himmelblau"}, wait_for=RACE + " .main-svg")
    assert page.get_attribute(".gv-race", "data-paths") == str(len(OPTIMIZER_NAMES))
    traces = page.evaluate(
        "() => document.querySelector('.gv-race .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.role === 'race-path')"
        ".map(t => [t.meta.optimizer, t.line.color, t.x.length])"
    )
    assert sorted(t[0] for t in traces) == sorted(OPTIMIZER_NAMES)
    assert len({t[1] for t in traces}) == len(OPTIMIZER_NAMES)  # distinct colours
    assert all(t[2] >= 1 for t in traces)
    legend = page.locator(".gv-race .legend .traces").count()
    assert legend >= len(OPTIMIZER_NAMES)

    # Playback moves every racer together while the surface picture stays on screen.
    page.get_by_role("button", name="Play race").click()
    page.wait_for_function(
        "() => { const r = document.querySelector('.gv-race');"
        " const f = +r.getAttribute('data-frame'); return f > 5 && f < 100; }"
    )
    picture = page.locator(".gv-race image").first.get_attribute("href")
    assert picture.startswith("data:image/png")
    lengths = page.evaluate(
        "() => document.querySelector('.gv-race .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.role === 'race-path').map(t => t.x.length)"
    )
    assert max(lengths) < 100  # trails are mid-race, not the whole paths

    # Played to its end, the race shows its leaderboard.
    page.get_by_role("heading", name="Leaderboard").wait_for(timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.wait_for()
    assert grid.get_attribute("aria-rowcount") in (None, str(len(OPTIMIZER_NAMES) + 1))


def test_a_race_link_brings_back_exactly_its_racers_and_rates(page, open_app):
    query = {"racers": "sgd,adam", "rates": "sgd:0.01"}
    open_app(page, "race", query, wait_for=RACE + " .main-svg")
    assert page.get_attribute(".gv-race", "data-paths") == "2"
    adam = good_rate(Experiment(), "adam")  # not in the link: Adam runs at its good rate
    expected = {f"{TITLES['sgd']} (rate 0.01)", f"{TITLES['adam']} (rate {adam:.3g})"}
    legend = page.locator(".gv-race .legend .legendtext").all_text_contents()
    assert {t for t in legend if "(rate " in t} == expected and len(legend) == len(set(legend))
    page.get_by_role("button", name="Show the leaderboard without playing").click()
    page.get_by_role("heading", name="Leaderboard").wait_for()
    cells = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    cells.first.wait_for(state="attached")  # the grid's accessible copy of the canvas
    texts = cells.all_text_contents()
    rows = {texts[i + 1]: float(texts[i + 2]) for i in range(0, len(texts), 7)}
    assert rows == {TITLES["sgd"]: 0.01, TITLES["adam"]: pytest.approx(adam)}
    assert float(page.get_by_role("spinbutton", name=TITLES["sgd"]).input_value()) == 0.01
    assert page.get_by_role("spinbutton", name=TITLES["adam"]).input_value() == ""
    assert parse_qs(urlparse(page.url).query) == {k: [v] for k, v in query.items()}


def test_ucurve_critical_line_sits_where_analyze_puts_it(page, open_app):
    open_app(page, "sweep", {"surface": "himmelblau", "optimizer": "momentum"}, wait_for=CHART)
    page.wait_for_function(f"() => !!({UCURVE_JS})()")
    drawn = page.evaluate(
        f"""() => {{
        const gd = ({UCURVE_JS})();
        const s = gd._fullLayout.shapes.find(s => s.name === 'critical-momentum');
        const xa = gd._fullLayout.xaxis;
        const starts = [...gd.querySelectorAll('.shapelayer path')]
          .map(p => /^M([-0-9.]+),/.exec(p.getAttribute('d') || ''))
          .filter(m => m).map(m => +m[1]);
        return {{meta: gd.layout.meta.critical.momentum, x0: s.x0,
                 pixel: xa._offset + xa.l2p(Math.log10(s.x0)), starts: starts,
                 lrs: gd.data.find(t => t.meta && t.meta.role === 'final').x}};
        }}"""
    )
    expected = nearest_analysis(Experiment(surface="himmelblau", optimizer="momentum")).critical_lr[
        "momentum"
    ]
    assert drawn["meta"] == pytest.approx(expected)
    assert drawn["x0"] == pytest.approx(expected)
    lrs = np.array(drawn["lrs"])
    assert len(lrs) >= 200 and np.log10(lrs.max() / lrs.min()) >= 5
    # A vertical line is drawn on screen at that rate's position on the log axis.
    assert min(abs(x - drawn["pixel"]) for x in drawn["starts"]) < 1.0


def test_clicking_the_ucurve_opens_the_playground_at_that_rate(page, open_app):
    open_app(page, "sweep", {"surface": "bowl"}, wait_for=CHART)
    page.wait_for_function(f"() => !!({UCURVE_JS})()")
    point = page.evaluate(
        f"""(target) => {{
        const gd = ({UCURVE_JS})();
        const tr = gd.data.find(t => t.meta && t.meta.role === 'final');
        let k = tr.x.findIndex(x => x >= target);
        while (tr.y[k] == null) k++;
        const fl = gd._fullLayout, r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        return {{x: r.left + fl.xaxis.l2p(Math.log10(tr.x[k])),
                 y: r.top + fl.yaxis.l2p(Math.log10(tr.y[k])), lr: tr.x[k]}};
        }}""",
        0.2,
    )
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    # The playground is the app's default page: its address is the root, "/?surface=...".
    page.wait_for_url(
        lambda url: urlparse(url).path in ("", "/") and "lr=" in urlparse(url).query,
        timeout=60_000,
    )
    rate = float(f"{point['lr']:.6g}")
    query = parse_qs(urlparse(page.url).query)
    assert query["surface"] == ["bowl"] and float(query["lr"][0]) == rate
    page.wait_for_selector(".gv-map .main-svg", timeout=60_000)
    assert float(
        page.get_by_role("spinbutton", name="Exact learning rate").input_value()
    ) == pytest.approx(rate)


def test_walkers_colour_each_start_by_its_basin(page, open_app):
    query = {"surface": "himmelblau", "lr": "0.01", "steps": "200"}
    open_app(page, "walkers", query, wait_for=CHART)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.stPlotlyChart .js-plotly-plot')]"
        ".filter(g => g.data && g.data[0].type === 'heatmap').length >= 2"
    )
    heat = page.evaluate(
        "() => { const g = [...document.querySelectorAll('.stPlotlyChart .js-plotly-plot')]"
        ".find(g => g.data && g.data[0].type === 'heatmap');"
        " return {z: g.data[0].z, codes: g.data[0].meta.codes,"
        " legend: g.data.filter(t => t.showlegend !== false && t.type === 'scatter')"
        ".map(t => t.name)}; }"
    )
    surface = core.get_surface("himmelblau")
    expected = walkers(
        Experiment(surface="himmelblau", lr=0.01, steps=200), grid_starts(surface.domain, 20)
    ).basin
    codes = np.array(heat["codes"])
    np.testing.assert_array_equal(codes[np.array(heat["z"]).ravel()], expected)
    assert len(expected) >= 400
    assert sum(name.startswith("minimum (") for name in heat["legend"]) == 4
