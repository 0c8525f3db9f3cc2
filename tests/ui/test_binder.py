"""One binder for every page: the widgets come from the field tables, under a key prefix per
page. The model page's widgets follow its table (core/schema/model_settings.py), and the compare
pages load a link through the playground's own `ui.controls.experiment_controls.load` (same checks,
same notices)."""

from __future__ import annotations

import dataclasses

from streamlit.testing.v1 import AppTest

from core.schema import model_settings as ms
from core.schema.experiment import FIELD
from tests.paths import REPO

ROOT = REPO
APP = str(ROOT / "app.py")
MODEL_PAGE = str(ROOT / "app_pages" / "model.py")


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_the_model_pages_widgets_take_their_options_and_bounds_from_its_table(monkeypatch):
    """Change the table, and the widgets follow: nothing on the page retypes it."""
    specs = {s.name: s for s in ms.FIELDS["valley"]}
    steps = dataclasses.replace(specs["steps"], choices=("50", "300", "200"))  # none retyped
    seeds = dataclasses.replace(specs["seeds"], hi=9)
    table = tuple({"steps": steps, "seeds": seeds}.get(s.name, s) for s in ms.FIELDS["valley"])
    monkeypatch.setitem(ms.FIELDS, "valley", table)
    at = AppTest.from_file(MODEL_PAGE, default_timeout=180).run()
    assert not at.exception, at.exception
    assert at.select_slider(key="steps").options == ["50", "300", "200"]
    assert at.slider(key="seeds").max == 9


def test_a_compare_link_fills_the_same_start_boxes_as_the_playground_under_its_prefix():
    at = open_page("sweep", surface="bowl", start="1,-0.5", steps="150")
    assert at.sidebar.number_input(key="cmp_start_x").value == 1.0
    assert at.sidebar.number_input(key="cmp_start_y").value == -0.5
    assert at.sidebar.number_input(key="cmp_steps").value == 150
    assert "start_x" not in at.session_state  # the playground's own boxes are untouched
    assert dict(at.query_params)["start"] == "1,-0.5"


def test_a_compare_link_with_a_start_off_the_map_gets_the_playgrounds_notice():
    at = open_page("walkers", surface="bowl", start="90,90")
    notices = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert "outside the plotted area" in notices


def test_each_page_caps_the_steps_through_the_same_control():
    at = open_page("sweep", surface="bowl", steps="5000")
    assert at.sidebar.number_input(key="cmp_steps").max == 2000  # the compare pages' cap
    playground = open_page("playground", surface="bowl", steps="5000")
    assert playground.sidebar.number_input(key="steps").max == int(FIELD["steps"].hi)
