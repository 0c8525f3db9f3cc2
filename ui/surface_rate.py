"""A new surface opens at its own teaching rate (`core.sweeps.teaching_rate`), unless the rate
was chosen: by the learner (slider or box) or by a link or lesson.

"Chosen" needs no flag of its own: the rate is chosen exactly when it is no longer the one
this module (or the documented default) put there, so a moved slider, a typed rate or a link's
``lr=`` all keep their rate across a change of surface.
"""

from __future__ import annotations

import streamlit as st

from core import surfaces
from core.experiment import FIELD
from core.sweeps import teaching_rate
from ui.lr_control import VALUE_KEY, set_lr

TAUGHT_KEY = "_gv_taught_lr"  # the rate this module set last (the default until it sets one)


def follow_surface(name: str) -> None:
    """The surface changed to ``name``: move the rate to its teaching rate if not chosen."""
    ss = st.session_state
    if name not in surfaces.SURFACES:  # a custom formula has no sweep to teach from
        return
    current = ss.get(VALUE_KEY, FIELD["lr"].default)
    if current != ss.get(TAUGHT_KEY, FIELD["lr"].default):
        return  # the learner or a link chose this rate: keep it
    rate = teaching_rate(name)
    set_lr(rate)
    ss[TAUGHT_KEY] = rate
