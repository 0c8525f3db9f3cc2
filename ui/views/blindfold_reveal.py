"""The end of a blindfold walk: how it ended, the valley revealed with both paths, the two step
counts side by side, and the learner's best on this walk (kept in the browser)."""

from __future__ import annotations

import streamlit as st

from core.schema.experiment import Experiment
from core.valley import blindfold
from figures.palette import theme as figure_theme
from figures.valley.blindfold_scene import loss_figure, reveal_figure
from ui import cache as run_cache
from ui import theme as page_theme
from ui.a11y import describe
from ui.a11y_charts import loss_text, reveal_text
from ui.components import blindfold_scores

REVEALING = "Revealing the valley and walking it at the best fixed rate..."


def _reference(exp: Experiment, surface, walk):
    start = walk.points[0]
    key = (exp.surface, exp.formula, tuple(start), walk.goal.target)
    return run_cache.shared(blindfold.reference, key, exp, surface, start, walk.goal)


def steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"


def _how(ref) -> str:
    """Where the reference's rate comes from, in words."""
    if ref.how == "theory":
        return (
            "On a quadratic the best fixed rate is $2/(\\ell + L)$, from the smallest and "
            f"largest curvature at the bottom: here {ref.rate:.4g}."
        )
    return (
        "This surface is not a quadratic, so no formula gives the best fixed rate: of the "
        f"slider's rates, {ref.rate:.4g} reaches the bottom from your start in the fewest steps."
    )


def _ending(walk) -> None:
    words = blindfold.ENDINGS[walk.status]
    if walk.status == blindfold.REACHED:
        st.success(f"{words} in {steps(walk.steps)}.", icon=":material/flag:")
    else:
        st.warning(f"{words}, after {steps(walk.steps)}.", icon=":material/warning:")


def _comparison(walk, ref) -> None:
    yours, theirs = st.columns(2)
    mine = walk.steps if walk.status == blindfold.REACHED else None
    yours.metric("Your steps", "—" if mine is None else mine)
    if ref is None:
        theirs.metric("Gradient descent, best fixed rate", "—")
        st.markdown(
            "No fixed rate reaches the bottom from this start within "
            f"{blindfold.REFERENCE_LIMIT} steps (or the surface has no known bottom)."
        )
        return
    count = "—" if ref.steps is None else ref.steps
    theirs.metric(f"Gradient descent at rate {ref.rate:.4g}", count)
    st.markdown(_how(ref))
    if mine is not None and ref.steps is not None:
        if mine < ref.steps:
            st.markdown("You beat every fixed rate: changing the step length paid off.")
        elif mine == ref.steps:
            st.markdown("You matched gradient descent at its best fixed rate.")
        else:
            st.markdown(f"{steps(mine - ref.steps)} more than the best fixed rate. Try again?")


def show_best(name: str, new: bool = False) -> None:
    """The learner's best on this walk, kept in this browser (synced on every run)."""
    blindfold_scores.sync()
    best = blindfold_scores.best(name)
    if best is not None:
        st.markdown(f"**Your best on this walk: {steps(best)}**" + (" (new best!)" if new else ""))


def show_reveal(exp: Experiment, surface, walk, name: str, present: bool) -> None:
    """The reveal, after the walk ended (reached the bottom, left the valley, or ran out)."""
    _ending(walk)
    theme = figure_theme(present)
    with st.spinner(REVEALING):
        ref = _reference(exp, surface, walk)
        background = run_cache.background(exp.surface, exp.formula, present)
    label = f"your walk: {steps(walk.steps)}"
    ref_label = "" if ref is None else f"gradient descent at rate {ref.rate:.4g}"
    figure = reveal_figure(
        surface.domain,
        walk.points,
        surface.marked_minima,
        you=label,
        reference=None if ref is None else ref.path,
        reference_name=ref_label,
        escape=walk.escape,
        background=background,
        theme=theme,
        height=page_theme.fit_height(20) if present else 520,
    )
    left, right = st.columns([3, 2])
    left.markdown("**The valley, revealed**, with your path and gradient descent's.")
    describe(reveal_text(walk.points, walk.steps, ref), left)
    left.plotly_chart(figure, key="bw_reveal", theme=None, config={"displayModeBar": False})
    with right:
        _comparison(walk, ref)
        new = walk.status == blindfold.REACHED and blindfold_scores.record(name, walk.steps)
        show_best(name, new)
        show_loss(right, walk, theme, key="bw_loss_end")


def show_loss(container, walk, theme, key: str) -> None:
    """The loss so far, with its sentence for screen readers: while walking and at the end."""
    describe(loss_text(walk.losses, walk.goal.target), container)
    container.plotly_chart(
        loss_figure(walk.losses, floor=walk.goal.floor, target=walk.goal.target, theme=theme),
        key=key,
        theme=None,
        config={"displayModeBar": False},
    )
