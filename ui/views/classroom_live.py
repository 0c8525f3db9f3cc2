"""The projector's live part: joined and answered counts and the answers' histogram, redrawn
twice a second with nobody touching anything (`st.fragment(run_every=REFRESH_SECONDS)`); after
the reveal, the right answer marked and the class's accuracy; round 1 beside round 2."""

from __future__ import annotations

import streamlit as st

from core.classroom.errors import ClassError
from figures.classroom import answers_figure
from ui.a11y import describe
from ui.a11y_charts import answers_text
from ui.text import plain
from ui.views.classroom_common import store

REFRESH_SECONDS = 0.5  # twice a second: a vote reaches the projector within ~1 s at p95


def _percent(accuracy: float | None) -> str:
    return "no votes" if accuracy is None else f"{accuracy:.0%} right"


def show_round(question: dict, rnd: dict, key: str) -> None:
    revealed = rnd["state"] == "revealed"
    title = f"Round {rnd['number']}: {rnd['votes']} answers"
    fig = answers_figure(
        question["options"], rnd["counts"], question["answer"] if revealed else None, title
    )
    # What the bars show; the right answer only once it is revealed.
    right = question["options"][question["answer"]] if revealed else None
    describe(
        answers_text(
            title,
            question["options"],
            rnd["counts"],
            right,
            _percent(rnd["accuracy"]) if revealed else "",
        )
    )
    st.plotly_chart(fig, key=key, config={"displayModeBar": False, "staticPlot": True})
    if revealed:
        st.markdown(f"**Right answer: {plain(right)}**, {_percent(rnd['accuracy'])}")


@st.fragment(run_every=REFRESH_SECONDS)
def live(code: str, secret: str) -> None:
    """Everything on the projector that changes while students vote."""
    try:
        view = store().projector(code, secret)
    except ClassError as error:
        st.error(plain(error))
        return
    rounds = view["rounds"]
    current = rounds[-1] if rounds else None
    question = view["question"]
    # The counts stand beside the bars, which fill live as votes arrive; round 1 stands
    # beside round 2 once it runs. (One layout before and after the first round: a change of
    # layout leaves the old counts on screen, stale, until the new ones are drawn.)
    shown = rounds if question is not None else []
    width = 4 / max(1, len(shown))  # the rounds share the width right of the counts
    counts, *bars = st.columns([1] + [width] * max(1, len(shown)), gap="large")
    with counts:
        _counts(view, current)
    for column, rnd in zip(bars, shown, strict=False):
        with column:
            show_round(question, rnd, key=f"bars-{rnd['number']}")  # updated in place


def _counts(view: dict, current: dict | None) -> None:
    """Joined, answered, the voting's state, and who is in the room."""
    st.metric("Students joined", view["joined"])
    st.metric("Answered", current["votes"] if current else 0)
    st.metric("Voting", current["state"] if current else "not open")
    if view["nicknames"]:
        st.caption("In the room: " + plain(", ".join(view["nicknames"])))
