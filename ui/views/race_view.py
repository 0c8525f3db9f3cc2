"""The optimizer race page's view: every optimizer from the same start, each at a good rate of
its own; the player, then the leaderboard once the race has been played.
"""

from __future__ import annotations

import streamlit as st

from core import optimizers
from core.catalog.statuses import status_word
from figures.compare.race import Racer, race_scene
from figures.palette import theme as figure_theme
from ui import a11y
from ui import cache as run_cache
from ui.components.race_player import race_player, reveal_button
from ui.controls import race_controls as race_ui
from ui.views import compare as ui

INTRO = (
    "Same valley, same start, same number of steps: which optimizer settles first? Each runs at "
    "its own learning rate, by default a good one for this surface found by sweeping 121 rates "
    "(the fastest rate that still converges to the global minimum). Change any of them in the "
    "sidebar."
)

RANKING = (
    "Ranked: settled in the global minimum (soonest first), then in a local minimum, then still "
    "on its way (lowest loss first), diverged last. 'Settled at step' is the first step after "
    "which the walker stays within the settling tolerance of its minimum."
)

FINDING = "Finding a good rate for each optimizer (the first time takes a few seconds)..."


def show() -> None:
    """The whole page: controls and racers in the sidebar, the race, its leaderboard."""
    present = ui.begin("Optimizer race")
    st.markdown(INTRO)
    exp, surface = ui.controls(st.sidebar, optimizer=False, rate=False)
    exp = race_ui.experiment(exp)  # surface, start, steps, seed: the racers bring their own rates
    racers = race_ui.racers(st.sidebar)
    problem = ui.check(exp) if surface is not None else "Fix the formula in the sidebar."
    if problem or not racers:
        st.info(problem or "Choose at least one optimizer in the sidebar.")
        ui.finish(exp, present, race_ui.view(racers))
        st.stop()

    with st.spinner(FINDING):
        good = run_cache.good_rates(exp, racers)

    with st.sidebar.expander("Learning rates", expanded=True):
        st.caption("Empty: the good rate shown in grey.")
        rates, typed = race_ui.rates(st, racers, good)

    with st.spinner("Running the race..."):
        board = run_cache.race(exp, rates)

    theme = figure_theme(present)
    labels = {e.optimizer: f"{optimizers.TITLES[e.optimizer]} (rate {e.lr:.3g})" for e in board}
    scene = race_scene(
        surface.domain,
        [Racer(e.optimizer, labels[e.optimizer], e.run.path) for e in board],
        minima=surface.marked_minima,
        background=run_cache.background(exp.surface, exp.formula, present),
        theme=theme,
        height=620 if present else 560,
        identity=(exp.key(), tuple(rates.items())),
    )
    start = board[0].run.resolved.start if board else surface.start
    scene = {**scene, "alt": a11y.race_text(surface.title, start, list(labels.values()))}
    # The race plays before it reveals: the leaderboard only once it has run to its end.
    if not race_player(scene, key="race"):
        st.caption("Press Play: the leaderboard appears when the race is over.")
        reveal_button(scene["id"], "Show the leaderboard without playing")
        ui.finish(exp, present, race_ui.view(racers, typed))
        st.stop()

    st.subheader("Leaderboard")
    st.caption(RANKING)
    rows = [
        {
            "rank": i + 1,
            "optimizer": optimizers.TITLES[e.optimizer],
            "learning rate": e.lr,
            "outcome": status_word(e.status),
            "settled at step": "never" if e.arrival is None else str(e.arrival),
            "final loss": e.final_loss,
            "why": e.run.outcome.explanation,
        }
        for i, e in enumerate(board)
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key="leaderboard",
        column_config={
            "learning rate": st.column_config.NumberColumn(format="%.4g"),
            "final loss": st.column_config.NumberColumn(format="%.4g"),
            "settled at step": st.column_config.TextColumn(
                help="never: it did not settle within the steps"
            ),
        },
    )

    # The link carries the racers (unless all six) and the rates typed (not the good defaults).
    ui.finish(exp, present, race_ui.view(racers, typed))
