"""The blindfold walk's page through AppTest: bad input (a formula, a link's values, a typed
rate) gets a clear message and never a traceback; a link's settings open the walk they name."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.paths import REPO

APP = str(REPO / "app.py")


def open_walk(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("app_pages/blindfold.py").run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def status_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "Steps taken" in m.value)


def test_a_bad_formula_gets_the_engines_message_and_no_walk():
    at = open_walk(surface="custom", formula="x^^2 + y")
    assert "Unexpected '^' at position 2" in texts(at.sidebar.error)  # the parser's words
    assert "Fix the formula in the sidebar." in texts(at.info)
    assert not [m for m in at.markdown if "Steps taken" in m.value]
    assert not at.get("plotly_chart")


def test_bad_values_in_a_link_are_named_and_the_walk_starts_anyway():
    at = open_walk(surface="nope", start="abc", tol="7", lr="fast")
    warning = texts(at.warning)
    for said in ("no surface 'nope'", "start must be", "tol must be", "lr must be"):
        assert said in warning, said
    assert "Steps taken: 0" in status_line(at)
    assert at.query_params.get("surface") in (None, "valley")  # the link now says the default


def test_a_start_off_the_map_is_refused_in_words():
    at = open_walk(surface="bowl", start="9,9")
    assert "outside the plotted area" in texts(at.info)
    assert not [m for m in at.markdown if "Steps taken" in m.value]


def test_a_typed_rate_that_is_not_a_rate_is_refused_and_no_step_is_taken():
    at = open_walk(surface="bowl")
    for bad, said in (("abc", "must be a number"), ("500", "at most 100"), ("", "a number")):
        at.text_input(key="bw_rate").set_value(bad)
        at.button[0].click().run()
        assert not at.exception, at.exception
        assert "The rate" in texts(at.error) and said in texts(at.error), bad
        assert "Steps taken: 0" in status_line(at)


def test_a_link_opens_the_walk_it_names_and_the_goal_ends_it():
    at = open_walk(surface="custom", formula="x^2 + y^2", start="1,1", tol="0.01")
    assert "you stand at (1, 1)" in status_line(at)
    at.text_input(key="bw_rate").set_value("0.45")  # distance x0.1 a step, loss x0.01
    at.button[0].click().run()
    assert "Steps taken: 1" in status_line(at) and not at.success
    at.button[0].click().run()  # the same rate again: 2 -> 0.0002, below 0.01 of 2
    assert "You reached the bottom in 2 steps." in texts(at.success)
    assert "Your best on this walk: 2 steps" in texts(at.markdown)
    assert at.query_params["tol"] == "0.01" and at.query_params["start"] == "1,1"


def test_a_lessons_link_opens_its_walk_even_after_another_walk():
    at = open_walk(surface="bowl")
    assert "you stand at (-3, 2.5)" in status_line(at)
    at.query_params.clear()
    at.query_params["surface"] = "valley"  # the first lesson's link, as st.page_link hands it
    at.switch_page("app_pages/blindfold.py").run()
    assert not at.exception, at.exception
    assert "you stand at (-2.5, 3)" in status_line(at)  # the valley's own start


def _settings_after_a_forgotten_goal():
    """A run where the walk (goal 0.01) is kept but the goal slider's value is gone, as a run
    cut short on a busy server leaves it: the page's settings are read once."""
    import streamlit as st

    from ui.views import blindfold_view as view

    st.session_state[view.WALK_KEY] = (("bowl", "", (-3.0, 2.5), 0.01), None)
    st.session_state["tol_read"] = view._settings(st.sidebar)[2]


def test_a_goal_streamlit_forgot_is_the_walks_own():
    at = AppTest.from_function(_settings_after_a_forgotten_goal, default_timeout=120).run()
    assert not at.exception, at.exception
    # The walk's own goal, not the slider's first option (0.1), which would start a new walk.
    assert at.session_state["tol_read"] == 0.01
