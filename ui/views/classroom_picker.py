"""The instructor's question picker: the current Playground experiment ("What happens at this
rate?") or any valley lesson's prediction question."""

from __future__ import annotations

import streamlit as st

from core.classroom.questions import ClassQuestion, from_experiment, lesson_questions
from core.schema.experiment import Experiment
from ui import cache as run_cache
from ui.state import url_state
from ui.text import plain
from ui.views.lesson_view import load_entries

PLAYGROUND_LAST = "_gv_last"  # the playground's last (experiment, view), read only


def playground_experiment() -> tuple[Experiment, str]:
    """The experiment in this page's link, else the one the instructor last ran in the
    Playground (this session), else the default; with where it came from."""
    if url_state.query():
        return url_state.read()[0], "Playground (this link)"
    if PLAYGROUND_LAST in st.session_state:
        return st.session_state[PLAYGROUND_LAST][0], "Playground"
    return Experiment(), "Playground (default run)"


def pick_question(key: str) -> ClassQuestion | None:
    """A picker and an "Ask this question" button; the question asked, when pressed."""
    exp, source = playground_experiment()
    label = f"What happens at this rate? ({source}: learning rate {exp.lr:g}, {exp.optimizer})"
    choices = [(label, None)] + lesson_questions(load_entries())
    labels = [c[0] for c in choices]
    picked = st.selectbox("Question", range(len(labels)), format_func=lambda i: labels[i], key=key)
    if not st.button("Ask this question", key=f"{key}-ask", type="primary"):
        return None
    question = choices[picked][1]
    if question is None:
        try:
            question = run_cache.shared(from_experiment, (exp.key(), source), exp, source)
        except ValueError as error:  # an experiment the engine cannot run
            st.error(plain(error))
            return None
    return question
