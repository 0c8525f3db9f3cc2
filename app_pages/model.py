"""Real model: the loss of a real model is a surface too. A two-parameter valley made of real
data, then a small network: the range test, training at its suggestion, schedules."""

from __future__ import annotations

import streamlit as st

from core import optimizers, schedules
from core.real import models
from core.schema.experiment import OPTIMIZER_NAMES
from figures import model as figs
from figures import model_valley
from figures.palette import OKABE_ITO
from figures.palette import theme as figure_theme
from figures.path import PathSpec
from ui import badge, model_url, url_state
from ui import model_view as mv
from ui import theme as page_theme
from ui.lr_control import LR_GRID, format_lr

VALLEY, NETWORK = model_url.LABELS["valley"], model_url.LABELS["network"]
RUN_COLORS = (OKABE_ITO["sky"], OKABE_ITO["vermillion"], OKABE_ITO["purple"])
WHOLE_SET = models.get_model("linreg-diabetes").data.n_train  # the valley's batch of "all"

notices = model_url.load(WHOLE_SET)  # before any widget: every one gets its value here
present = bool(st.session_state.get("present", False))
page_theme.apply(present)
ftheme = figure_theme(present)
st.title("A real model")
url_state.show_notices(notices)
st.toggle("Presentation mode", key="present", help="Large type and lines for projection.")
part = st.radio(
    "Part", [VALLEY, NETWORK], horizontal=True, key="part", label_visibility="collapsed"
)


def valley_part() -> None:
    line = models.get_model("linreg-diabetes")
    n = line.data.n_train
    intro = (
        f"A straight line *y = w·x + b* through {n} diabetes patients: body-mass index against "
        "disease progression a year later. Every point (w, b) is a line; its height is the mean "
        "squared error. Two parameters, so the loss of this real model is a valley you can see."
    )
    if not present:  # on a projector the text goes below the map, the demo first
        st.markdown(intro)
    c = st.columns([1.6, 1.6, 1.6, 1.3, 1.2])  # the first wide enough for its toggle's label
    standardize = c[0].toggle(
        "Standardise",
        key="scale",
        help="Rescale the body-mass index to mean 0 and spread 1: the long, thin valley of the "
        "raw feature becomes a round bowl.",
    )
    lr = c[1].select_slider("Learning rate", LR_GRID, key="valley_lr", format_func=format_lr)
    batch = c[2].select_slider(
        "Batch size",
        (1, 2, 4, 8, 16, 32, 64, 128, n),
        key="batch",
        format_func=lambda b: f"{b} (all)" if b == n else str(b),
    )
    seeds = c[3].slider("Seeds drawn at once", 1, 16, key="seeds")
    steps = c[4].select_slider("Steps", (50, 100, 200, 500, 1000, 2000), key="steps")

    surface = mv.valley_surface(standardize)
    theory = mv.valley_theory(standardize)
    other = mv.valley_theory(not standardize)
    gd = mv.gradient_descent(standardize, lr, steps)
    runs = mv.minibatch_runs(standardize, lr, steps, batch, seeds)
    fig = model_valley.valley_figure(
        surface.domain,
        mv.valley_picture(standardize, present),
        surface.minima,
        PathSpec(gd.path, "full batch: gradient descent", "#000000", loss=gd.loss),
        [(f"batch of {batch}", OKABE_ITO["vermillion"], [r.path for r in runs])],
        axis_titles=("w (slope)", "b (intercept)"),
        equal_aspect=standardize,
        theme=ftheme,
        # On a projector: the window's height below the title, toggles and the controls row.
        height=page_theme.fit_height(20) if present else 520,
    )
    left, right = st.columns([3, 2])
    left.plotly_chart(fig, key="valley_map", config={"displayModeBar": False})
    if present:
        left.markdown(intro)
    crit, best = theory["critical"], theory["best"]
    right.markdown("**Full-batch gradient descent** (the engine's verdict):")
    badge.show(gd.outcome, right)
    right.markdown(
        f"**Critical rate 2/λ_max = {crit:.3g}** here (η = {lr:g} is {lr / crit:.2g}× it); "
        f"best fixed rate 2/(λ_min + λ_max) = {best:.3g}. Curvatures λ = "
        f"{theory['eigenvalues'][0]:.3g} and {theory['eigenvalues'][1]:.3g}, condition number "
        f"{theory['condition']:,.0f}."
    )
    scaled, raw = (theory, other) if standardize else (other, theory)
    right.markdown(
        "| feature | critical rate | condition number |\n|---|---|---|\n"
        f"| standardised | {scaled['critical']:.3g} | {scaled['condition']:,.0f} |\n"
        f"| raw BMI (kg/m²) | {raw['critical']:.3g} | {raw['condition']:,.0f} |"
    )
    right.caption(
        "From `core.analyze` on the real loss (its Hessian is 2/n·XᵀX, the same everywhere). "
        "Raw BMI values near 26 make the valley long and thin: the steep direction caps the "
        "rate while the flat one needs thousands of steps. Standardising makes a round bowl."
    )
    diverged = sum(r.diverged_at is not None for r in runs)
    if diverged:
        right.warning(f"{diverged} of {seeds} mini-batch runs blew up at this rate.")
    st.subheader("Smaller batches want smaller rates")
    st.markdown(
        "Each mini-batch gradient is the full gradient plus noise that grows as the batch "
        "shrinks, so near the minimum the steps never settle: they hover in a cloud whose height "
        "above the minimum grows with the rate η and with 1/B. To settle as low with a smaller "
        "batch, take a smaller rate. Below, every run starts *at* the best line, where "
        "full-batch gradient descent would not move: the loss above the minimum over the second "
        f"half of {steps} steps, averaged over {mv.NOISE_SEEDS} seeds, is the noise alone."
    )
    with st.spinner("Running every batch size…"):
        study = mv.noise_study(standardize, lr, steps)
    if all(v is None for values in study.values() for v in values):
        st.info("At this rate every mini-batch run blew up: lower the learning rate.")
    else:
        st.plotly_chart(
            model_valley.batch_noise_figure(mv.NOISE_BATCHES, study, theme=ftheme),
            key="noise",
            config={"displayModeBar": False},
        )
        blown = [
            f"batch {b} at η = {rate:.3g}"
            for rate, values in study.items()
            for b, v in zip(mv.NOISE_BATCHES, values, strict=True)
            if v is None
        ]
        if blown:
            st.caption(
                "Missing points blew up: " + "; ".join(blown) + ". The same rate that is safe "
                "with a larger batch is too large for a smaller one."
            )


