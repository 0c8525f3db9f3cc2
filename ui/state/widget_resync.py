"""A widget the browser never received gets its value sent again (a Streamlit race, fixed here).

The race, on a busy server: a page's first run sets a widget's value in session state (from a
link) and draws the widget, but before the browser has taken that widget in it asks for a
rerun (the window's height report, a click). Its rerun carries no value for the widget, and
Streamlit 1.67, holding the value only under the widget's id by then, draws the widget again
without telling the browser its value. The browser shows the widget's default (a race link's
"Steps" at 1, no racers ticked, a blindfold walk's goal at its first option) while the server
runs the link's value, and the learner's next touch sends that default back as a change.

The fix: when a keyed widget is drawn whose value the server holds from the last run but the
browser did not send, and that value is not the widget's default, the widget is sent with its
value, as Streamlit already does for a value set under the widget's key. A browser that has
the widget always sends its value, so this never overrides what the learner did.
"""

from __future__ import annotations

import dataclasses

from streamlit.runtime.state.session_state import SessionState

_original = SessionState.register_widget


def _register_widget(self: SessionState, metadata, user_key):
    wid = metadata.id
    unsent = (
        user_key is not None
        and wid in self._old_state
        and wid not in self._new_widget_state
        and not self.is_new_state_value(user_key)
    )
    result = _original(self, metadata, user_key)
    if unsent and not result.value_changed and _differs_from_default(result.value, metadata):
        result = dataclasses.replace(result, value_changed=True)
    return result


def _differs_from_default(value, metadata) -> bool:
    try:
        return bool(value != metadata.deserializer(None))
    except Exception:  # a widget whose default cannot be built: leave it as Streamlit does
        return False


def install() -> None:
    """Patch Streamlit's widget registration (once per process; app.py calls it)."""
    SessionState.register_widget = _register_widget


def installed() -> bool:
    return SessionState.register_widget is _register_widget
