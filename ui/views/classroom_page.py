"""The instructor's page (`/classroom`): start a class, show its code, join link and QR code,
ask a question, open and close voting, reveal (the run plays, the right answer is marked), a
second round after discussion, the next question, and at the end the summary and its CSV.

The room's secret lives in this session's `st.session_state` (on the server) and in the
instructor's own browser (`ui.components.room_key`, so a restarted process does not cost them
the class): never in the address bar, the join link or anything a student's page reads.
"""

from __future__ import annotations

import streamlit as st

from core.classroom.errors import ClassError
from core.classroom.store import ROUNDS_MAX
from core.lessons.model import ExperimentBlock, LessonRun
from core.schema.experiment import decode
from ui.components import room_key
from ui.text import plain
from ui.views.classroom_common import join_url, show_qr, store
from ui.views.classroom_live import live
from ui.views.classroom_picker import pick_question
from ui.views.lesson_experiment import render_experiment

ROOM_KEY = "_gv_class_room"  # (code, secret) of the room this session runs
# Once a question is up: less room above the page's first line (Streamlit's own is 6rem).
COMPACT_CSS = "<style>.stMainBlockContainer { padding-top: 3rem; }</style>"
INTRO = (
    "Ask the whole room to predict before the valley answers: students join on their phones "
    "with a code, vote, and see whether they were right after you reveal the run."
)


def _act(call, *args) -> None:
    """Run a store call for this room; a refusal is shown, never raised."""
    code, secret = st.session_state[ROOM_KEY]
    try:
        call(code, secret, *args)
    except ClassError as error:
        st.session_state["_gv_class_error"] = str(error)
    st.rerun()


def _start(label: str = "Start a class") -> None:
    if st.button(label, type="primary"):
        st.session_state[ROOM_KEY] = store().create_room()
        st.rerun()


def _take_back() -> None:
    """A fresh session (a reload, or this server process restarted): take back the room this
    browser was running, if its secret still opens it and it has not ended."""
    held = room_key.recall()
    if held is None:
        return
    try:
        alive = store().is_instructor(*held) and not store().projector(*held)["ended"]
    except ClassError:
        alive = False
    if alive:
        st.session_state[ROOM_KEY] = held
        st.session_state["_gv_class_notice"] = f"Welcome back: class {held[0]} is still on."
        st.rerun()


def _header(code: str, compact: bool) -> None:
    """The code, the join link and the QR code: large until a question is asked; then one
    row, with the code as the page's heading, so the question, its buttons and every answer's
    bar fit on the projector below it (1280 x 720 included)."""
    url = join_url(code)
    if compact:
        st.html(COMPACT_CSS)
        words, link, picture = st.columns([2, 3, 1], vertical_alignment="center")
        with words:
            st.markdown("Room code:")
            st.markdown(f"# `{code}`")
        with link:
            st.markdown("Join at the link or scan the code, then type the room code:")
            st.code(url, language=None)
        with picture:
            show_qr(url, 150)
        return
    left, right = st.columns([3, 2])
    with left:
        st.markdown("Join at the link or scan the code, then type this room code:")
        st.markdown(f"# `{code}`")
        st.code(url, language=None)
    with right:
        show_qr(url, 420)


def _controls(view: dict) -> None:
    """The buttons for what can happen next, given the current round."""
    s = store()
    last = view["rounds"][-1] if view["rounds"] else None
    state = None if last is None else last["state"]
    # the round's state -> the next step and what it calls
    step = {
        None: ("Open voting", s.open_voting),
        "open": ("Close voting", s.close_voting),
        "closed": ("Reveal", s.reveal),
    }
    buttons = [(*step[state], "primary")] if state in step else []
    if state in ("closed", "revealed") and last["number"] < ROUNDS_MAX:
        buttons.append(("Discuss, then vote again", s.open_voting, "secondary"))
    buttons.append(("End class", s.end, "secondary"))
    with st.container(horizontal=True):
        for label, call, kind in buttons:
            if st.button(label, type=kind):
                _act(call)


def _reveal(view: dict) -> None:
    """The run that answers the question, in the player."""
    question = view["question"]
    if not question["experiment"]:
        return
    exp, _view, _notices = decode(question["experiment"])
    block = ExperimentBlock(id="class", line=0, runs=(LessonRun("", exp),))
    render_experiment(block, key=f"class-run-{question['position']}", present=True)


def _summary(code: str, secret: str) -> None:
    st.subheader("Summary")
    rows = store().summary(code, secret)
    if not rows:
        st.info("No question was asked.")
    else:
        st.dataframe(
            [
                {
                    "Question": plain(r["prompt"]),
                    "Right answer": r["right_answer"],
                    "Round 1": _pct(r["round1_accuracy"], r["round1_votes"]),
                    "Round 2": _pct(r["round2_accuracy"], r["round2_votes"]),
                }
                for r in rows
            ],
            hide_index=True,
        )
    st.download_button(
        "Download the summary (CSV)",
        store().summary_csv(code, secret),
        file_name=f"class-{code}.csv",
        mime="text/csv",
    )


def _pct(accuracy: float | None, votes: int) -> str:
    return "-" if accuracy is None else f"{accuracy:.0%} of {votes}"


def show() -> None:
    if ROOM_KEY not in st.session_state:
        st.title("Live class")
        _take_back()
        st.write(INTRO)
        _start()
        return
    code, secret = st.session_state[ROOM_KEY]
    room_key.keep((code, secret))
    error = st.session_state.pop("_gv_class_error", None)
    if error:
        st.warning(plain(error))
    notice = st.session_state.pop("_gv_class_notice", None)
    if notice:
        st.info(notice)
    try:
        view = store().projector(code, secret)
    except ClassError as problem:  # expired, or the database was reset
        st.title("Live class")
        st.error(plain(problem))
        del st.session_state[ROOM_KEY]
        room_key.forget()
        _start()
        return
    if view["ended"]:
        st.title("Live class")
        st.success(f"Class {code} has ended.")
        _summary(code, secret)
        _start("Start a new class")  # replaces the ended room here and in the browser
        return
    question = view["question"]
    if question is None:
        st.title("Live class")
    _header(code, compact=question is not None)
    if question is None:
        _picker(question)
        live(code, secret)
        return
    st.subheader(f"Question {question['position']}: {question['prompt']}")
    st.caption(plain(question["source"]))
    _controls(view)
    live(code, secret)
    if any(r["state"] == "revealed" for r in view["rounds"]):
        _reveal(view)
    _picker(question)  # below what the room watches: the instructor scrolls to it


def _picker(question: dict | None) -> None:
    """The question bank: open until a question is asked, then folded, as "Next question"."""
    with st.expander("Next question" if question else "Pick a question", expanded=not question):
        asked = pick_question("class-question")
        if asked is not None:
            _act(store().ask, asked)
