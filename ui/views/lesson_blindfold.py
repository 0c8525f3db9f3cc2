"""A lesson's blindfold block (`core.lessons.blindfold_block`): an invitation and a prominent
link that opens the blindfold walk on the block's surface, start and goal."""

from __future__ import annotations

import streamlit as st

PAGE = "app_pages/blindfold.py"
INVITATION = (
    "**Be the walker first.** On the blindfold walk the valley is hidden: you feel only the "
    "slope under your feet, choose how long each step is, and try to reach the bottom in as "
    "few steps as you can. At the end the valley is revealed, with your path on it."
)


def render_blindfold(block, present: bool = False) -> None:
    with st.container(border=True):
        st.markdown(INVITATION)
        # The surface always travels, even the default one: the walk opens on this surface
        # whatever the learner walked on before.
        query = {"surface": block.experiment.surface, **block.query}
        if present:  # presentation mode carries on, as every lesson link carries it
            query["present"] = "1"
        icon = ":material/visibility_off:"
        st.page_link(PAGE, label="Take the blindfold walk", icon=icon, query_params=query)
