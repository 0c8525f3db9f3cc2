"""A lesson's model block as a compact live view: a real model trained by the engine.

The range test is drawn with its suggestions (`figures.real.model.range_test_figure`); training runs
of the digits network as training and validation loss with held-out accuracy
(`figures.real.model.training_figure`); runs of the straight line as paths over its real valley, one
thin line per seed (`figures.real.model_valley.valley_figure`). Results are cached across sessions
(`ui.cache`, bounded); a run that is not cached shows a progress bar while it trains.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from core.catalog.range_test import RULE_TITLES
from core.lessons import ModelBlock
from core.lessons.model_runs import ModelOutcome, run_model_block
from figures.palette import theme as theme_for
from figures.real import model as model_figures
from figures.real.model_valley import valley_figure
from ui import a11y_charts as alt
from ui import cache as run_cache
from ui.a11y import describe
from ui.controls.lr_control import LR_GRID, format_lr
from ui.text import plain

COMPACT_HEIGHT, PRESENT_HEIGHT = 420, 600


def _outcome(_block: ModelBlock, lr: float | None) -> ModelOutcome:
    """The block's runs (keyed by all its settings and the chosen rate). The progress bar is
    made here, so a cached result replays it (already emptied) without error."""
    bar = st.progress(0.0, text="Starting: the first run of a model also compiles it…")

    def report(done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0), text=f"Training: {done:,} of {total:,} steps")

    try:
        return run_model_block(_block, lr=lr, progress=report)
    finally:
        bar.empty()


def _rate_slider(block: ModelBlock, key: str) -> float | None:
    """Try another base rate (training blocks; a range test's rate is its suggestion)."""
    if block.task != "train":
        return None
    options = sorted(set(LR_GRID) | {float(block.lr)})
    chosen = st.select_slider(
        "Try another learning rate"
        + (" (the base of the compared rates)" if block.compare else ""),
        options=options,
        value=block.lr,
        format_func=format_lr,
        key=key,
        help=f"The lesson's rate is {format_lr(block.lr)}. Log scale.",
    )
    return None if chosen == block.lr else float(chosen)


def render_model(block: ModelBlock, *, key: str, present: bool) -> None:
    """Draw one model block; a run the engine refuses shows its reason instead."""
    theme = theme_for(present)
    height = PRESENT_HEIGHT if present else COMPACT_HEIGHT
    with st.container(border=True):
        lr = _rate_slider(block, f"{key}-lr")
        try:
            settings = dataclasses.astuple(block)
            outcome = run_cache.copied(_outcome, (settings, lr), block, lr)
        except ValueError as error:
            st.error(f"This model block cannot run: {plain(error)}")
            return
        if outcome.range_test is not None:
            _range_test(block, outcome, key=key, theme=theme, height=height)
        if outcome.runs:
            if block.model == "linreg-diabetes":
                _valley(outcome, key=key, theme=theme, height=height, present=present)
            else:
                _curves(block, outcome, key=key, theme=theme, height=height)
            _table(block, outcome)
        if block.caption:
            st.caption(block.caption)
        st.markdown("[Try more settings on the Real model page](./model)")


def _range_test(block: ModelBlock, outcome: ModelOutcome, *, key, theme, height) -> None:
    test = outcome.range_test
    figure = model_figures.range_test_figure(
        test.lr, test.loss, test.smoothed, test.suggestions, theme=theme, height=height
    )
    describe(alt.range_test_text(test.lr, test.suggestions, test.note))
    st.plotly_chart(figure, key=f"{key}-range", config={"displayModeBar": False})
    if test.note:
        st.warning(test.note)
        return
    rules = " · ".join(
        f"{title}: **{test.suggestions[name].lr:.3g}**" for name, title in RULE_TITLES.items()
    )
    line = f"Suggestions: {rules}."
    if block.compare:
        line += (
            f" Below, the network trains at multiples of the {RULE_TITLES[block.suggestion]} "
            f"suggestion ({outcome.base_lr:.3g}), {block.steps} steps each."
        )
    st.markdown(line)


def _name(run, block: ModelBlock) -> str:
    if block.compare:
        return f"η = {run.lr:.3g} ({run.label.partition('=x')[2]}×)"
    if block.vary == "batch_size":
        rate = f", η = {run.lr:.3g}" if block.scale_lr else ""
        whole = " (all)" if run.label.endswith("=all") else ""
        return f"batch of {run.batch_size}{whole}{rate}"
    return f"η = {run.lr:.3g}"


def _curves(block: ModelBlock, outcome: ModelOutcome, *, key, theme, height) -> None:
    curves = []
    for i, run in enumerate(outcome.runs):
        r = run.results[0]
        curves.append(model_figures.RunCurves.of(_name(run, block), theme.color(i), r))
    figure = model_figures.training_figure(
        curves, theme=theme, height=height + 140, steps=None if block.epochs else block.steps
    )
    describe(alt.training_text(curves))
    st.plotly_chart(figure, key=f"{key}-training", config={"displayModeBar": False})


def _valley(outcome: ModelOutcome, *, key, theme, height, present) -> None:
    from core.real.model_surface import regression_surface
    from ui.views.model_view import valley_picture

    surface = regression_surface(True)
    clouds = [
        (_valley_label(run), theme.color(i), [r.path for r in run.results])
        for i, run in enumerate(outcome.runs)
    ]
    figure = valley_figure(
        surface.domain,
        valley_picture(True, present),
        surface.minima,
        None,
        clouds,
        theme=theme,
        height=height + 60,
    )
    describe(alt.clouds_text([label for label, _, _ in clouds]))
    st.plotly_chart(figure, key=f"{key}-valley", config={"displayModeBar": False})


def _valley_label(run) -> str:
    seeds = len(run.results)
    return f"η = {run.lr:.3g}, batch {run.batch_size}" + (f", {seeds} seeds" if seeds > 1 else "")


def _table(block: ModelBlock, outcome: ModelOutcome) -> None:
    rows = []
    for run in outcome.runs:
        seeds = len(run.results)
        if run.diverged:
            first = min(r.diverged_at for r in run.results if r.diverged_at is not None)
            verdict = (
                f"blew up at step {first}" if seeds == 1 else f"{run.diverged} of {seeds} blew up"
            )
        else:
            verdict = "trains"
        row = {
            "run": _name(run, block),
            "batch": run.batch_size,
            "outcome": verdict,
            "training loss": "—" if run.diverged else f"{run.train_loss:.3g}",
            "validation loss": "—" if run.diverged else f"{run.val_loss:.3g}",
        }
        if run.val_accuracy is not None:
            row["held-out accuracy"] = "—" if run.diverged else f"{100 * run.val_accuracy:.1f}%"
        if block.vary == "batch_size":
            row["jitter of the loss"] = "—" if run.diverged else f"{run.jitter:.2g}"
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
