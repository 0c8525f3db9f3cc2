"""Move the rate slider component (`ui.controls.rate_slider`) in AppTest, as the browser would.

AppTest knows Streamlit's own widgets only; a components.v2 component is an element it can
read but not set. `commit_rate` sends what the component's JavaScript sends when a gesture
ends: its state ``{"rate": {"index", "n"}}`` as the component's JSON widget value.
"""

from __future__ import annotations

import itertools
import json

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

_COMMITS = itertools.count(1)


def component_id(at: AppTest, key: str) -> str:
    ids = [
        e.proto.id
        for e in at._tree
        if getattr(e, "type", "") == "bidi_component" and e.proto.id.endswith(key)
    ]
    assert len(ids) == 1, f"no single rate slider {key!r} on the page: {ids}"
    return ids[0]


def commit_rate(at: AppTest, key: str, index: int) -> AppTest:
    """The learner leaves the slider ``key`` at position ``index``; the script reruns."""
    states = at._tree.get_widget_states()
    state = WidgetState(id=component_id(at, key))
    state.json_value = json.dumps({"rate": {"index": int(index), "n": next(_COMMITS)}})
    states.widgets.append(state)
    return at._run(states)


def slider_data(at: AppTest, key: str) -> dict:
    """What Python sent the slider: labels, index, label, help."""
    (element,) = [
        e
        for e in at._tree
        if getattr(e, "type", "") == "bidi_component" and e.proto.id.endswith(key)
    ]
    return json.loads(element.proto.json)


def slider_index(at: AppTest, key: str) -> int:
    """The position Python draws the slider at."""
    return slider_data(at, key)["index"]


def slider_label(at: AppTest, key: str) -> str:
    return slider_data(at, key)["label"]
