"""The real-model page's link: core.schema.model_settings (pure) and the page through AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.schema import model_settings as ms
from core.schema.fields import ExperimentError
from tests.paths import REPO
from ui.text import plain

PAGE = str(REPO / "app_pages" / "model.py")


@pytest.mark.parametrize("part", ms.PARTS)
def test_every_default_parses_back_to_itself(part):
    for spec in ms.FIELDS[part]:
        assert spec.parse(spec.format(spec.default)) == spec.default, spec.name


def test_an_empty_link_is_the_valley_with_its_defaults():
    assert ms.decode({}) == ("valley", {**ms.defaults("valley"), "present": False}, [])
    assert ms.encode("valley", ms.defaults("valley")) == {}


@pytest.mark.parametrize(
    "query",
    [
        {"part": "network", "optimizer": "adam", "steps": "200", "schedule": "cosine"},
        {"part": "network", "start_lr": "1e-06", "end_lr": "3", "num_steps": "50", "seed": "7"},
        {"scale": "0", "lr": "0.05", "batch": "all", "seeds": "3", "present": "1"},
    ],
)
def test_a_canonical_link_survives_decode_and_encode(query):
    part, settings, notices = ms.decode(query)
    assert notices == []
    assert ms.encode(part, settings) == query


def test_bad_values_become_notices_and_defaults():
    part, settings, notices = ms.decode(
        {"part": "network", "batch": "48", "seed": "-1", "end_lr": "inf", "lr": "0.1"}
    )
    assert part == "network"
    assert settings["batch"] == "64" and settings["seed"] == 0 and settings["end_lr"] == 10.0
    assert len(notices) == 4
    assert "batch must be one of 16, 32, 64, 128, 256; got '48'" in notices[0]
    assert "Unknown setting 'lr'" in notices[3]  # the valley's rate is not the network's


def test_a_range_test_that_ends_before_it_starts_falls_back_to_the_defaults():
    _, settings, notices = ms.decode({"part": "network", "start_lr": "0.5", "end_lr": "0.1"})
    assert (settings["start_lr"], settings["end_lr"]) == (1e-7, 10.0)
    assert notices == ["start_lr must be below end_lr; using 1e-07 and 10 instead."]


def test_an_unknown_part_shows_the_valley():
    part, _, notices = ms.decode({"part": "<script>"})
    assert part == "valley" and "part must be one of valley, network" in notices[0]


def test_grid_settings_become_the_numbers_their_widgets_hold():
    batch = next(s for s in ms.FIELDS["valley"] if s.name == "batch")
    assert ms.value_of(batch, "all", 354) == 354 and ms.value_of(batch, "8", 354) == 8
    assert ms.setting_of(batch, 354, 354) == "all" and ms.setting_of(batch, 8, 354) == "8"
    with pytest.raises(ExperimentError):
        batch.parse("9")


# --- the page -------------------------------------------------------------------------------


def open_page(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_a_link_opens_the_network_with_its_settings():
    at = open_page(part="network", optimizer="adam", batch="32", schedule="cosine", steps="200")
    assert not at.exception and not at.warning
    assert at.radio(key="part").value == "A small neural network"
    assert at.selectbox(key="net_opt").value == "adam"
    assert at.select_slider(key="net_batch").value == 32
    assert at.selectbox(key="schedule").value == "cosine"
    assert at.select_slider(key="net_steps").value == 200
    assert dict(at.query_params) == {
        "part": "network",
        "optimizer": "adam",
        "batch": "32",
        "schedule": "cosine",
        "steps": "200",
    }


def test_a_link_opens_the_valley_with_its_settings_and_follows_the_widgets():
    at = open_page(scale="0", batch="all", seeds="2", present="1")
    assert not at.exception
    assert at.toggle(key="scale").value is False and at.toggle(key="present").value is True
    assert at.select_slider(key="batch").value == ms.value_of(ms.FIELDS["valley"][2], "all", 354)
    at.slider(key="seeds").set_value(5).run()
    assert dict(at.query_params) == {"scale": "0", "batch": "all", "seeds": "5", "present": "1"}


def test_a_bad_link_says_what_it_ignored_and_shows_the_page():
    at = open_page(part="network", optimizer="lion", num_steps="5000")
    assert not at.exception
    (warning,) = at.warning
    assert "optimizer must be one of" in warning.value  # the link's words, shown as text:
    assert plain("num_steps must be") in warning.value  # escaped, never read as Markdown
    assert at.selectbox(key="net_opt").value == "sgd"
    assert dict(at.query_params) == {"part": "network"}  # the link now says what is shown


def test_a_rate_off_the_slider_is_snapped_and_said():
    at = open_page(lr="0.0123")
    assert "lr 0.0123 is not on the slider; using 0.012" in at.warning[0].value
    assert at.select_slider(key="valley_lr").value == 0.012
    assert dict(at.query_params) == {"lr": "0.012"}


def test_switching_parts_keeps_each_parts_settings():
    at = open_page(seeds="3")
    at.radio(key="part").set_value("A small neural network").run()
    assert dict(at.query_params) == {"part": "network"}
    at.radio(key="part").set_value("A real two-parameter valley").run()
    assert at.slider(key="seeds").value == 3
    assert dict(at.query_params) == {"seeds": "3"}


@pytest.mark.parametrize(
    "query",
    [
        {"part": "network", "seed": "1e300", "start_lr": "nan", "end_lr": "-1"},
        {"part": "network", "num_steps": "1" * 300, "schedule": "__import__('os')"},
        {"lr": "1e-300", "seeds": "0", "batch": "-5", "steps": "1e9", "scale": "maybe"},
        {"part": "valley" * 50, "present": "2"},
    ],
)
def test_hostile_links_get_notices_and_the_defaults(query):
    at = open_page(**query)
    assert not at.exception
    assert at.warning, "every bad value is said"
    assert len(at.get("plotly_chart")) >= 1  # the page still draws
