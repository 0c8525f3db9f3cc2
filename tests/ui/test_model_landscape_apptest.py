"""The model page's landscape section through AppTest: after one training it shows the slice
with its honest label and the three runs' projected paths; a bad seed gets a message."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from figures.valley.path import decode_f4
from tests.paths import REPO

PAGE = str(REPO / "app_pages" / "model.py")
NETWORK = "A small neural network"


@pytest.fixture(scope="module")
def trained() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=240)
    at.session_state["part"] = NETWORK
    at.session_state["net_steps"] = 100
    at.run()
    at.button[0].click().run()
    assert not at.exception
    return at


def landscape(at: AppTest) -> dict | None:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if any(t["type"] == "contour" for t in spec["data"]):
            return spec
    return None


def test_the_section_renders_a_labelled_slice_with_three_projected_paths(trained):
    at = trained
    assert any(s.value == "The landscape around the trained weights" for s in at.subheader)
    label = "A 2D slice through a 4,810-dimensional loss; the paths are projections"
    assert any(label in m.value for m in at.markdown)  # in the text and on the figure
    spec = landscape(at)
    assert spec is not None
    assert spec["layout"]["title"]["text"] == label
    (contour,) = [t for t in spec["data"] if t["type"] == "contour"]
    assert len(contour["z"]) >= 41 and len(contour["z"][0]) >= 41
    lines = [t for t in spec["data"] if t.get("mode") == "lines"]
    assert [t["name"].split(" (")[-1] for t in lines] == ["÷10)", "suggested)", "×10)"]
    suggested = lines[1]
    assert decode_f4(suggested["x"])[-1] == 0 and decode_f4(suggested["y"])[-1] == 0
    caption = " ".join(c.value for c in at.caption)
    assert "least-squares coordinates" in caption and "not on this plane" in caption
    assert "filter-normalised" in caption and "biases' directions zero" in caption


def test_a_smaller_span_redraws_the_slice(trained):
    at = trained
    at.select_slider(key="land_span").set_value(0.05).run()
    assert not at.exception
    assert landscape(at)["layout"]["xaxis"]["range"] == [-0.05, 0.05]


def test_a_bad_seed_gets_a_message_not_a_traceback(trained):
    at = trained
    at.number_input(key="land_seed").set_value(-3).run()
    assert not at.exception
    assert landscape(at) is None
    assert any("seed must be a whole number" in e.value for e in at.error)
    at.number_input(key="land_seed").set_value(4).run()
    assert landscape(at) is not None and not at.error
