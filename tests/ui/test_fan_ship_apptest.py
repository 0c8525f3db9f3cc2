"""The fan crosses the wire once a session (ui/views/fan_ship.py): the first scene of an
experiment carries its data, the next ones (other rates) only name it, and once forgotten
(the player's ``need_fan`` trigger) it is sent again."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from core.schema.experiment import Experiment
from core.valley.fan import fan
from tests.paths import REPO
from tests.rate_slider_driver import commit_rate, slider_index
from ui.controls.lr_control import DRAG_KEY, LR_GRID
from ui.views import fan_ship

PAGE = str(REPO / "app.py")


def scene_fan(at: AppTest) -> dict:
    (player,) = [
        e
        for e in at._tree
        if getattr(e, "type", "") == "bidi_component" and e.proto.id.endswith("valley")
    ]
    return json.loads(player.proto.json)["scene"]["fan"]


def test_the_fan_is_sent_once_and_again_when_the_page_lacks_it():
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.run()
    first = scene_fan(at)
    assert first["slider"] == DRAG_KEY and first["index"] == slider_index(at, DRAG_KEY)
    assert first["data"]["paths"] == len(LR_GRID)
    assert first["data"]["taken"] == [int(t) for t in fan(Experiment()).taken]
    commit_rate(at, DRAG_KEY, first["index"] + 3)
    second = scene_fan(at)
    assert second["id"] == first["id"] and "data" not in second  # the same fan, named only
    assert second["index"] == first["index"] + 3
    # The page lost it (a rerun cut short): its need_fan callback forgets it was sent (as
    # here), and the next scene carries it.
    at.session_state[fan_ship.SENT_KEY] = at.session_state[fan_ship.SENT_KEY] - {first["id"]}
    commit_rate(at, DRAG_KEY, first["index"] + 4)
    assert scene_fan(at)["data"]["paths"] == len(LR_GRID)
