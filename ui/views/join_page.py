"""The student's page (`/join?room=CODE`, or type the code): an optional nickname, the question,
its options and "How sure are you?", Send; the answer can change until voting closes, and after
the reveal the page says whether it was right. It reads only `ClassStore.student_view`, which
holds no one else's name or vote and no answer before the reveal.
"""

from __future__ import annotations

import re
import secrets

import streamlit as st

from core.classroom import codes
from core.classroom.errors import ClassError
from core.classroom.store import CONFIDENCE, ClassStore
from ui.text import plain
from ui.views.classroom_common import store

STUDENT_KEY = "_gv_student"  # this browser session's random id: the only thing that is "you"
ROOM_KEY = "_gv_join_room"
ME_PARAM = "me"
STUDENT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what token_urlsafe(16) makes, bounded
JOINED_KEY = "_gv_joined"  # (code, nickname) last written to the store
REFRESH_SECONDS = 3  # a phone follows the instructor within 3 s
SURE = {1: "Guessing", 2: "Fairly sure", 3: "Sure"}
assert tuple(SURE) == CONFIDENCE


def _student_id() -> str:
    """This student's random id, kept in the page's address (``me=``) too: a phone that reloads
    the tab, or reconnects after a server restart, is still the same student (their vote is
    still theirs, not counted twice). It names no one and opens nothing but this vote."""
    if STUDENT_KEY not in st.session_state:
        given = st.query_params.get(ME_PARAM, "")
        fresh = not STUDENT_ID.fullmatch(given)
        st.session_state[STUDENT_KEY] = secrets.token_urlsafe(16) if fresh else given
    me = st.session_state[STUDENT_KEY]
    if st.query_params.get(ME_PARAM) != me:
        st.query_params[ME_PARAM] = me
    return me


def _ask_code() -> None:
    typed = st.text_input("Room code", max_chars=12, placeholder="e.g. ABC234")
    if st.button("Join", type="primary") and typed:
        st.session_state[ROOM_KEY] = codes.normalize_code(typed)
        st.rerun()


def _join(room: ClassStore, code: str, me: str) -> bool:
    """Count this student in; False (with the reason shown) when the code is no good."""
    nickname = st.text_input("Nickname (optional)", max_chars=codes.NICKNAME_MAX, key="gv-nickname")
    joined = (code, codes.clean_nickname(nickname))
    try:
        if st.session_state.get(JOINED_KEY) != joined:  # one write per join or new nickname
            room.join(code, me, nickname)
            st.session_state[JOINED_KEY] = joined
    except ClassError as error:
        st.error(plain(error))
        st.session_state.pop(ROOM_KEY, None)
        return False
    if nickname:
        st.caption(f"You are {plain(codes.clean_nickname(nickname))}")
    return True


def _vote_form(room: ClassStore, code: str, me: str, view: dict) -> None:
    # Not a fragment, though a fragment's Send would cost half the server time (measured):
    # after a server restart the reconnected page's Send reached the new session before its
    # first run had drawn the fragment, and Streamlit drops a rerun for a fragment it does not
    # hold: the vote was lost without a word (tests/browser/test_class_restart.py caught it).
    question, mine = view["question"], view.get("my_vote")
    number = view["round"]["number"]
    # Keyed by question and round, so the widgets keep what the student picked across the
    # page's refreshes; a reloaded page starts from the vote the store holds.
    pick_key, sure_key = (f"gv-{name}-{question['position']}-{number}" for name in ("pick", "sure"))
    if mine is not None and pick_key not in st.session_state:
        st.session_state[pick_key] = mine["choice"]
        st.session_state[sure_key] = mine["confidence"]
    st.session_state.setdefault(sure_key, 2)  # "Fairly sure" until told otherwise
    with st.form(f"vote-{question['position']}-{number}"):
        choice = st.radio(
            "Your prediction",
            range(len(question["options"])),
            format_func=lambda i: question["options"][i],
            index=None,
            key=pick_key,
        )
        sure = st.radio(
            "How sure are you?",
            CONFIDENCE,
            format_func=SURE.get,
            index=0,  # (the value comes from session_state, set just above)
            horizontal=True,
            key=sure_key,
        )
        sent = st.form_submit_button("Send")  # one label: a new one would be a new button
    if sent:
        if choice is None:
            st.warning("Pick one of the options first.")
            return
        try:
            room.vote(code, me, int(choice), int(sure))
        except ClassError as error:
            st.error(plain(error))
            return
        mine = {"choice": int(choice)}
    if mine is not None:
        st.success(f"Sent: {plain(question['options'][mine['choice']])}. You can change it "
                   "until voting closes.")  # fmt: skip


def _result(view: dict) -> None:
    question, mine = view["question"], view.get("my_vote")
    right = question["options"][view["answer"]]
    if mine is None:
        st.info(f"You did not vote this round. The answer: {plain(right)}.")
    elif view["right"]:
        st.success(f"Right! The answer: {plain(right)}.")
    else:
        st.error(f"Not this time: you said {plain(question['options'][mine['choice']])}; "
                 f"the answer: {plain(right)}.")  # fmt: skip
    if view["accuracy"] is not None:
        st.caption(f"{view['accuracy']:.0%} of the class got it right.")


@st.fragment(run_every=REFRESH_SECONDS)
def _watch(code: str, me: str, shown: tuple) -> None:
    """Every REFRESH_SECONDS, look whether the instructor moved on; if so, redraw the page.
    The vote form itself lives outside this fragment, so a refresh never races a Send."""
    try:
        stage = store().stage(code)  # one small query a second for the whole room
    except ClassError:
        stage = None  # expired or gone: the page says so on its redraw
    if stage != shown:
        st.rerun(scope="app")


def _room(room: ClassStore, code: str, me: str) -> None:
    """The question and the round as they stand; followed by `_watch`."""
    try:
        view = room.student_view(code, me)
        stage = room.stage(code)
    except ClassError as error:
        st.error(plain(error))
        return
    _watch(code, me, stage)
    if view["ended"]:
        st.info("The class has ended. Thank you!")
        return
    question, rnd = view["question"], view["round"]
    if question is None or rnd is None:
        st.info("Waiting for the instructor to open a question...")
        return
    st.subheader(f"Question {question['position']}")
    st.markdown(question["prompt"])
    if rnd["number"] > 1:
        st.caption(f"Round {rnd['number']}: after discussing, vote again.")
    if rnd["state"] == "open":
        _vote_form(room, code, me, view)
    elif rnd["state"] == "closed":
        st.info("Voting is closed. Wait for the reveal...")
    else:
        _result(view)


def show() -> None:
    st.title("Join the class")
    me = _student_id()
    if ROOM_KEY not in st.session_state and st.query_params.get("room"):
        st.session_state[ROOM_KEY] = codes.normalize_code(st.query_params["room"])
    code = st.session_state.get(ROOM_KEY)
    if not code:
        _ask_code()
        return
    if st.query_params.get("room") != code:  # a reload comes back to this room
        st.query_params["room"] = code
    st.caption(f"Room {plain(code)}")
    room = store()  # one lookup a run: every phone runs this page often
    if _join(room, code, me):
        _room(room, code, me)