def network_part() -> None:
    net = models.get_model("mlp-digits")
    st.markdown(
        f"A network with {net.n_params:,} weights reads 8×8 images of handwritten digits "
        f"({net.data.n_train} to train on, {net.data.n_val} held out). Its loss lives in "
        f"{net.n_params:,} dimensions: no picture, but the learning rate steers it the same way."
    )
    c = st.columns(3)
    optimizer = c[0].selectbox(
        "Optimizer", OPTIMIZER_NAMES, key="net_opt", format_func=optimizers.TITLES.get
    )
    batch = c[1].select_slider("Batch size", (16, 32, 64, 128, 256), key="net_batch")
    seed = int(c[2].number_input("Seed", 0, 2**31 - 1, key="net_seed"))
    with st.expander("Range test settings"):
        r = st.columns(3)
        start = r[0].number_input("Start rate", 1e-9, 1.0, format="%g", key="rt_start")
        end = r[1].number_input("End rate", 1e-6, 1e3, format="%g", key="rt_end")
        num = r[2].slider("Steps of the test", 20, 400, key="rt_steps")
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
    st.plotly_chart(
        figs.range_test_figure(test.lr, test.loss, test.smoothed, test.suggestions, theme=ftheme),
        key="range_test",
        config={"displayModeBar": False},
    )
    if test.note:
        st.warning(test.note)
        return
    rules = {"minimum": "minimum / 10", "valley": "valley", "steepest": "steepest descent"}
    cols = st.columns(3)
    for col, (name, title) in zip(cols, rules.items(), strict=True):
        col.metric(title, f"{test.suggestions[name].lr:.3g}")

    st.subheader("Train with the suggestion, 10× smaller and 10× larger")
    c = st.columns(3)
    rule = c[0].radio("Suggestion", list(rules), format_func=rules.get, key="rule", horizontal=True)
    schedule = c[1].selectbox(
        "Schedule", schedules.SCHEDULES, key="schedule", format_func=schedules.TITLES.get
    )
    steps = c[2].select_slider("Steps", (100, 200, 500, 1000, 2000, 5000), key="net_steps")
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
        figs.RunCurves(
            label,
            color,
            r.eval_steps,
            r.train_loss,
            r.val_loss,
            r.lr,
            r.val_accuracy,
            r.diverged_at,
        )
        for label, color, r in zip(labels, RUN_COLORS, results, strict=True)
    ]
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


model_url.save(WHOLE_SET)  # the link to this view, before the long runs below
if part == VALLEY:
    valley_part()
else:
    network_part()
