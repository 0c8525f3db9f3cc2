"""The model page's second part: a small network on handwritten digits; the learning-rate range
test, then three trainings (the suggestion, 10x smaller and 10x larger) kept on screen."""

from __future__ import annotations

import streamlit as st

from core import optimizers, schedules
from core.catalog.range_test import RULE_TITLES
from core.real import models
from figures.palette import OKABE_ITO
from figures.real import model as figs
from ui.a11y import describe
from ui.a11y_charts import range_test_text, training_text
from ui.state import model_url
from ui.views import model_landscape_view
from ui.views import model_view as mv
from ui.views.model_valley_view import WHOLE_SET

RUN_COLORS = (OKABE_ITO["sky"], OKABE_ITO["vermillion"], OKABE_ITO["purple"])


def show(ftheme) -> None:
    """The small network: the range test, then training at its suggestion, 10x and 1/10x."""
    bind = model_url.binder("network", WHOLE_SET)
    net = models.get_model("mlp-digits")
    st.markdown(
        f"A network with {net.n_params:,} weights reads 8×8 images of handwritten digits "
        f"({net.data.n_train} to train on, {net.data.n_val} held out). Its loss lives in "
        f"{net.n_params:,} dimensions: no picture, but the learning rate steers it the same way."
    )
    c = st.columns(3)
    optimizer = c[0].selectbox("Optimizer", **bind("optimizer"), format_func=optimizers.TITLES.get)
    batch = c[1].select_slider("Batch size", **bind("batch"))
    seed = int(c[2].number_input("Seed", **bind("seed")))
    with st.expander("Range test settings"):
        r = st.columns(3)
        start = r[0].number_input("Start rate", **bind("start_lr"), format="%g")
        end = r[1].number_input("End rate", **bind("end_lr"), format="%g")
        num = r[2].slider("Steps of the test", **bind("num_steps"))
    st.subheader("The learning-rate range test")
    if not start < end:
        st.error("The start rate must be below the end rate.")
        return
    with st.spinner("Running the range test…"):
        test = mv.range_test(optimizer, batch, seed, float(start), float(end), int(num))
    st.markdown(
        f"Train for {num} mini-batches while the rate grows exponentially from {start:g} to "
        f"{end:g}; smooth the loss (moving average, β = 0.98) and stop once it passes 4× its "
        "best. The weights are then put back. Three rules read a rate off the curve."
    )
    describe(range_test_text(test.lr, test.suggestions, test.note))
    st.plotly_chart(
        figs.range_test_figure(test.lr, test.loss, test.smoothed, test.suggestions, theme=ftheme),
        key="range_test",
        config={"displayModeBar": False},
    )
    if test.note:
        st.warning(test.note)
        return
    rules = RULE_TITLES
    cols = st.columns(3)
    for col, (name, title) in zip(cols, rules.items(), strict=True):
        col.metric(title, f"{test.suggestions[name].lr:.3g}")

    st.subheader("Train with the suggestion, 10× smaller and 10× larger")
    c = st.columns(3)
    rule = c[0].radio("Suggestion", **bind("suggestion"), format_func=rules.get, horizontal=True)
    schedule = c[1].selectbox("Schedule", **bind("schedule"), format_func=schedules.TITLES.get)
    steps = c[2].select_slider("Steps", **bind("steps"))
    rate = test.suggestions[rule].lr
    settings = (optimizer, float(rate), int(steps), int(batch), seed, schedule)
    clicked = st.button(f"Train with the suggested rate {rate:.3g}", type="primary")
    last = mv.last_run()
    if clicked or (last is not None and last[0] == settings):
        progress = mv.Progress(st.empty(), "Training three networks")
        with st.spinner("Training…"):
            results = mv.train_three(settings, progress)
        progress.done()
    elif last is None:
        st.caption("Three networks train at once: η/10, the suggestion η, and 10η.")
        return
    else:  # the settings moved since: keep the last run on screen, saying what it was
        settings, results = last
        st.info(
            f"Showing the last training: {mv.describe(settings)}. The settings have changed "
            "since; press the button to train with them."
        )
        optimizer, rate, steps, batch, seed, schedule = settings
    labels = [
        f"η = {rate / 10:.3g} (÷10)",
        f"η = {rate:.3g} (suggested)",
        f"η = {rate * 10:.3g} (×10)",
    ]
    curves = [
        figs.RunCurves.of(label, color, r)
        for label, color, r in zip(labels, RUN_COLORS, results, strict=True)
    ]
    describe(training_text(curves))
    st.plotly_chart(
        figs.training_figure(curves, theme=ftheme, steps=steps),
        key="training",
        config={"displayModeBar": False},
    )
    if schedule != "constant":
        st.latex(schedules.formula_latex(schedule))
    best_train = min(
        (float(r.train_loss[-1]) for r in results if r.diverged_at is None), default=float("inf")
    )
    for col, label, r in zip(st.columns(3), labels, results, strict=True):
        col.metric(label, mv.held_out(r))  # a run that blew up has no result
        col.caption(f"validation loss {r.val_loss[-1]:.3g} · {mv.verdict(r, best_train)}")
    model_landscape_view.show(settings, results, labels, RUN_COLORS, ftheme)
