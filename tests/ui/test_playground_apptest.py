"""The playground's page logic through Streamlit's AppTest: widgets, URL, badge, theory, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import core
from core.schema.experiment import FIELD, Experiment
from figures.valley.path import decode_f4
from tests.paths import REPO
from tests.rate_slider_driver import commit_rate, slider_index, slider_label
from ui.controls.lr_control import LR_GRID, nearest

PAGE = str(REPO / "app_pages" / "playground.py")


def page(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def scene_of(at: AppTest) -> dict:
    (player,) = [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    return json.loads(player.proto.json)["scene"]


def badge_status(at: AppTest) -> str:
    bodies = [e.proto.body for e in at.main if getattr(e, "type", "") == "html"]
    (body,) = [b for b in bodies if "gv-badge" in b]
    return body.split('data-status="')[1].split('"')[0]


def test_default_page_runs_with_the_public_labels():
    at = page()
    assert not at.exception
    labels = {w.label for w in at.sidebar.selectbox} | {slider_label(at, "lr_drag")}
    assert {"Loss surface", "Optimizer", "Learning rate"} <= labels
    assert LR_GRID[slider_index(at, "lr_drag")] == FIELD["lr"].default
    run = core.simulate(Experiment())
    assert badge_status(at) == run.outcome.status
    scene = scene_of(at)
    np.testing.assert_allclose(decode_f4(scene["anim"]["x"]), run.path[:, 0], rtol=1e-6)
    assert scene["bg"]["uri"].startswith("data:image/png;base64,")
    assert dict(at.query_params) == {}  # defaults make a bare URL


def test_a_shared_link_sets_every_widget():
    name = next(n for n in core.SURFACES if n != FIELD["surface"].default)
    domain = core.SURFACES[name].domain
    start = (round(sum(domain[0]) / 2 + 0.1, 3), round(sum(domain[1]) / 2 - 0.1, 3))
    query = {
        "surface": name,
        "optimizer": "adam",
        "lr": "0.0123",
        "steps": "120",
        "start": f"{start[0]},{start[1]}",
        "schedule": "cosine",
        "eta_min": "0.001",
        "beta1": "0.8",
    }
    at = page(**query)
    assert not at.exception
    ss = at.session_state
    assert ss["surface"] == name and ss["optimizer"] == "adam" and ss["steps"] == 120
    assert ss["lr"] == 0.0123 and ss["lr_slider"] == nearest(0.0123)
    assert (ss["start_x"], ss["start_y"]) == start
    assert ss["hp_adam_beta1"] == 0.8 and ss["sched_cosine_eta_min"] == 0.001
    assert dict(at.query_params) == query  # written back unchanged: the link is canonical
    scene = scene_of(at)
    assert len(decode_f4(scene["anim"]["x"])) <= 151
    assert scene["curves"]["layout"].get("yaxis2")  # a schedule shows the rate panel


def test_moving_the_slider_changes_path_and_url():
    at = page()
    before = decode_f4(scene_of(at)["anim"]["x"])
    commit_rate(at, "lr_drag", LR_GRID.index(0.1))
    assert not at.exception
    assert at.query_params["lr"] == "0.1" and at.session_state["lr_exact"] == 0.1
    after = decode_f4(scene_of(at)["anim"]["x"])
    assert len(before) != len(after) or not np.allclose(before, after)


def test_typed_rate_is_kept_exactly_and_parks_the_slider():
    at = page()
    at.sidebar.number_input(key="lr_exact").set_value(0.0123).run()
    assert at.session_state["lr"] == 0.0123
    assert LR_GRID[slider_index(at, "lr_drag")] == nearest(0.0123)
    assert at.query_params["lr"] == "0.0123"


@pytest.mark.parametrize("typed", [0.0, -1.0, 1e9])
def test_a_typed_rate_out_of_range_is_refused_in_words(typed):
    at = page()
    at.sidebar.number_input(key="lr_exact").set_value(typed).run()
    assert not at.exception
    assert at.session_state["lr"] == FIELD["lr"].default  # the run keeps its rate
    (message,) = [e.value for e in at.sidebar.error]
    assert "lr must be" in message.replace("\\", "") and "Keeping 0" in message.replace("\\", "")
    assert at.session_state["lr_exact"] == FIELD["lr"].default
    commit_rate(at, "lr_drag", LR_GRID.index(0.1))  # moving the slider clears the message
    assert not at.sidebar.error and at.session_state["lr"] == 0.1


def test_rate_above_critical_diverges_and_warns():
    critical = core.critical_lr(Experiment())
    assert critical is not None
    lr = nearest(critical * 2.5)
    at = page(lr=str(lr))
    assert badge_status(at) == "diverged"
    assert any("above the critical rate" in w.value for w in at.sidebar.warning)
    assert any(f"{critical:.3g}" in c.value for c in at.sidebar.caption)
    scene = scene_of(at)
    domain = core.SURFACES[FIELD["surface"].default].domain
    assert scene["map"]["layout"]["xaxis"]["range"] == list(domain[0])
    assert np.isfinite(decode_f4(scene["anim"]["x"])).all()


def test_bad_link_values_become_visible_notices():
    at = page(lr="fast", surface="nowhere", colour="red")
    assert not at.exception
    text = " ".join(w.value for w in at.main.warning)
    assert "lr must be a number" in text and "'nowhere'" in text and "'colour'" in text
    assert at.session_state["lr"] == FIELD["lr"].default
    assert dict(at.query_params) == {}  # rewritten to what is shown


def test_bad_formula_is_explained_in_words():
    at = page(surface="custom", formula="x^2 + foo(y)")
    assert not at.exception
    assert at.sidebar.error and "foo" in at.sidebar.error[0].value
    assert not [e for e in at.main if getattr(e, "type", "") == "bidi_component"]
    at.sidebar.text_input(key="formula").set_value("0.5*x^2 + 2*y^2").run()
    assert not at.exception and badge_status(at)


def test_hyperparameter_out_of_range_is_refused_with_a_message():
    at = page(optimizer="momentum")
    at.sidebar.number_input(key="hp_momentum_momentum").set_value(1.5).run()
    assert any("momentum must be" in e.value for e in at.sidebar.error)
    assert "momentum" not in at.query_params


def test_clicked_start_and_presentation_mode_reach_the_url():
    at = page()
    at.session_state["start_x"], at.session_state["start_y"] = 0.5, 0.25
    at.session_state["start_custom"] = True
    at.toggle(key="present").set_value(True).run()
    assert at.query_params["start"] == "0.5,0.25" and at.query_params["present"] == "1"
    assert scene_of(at)["present"]


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_internals_and_3d_add_their_data(optimizer):
    at = page(optimizer=optimizer)
    at.toggle(key="internals").set_value(True).run()
    at.toggle(key="three").set_value(True).run()
    scene = scene_of(at)
    assert scene["three"]["data"][0]["type"] == "surface"
    expected = "vx" if optimizer == "momentum" else "ex"
    assert expected in scene["anim"] and "sx" in scene["anim"]


def test_background_is_sent_once_per_session():
    at = page()
    assert scene_of(at)["bg"]["uri"]
    commit_rate(at, "lr_drag", LR_GRID.index(0.02))
    assert scene_of(at)["bg"]["uri"] is None
