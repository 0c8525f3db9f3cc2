"""Theory beside the slider: the critical learning rate and a warning above it."""

from __future__ import annotations

from core import optimizers
from core.experiment import Experiment
from ui import run_cache


def theory_text(exp: Experiment, critical: float | None) -> tuple[str, str | None]:
    """(caption, warning or None) for the rate ``exp.lr`` against its critical rate."""
    title = optimizers.TITLES[exp.optimizer]
    if critical is None:
        if exp.optimizer in ("adagrad", "rmsprop", "adam"):
            return (
                f"{title} rescales each step by the gradients it has seen, so no single "
                "rate separates convergence from divergence.",
                None,
            )
        return ("This surface has no known minimum to compute a critical rate at.", None)
    caption = (
        f"Above **{critical:.3g}** this run must diverge: the critical rate of {title} "
        "at the minimum nearest the path (2 over the steepest curvature there)."
        if exp.optimizer == "sgd"
        else f"Above **{critical:.3g}** this run must diverge: the critical rate of {title} "
        "at the minimum nearest the path."
    )
    warning = None
    if exp.lr > critical:
        warning = (
            f"The rate {exp.lr:g} is above the critical rate {critical:.3g}: near that "
            "minimum every step overshoots by more than it corrects."
        )
    return caption, warning


def show_theory(container, exp: Experiment) -> None:
    caption, warning = theory_text(exp, run_cache.critical_lr(exp))
    container.caption(caption)
    if warning:
        container.warning(warning, icon="⚠️")
