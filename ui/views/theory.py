"""Theory beside the slider: the critical learning rate, and what it says about this run.

The critical rate comes from the curvature at the minimum nearest the start. On a quadratic
that curvature is the same everywhere, so the rate holds on the whole surface; elsewhere it is
local theory, and the words say so. The warning above the critical rate is checked against the
run itself, so it never promises a divergence the run does not show
(tests/core/catalog/test_words_agree.py).
"""

from __future__ import annotations

from core.catalog.optimizers import CATALOG, TITLES
from core.catalog.statuses import status_word
from core.schema.experiment import Experiment
from ui import cache as run_cache

AT_CRITICAL = 1e-3  # a rate within 0.1% of the critical one is "at" it: bouncing for ever


def theory_text(
    exp: Experiment, critical: float | None, outcome=None, everywhere: bool = False
) -> tuple[str, str | None]:
    """(caption, warning or None) for the rate ``exp.lr`` against its critical rate.

    ``outcome``: the run's `core.valley.outcomes.Outcome`, if known; ``everywhere``: whether the
    surface is a quadratic, so that the critical rate holds on all of it.
    """
    title = TITLES[exp.optimizer]
    if critical is None:
        if CATALOG[exp.optimizer].adaptive:
            return (
                f"{title} rescales each step by the gradients it has seen, so no single "
                "rate separates convergence from divergence.",
                None,
            )
        return ("This surface has no known minimum to compute a critical rate at.", None)
    how = " (2 over the steepest curvature)" if exp.optimizer == "sgd" else ""
    if everywhere:
        caption = (
            f"Critical rate **{critical:.3g}** for {title}{how}: this surface curves the same "
            "everywhere, so above it every step overshoots by more than it corrects and the "
            "swings grow until the path diverges."
        )
    else:
        caption = (
            f"Critical rate **{critical:.3g}** for {title} at the minimum nearest the start"
            f"{how}: above it the path cannot settle in that minimum. Local theory: away from "
            "it the curvature, and so the limit, is different."
        )
    ratio = exp.lr / critical
    if abs(ratio - 1) <= AT_CRITICAL:
        return caption, (
            f"The rate {exp.lr:g} is the critical rate: near the minimum each overshoot is as "
            "large as the last, so the path neither settles nor diverges; it bounces for ever."
        )
    if ratio < 1:
        return caption, None
    status = None if outcome is None else outcome.status
    warning = (
        f"The rate {exp.lr:g} is above the critical rate {critical:.3g}: near that minimum "
        "every step overshoots by more than it corrects."
    )
    if status is None or status == "diverged":
        return caption, warning
    if everywhere:
        return caption, (
            f"{warning} The swings grow, but slowly at this rate: within {exp.steps} steps "
            f"they have not yet carried the path off the map, so this run is still "
            f"{status_word(status)}."
        )
    return caption, (
        f"{warning} So the path cannot settle there, yet this run is {status_word(status)}, "
        "not diverged: away from that minimum the surface curves more gently than there."
    )


def noise_text(exp: Experiment, ball=None) -> str | None:
    """The theory of the noise ball beside a noisy run (None without noise). ``ball``: the
    `core.valley.noise_theory.NoiseBall` predicted for it, if any."""
    if exp.noise <= 0:
        return None
    text = (
        f"Gradient noise {exp.noise:g}: each step feels the slope plus random noise, so at a "
        "constant rate the path never settles: it ends jittering in a *noise ball* around the "
        "minimum. For gradient descent on a quadratic the spread along a direction of "
        "curvature $\\lambda$ has variance $\\eta\\sigma^2/(\\lambda(2-\\eta\\lambda))$: "
        "it grows with the rate $\\eta$, and a decaying schedule shrinks it."
    )
    if ball is not None:
        text += (
            f" Here: standard deviation **{ball.std[-1]:.3g}** along the steepest direction and "
            f"**{ball.std[0]:.3g}** along the flattest (the dashed ellipse on the map: two "
            "standard deviations, theory)."
        )
    elif exp.optimizer != "sgd" or exp.schedule != "constant":
        text += " That formula is for plain gradient descent at a constant rate only."
    return text


def show_theory(container, exp: Experiment) -> None:
    try:
        run = run_cache.simulate(exp)
    except ValueError:
        run = None
    everywhere = False
    if run is not None:
        from core.valley.theory import curvature_is_constant

        everywhere = curvature_is_constant(run.surface)
    outcome = None if run is None else run.outcome
    caption, warning = theory_text(exp, run_cache.critical_lr(exp), outcome, everywhere)
    container.caption(caption)
    if warning:
        container.warning(warning, icon="⚠️")
    if exp.noise > 0 and run is not None:
        from core.valley.noise_theory import predicted_ball

        container.caption(noise_text(exp, predicted_ball(exp)))
