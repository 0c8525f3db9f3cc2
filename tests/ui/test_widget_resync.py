"""The Streamlit race of `ui.state.widget_resync`, played on Streamlit's own SessionState.

A first run sets a widget's value under its key and draws it; the browser asks for a rerun
before taking the widget in, so its rerun carries no value for it. The widget drawn again must
be sent with its value (``value_changed``), or the browser shows the default. A browser that
sent a value keeps it.
"""

from __future__ import annotations

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime.state.common import WidgetMetadata
from streamlit.runtime.state.session_state import SessionState

from ui.state import widget_resync

WID = "$$ID-0123456789abcdef-steps"


def _steps() -> WidgetMetadata:
    # A number box whose default is 1, as the pages' "Steps".
    return WidgetMetadata(WID, lambda v: 1 if v is None else int(v), lambda v: int(v), "int_value")


def _browser_sends(state: SessionState, values: dict[str, int]) -> None:
    """A rerun from the browser carrying these widgets' values (and no others)."""
    proto = WidgetStates()
    for wid, value in values.items():
        w = proto.widgets.add()
        w.id, w.int_value = wid, value
    state.on_script_will_rerun(proto)


@pytest.fixture
def patched():
    before = SessionState.register_widget
    widget_resync.install()
    yield
    SessionState.register_widget = before


def _first_run(state: SessionState) -> None:
    state["steps"] = 120  # a link's value, set under the widget's key
    first = state.register_widget(_steps(), "steps")
    assert first.value == 120 and first.value_changed


def test_a_widget_the_browser_missed_is_sent_with_its_value(patched):
    state = SessionState()
    _first_run(state)
    _browser_sends(state, {})  # the rerun asked for before the widget arrived
    again = state.register_widget(_steps(), "steps")
    assert again.value == 120
    assert again.value_changed, "the browser would show the default, 1"


def test_without_the_fix_streamlit_does_not_resend_it():
    # The race this module fixes: if Streamlit ever resends the value itself, the patch can go.
    state = SessionState()
    register = widget_resync._original
    state["steps"] = 120
    register(state, _steps(), "steps")
    _browser_sends(state, {})
    assert not register(state, _steps(), "steps").value_changed


def test_a_value_the_browser_sent_is_left_alone(patched):
    state = SessionState()
    _first_run(state)
    _browser_sends(state, {WID: 40})  # the learner typed 40
    again = state.register_widget(_steps(), "steps")
    assert again.value == 40 and not again.value_changed


def test_a_default_value_needs_no_resend(patched):
    state = SessionState()
    state["steps"] = 1
    state.register_widget(_steps(), "steps")
    _browser_sends(state, {})
    assert not state.register_widget(_steps(), "steps").value_changed
