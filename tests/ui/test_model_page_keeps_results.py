"""The model page keeps a training run on screen while settings move, places every legend
above its plot, and labels its controls in words that fit (AppTest)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from figures.real.model import LEGEND_GAP
from tests.paths import REPO

PAGE = str(REPO / "app_pages" / "model.py")
NETWORK = "A small neural network"


def page(**state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def held_out(at: AppTest) -> list[tuple[str, str]]:
    """The three trained networks' metrics: (label, value), one per rate."""
    return [(m.label, m.value) for m in at.metric if m.label.startswith("η = ")]


def test_a_training_run_stays_on_screen_when_a_slider_moves_and_says_what_it_was():
    at = page(part=NETWORK, net_steps=100)
    at.button[0].click().run()
    trained, figure = held_out(at), charts(at)[1]
    assert len(trained) == 3 and not at.info
    at.select_slider(key="net_steps").set_value(200).run()  # a setting of the next run moves
    assert not at.exception
    assert held_out(at) == trained and charts(at)[1]["data"] == figure["data"]
    (note,) = at.info
    assert "last training" in note.value and "100 steps" in note.value
    at.button[0].click().run()  # now train with the new settings
    assert not at.info and len(held_out(at)) == 3
    assert charts(at)[1]["layout"]["xaxis"]["range"] == [0, 200]


def test_every_legend_sits_above_its_plot_on_a_clear_background():
    at = page()
    figures = charts(at)
    at = page(part=NETWORK, net_steps=100)
    at.button[0].click().run()
    figures += charts(at)
    assert len(figures) == 5  # the valley, the noise study, the range test, the training, the slice
    for figure in figures:
        layout = figure["layout"]
        legend, margin = layout["legend"], layout["margin"]
        plot_height = layout["height"] - margin["t"] - margin["b"]
        # Its lowest row is LEGEND_GAP px above the plot's top edge (paper y = 1).
        assert legend["yanchor"] == "bottom"
        assert (legend["y"] - 1) * plot_height >= LEGEND_GAP - 1e-9
        assert legend["bgcolor"] == "rgba(0,0,0,0)"


def test_the_standardise_toggle_has_a_short_label_and_help():
    toggle = page().toggle(key="scale")
    assert toggle.label == "Standardise" and "round bowl" in toggle.help
