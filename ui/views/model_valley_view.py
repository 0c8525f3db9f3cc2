"""The model page's first part: a straight line fitted to real data is a two-parameter valley;
full-batch descent on its map, mini-batch clouds, the theory of its curvature, batch noise."""

from __future__ import annotations

import streamlit as st

from core.real import models
from figures.palette import OKABE_ITO
from figures.real import model_valley
from figures.valley.path import PathSpec
from ui import a11y_charts as alt
from ui import theme as page_theme
from ui.a11y import describe
from ui.controls.lr_control import LR_GRID, format_lr
from ui.state import model_url
from ui.views import badge
from ui.views import model_view as mv

WHOLE_SET = models.get_model("linreg-diabetes").data.n_train  # the valley's batch of "all"


def show(present: bool, ftheme) -> None:
    """The real two-parameter valley: its map, the engine's verdict and theory, the noise study."""
    bind = model_url.binder("valley", WHOLE_SET)
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
        **bind("scale"),
        help="Rescale the body-mass index to mean 0 and spread 1: the long, thin valley of the "
        "raw feature becomes a round bowl.",
    )
    lr = c[1].select_slider("Learning rate", **bind("lr", options=LR_GRID), format_func=format_lr)
    batch = c[2].select_slider(
        "Batch size",
        **bind("batch"),
        format_func=lambda b: f"{b} (all)" if b == n else str(b),
    )
    seeds = c[3].slider("Seeds drawn at once", **bind("seeds"))
    steps = c[4].select_slider("Steps", **bind("steps"))

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
    blown = sum(r.diverged_at is not None for r in runs)
    describe(alt.valley_text(standardize, lr, gd.outcome, batch, seeds, blown), left)
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
    if blown:
        right.warning(f"{blown} of {seeds} mini-batch runs blew up at this rate.")
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
        describe(alt.noise_text(mv.NOISE_BATCHES, study))
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
