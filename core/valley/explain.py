"""One plain sentence (or two) that tells a student why a run ended the way it did."""

from __future__ import annotations

import numpy as np

from core.catalog.optimizers import CATALOG, TITLES, l2_decay, with_theory
from core.valley.layout import Summary
from core.valley.nearest import nearest_minimum, nearest_to
from core.valley.outcomes import FLAT_GRADIENT, Verdict, gradient_scale
from core.valley.theory import analyze_point, hessian_at


def _num(v: float) -> str:
    return f"{v:.3g}"


def _point(x: float, y: float) -> str:
    return f"({_num(x)}, {_num(y)})"


def explain(res, verdict: Verdict, summary, blowup_lr=None) -> str:
    """The explanation of a run's verdict (`core.valley.outcomes.verdict`), composed after it;
    `res` is the run's `core.valley.resolver.Resolved`, `summary` its kernel summary;
    `blowup_lr`: the rate of the step that blew up (a schedule's, not the base rate)."""
    exp, surface = res.experiment, res.surface
    status, flags, step, minimum = verdict.status, verdict.flags, verdict.step, verdict.minimum
    summary = Summary.of(summary)
    name = TITLES[exp.optimizer]
    if status == "diverged":
        return _diverged(res, step, summary, blowup_lr)
    if status == "noise_floor":
        return _noise_floor(res, verdict)
    if status == "converged":
        where = "global" if minimum.is_global else "local"
        text = (
            f"The path settles at the {where} minimum {_point(minimum.x, minimum.y)} "
            f"(loss {_num(minimum.value)}) after {step} steps."
        )
        if "local_minimum" in flags:
            best = min(m.value for m in surface.minima)
            text = (
                f"The path is caught in a local minimum at {_point(minimum.x, minimum.y)} "
                f"(loss {_num(minimum.value)}), above the global minimum's {_num(best)}: "
                "feeling only the slope, the walker cannot know a deeper valley exists."
            )
        if "oscillation" in flags:
            text += (
                " On the way it zig-zags across the valley floor: the rate is large enough "
                "that steps overshoot the floor, but each overshoot is smaller than the last."
            )
        elif "overshoot" in flags:
            text += " A step or two overshoot the floor before it settles."
        return text
    x, y = summary.final_x, summary.final_y
    if status == "oscillating":
        text = (
            f"The path keeps bouncing across the valley without settling: from step {step} "
            "on, step after step overshoots the floor."
        )
        critical = _critical(res)
        if critical is not None and exp.lr >= critical * (1 - 1e-3):
            return text + (
                f" At this rate (the critical rate {_num(critical)} or above) each overshoot "
                "near the minimum is at least as large as the last, so more steps will not "
                "help: a smaller rate lets it settle."
            )
        return text + " A smaller rate, or more steps, lets it settle."
    gnorm = summary.final_grad_norm

    if status == "too_slow":
        end = f"is still going downhill when the {exp.steps} steps run out"
        if "oscillation" in flags:
            return (
                f"The path zig-zags across the steep walls while creeping along the gentle "
                f"floor, and {end}: a rate small enough for the steep direction is too small "
                f"for the flat one. {_creeping_advice(exp.optimizer)}"
            )
        (x0, x1), (y0, y1) = surface.domain
        far = nearest_minimum(surface, np.array([x, y]))[1][0] > 0.05 * np.hypot(x1 - x0, y1 - y0)
        if far and gnorm < 1e-2 * gradient_scale(surface):
            return (
                f"The path {end}, crossing a nearly flat stretch (gradient {gnorm:.1e}): each "
                "step is the rate times the slope, so where the slope is tiny, so is the step."
            )
        return (
            f"The path {end}: at rate {_num(exp.lr)} each step is too short to arrive in "
            "time. A larger rate or more steps would get there."
        )
    # stalled

    if gnorm < FLAT_GRADIENT * gradient_scale(surface):
        eig = np.linalg.eigvalsh(hessian_at(surface.fn, (x, y)))
        kind = "a saddle point" if eig[0] < -1e-6 * max(abs(eig[-1]), 1e-12) else "a plateau"
        return (
            f"The slope here is almost flat (gradient {gnorm:.1e}) but this is not a minimum: "
            f"the path stalls on {kind} near {_point(x, y)} from step {step} on."
        )
    reason = CATALOG[exp.optimizer].stall_reason
    why = f" {reason}" if reason else ""
    return (
        f"{name}'s steps have shrunk to almost nothing near {_point(x, y)}, where the slope is "
        f"not flat and there is no minimum: the path has stopped making progress.{why}"
    )


def _nearest(res):
    """The theory at the minimum nearest the start, for plain or momentum descent, or None."""
    exp, surface = res.experiment, res.surface
    if not surface.minima or exp.optimizer not in with_theory():
        return None
    nearest = nearest_to(surface, res.start)
    momentum, decay = res.hyper.get("momentum", 0.0), l2_decay(exp.optimizer, res.hyper)
    return analyze_point(surface, nearest, momentum, decay)


def _critical(res) -> float | None:
    """The critical rate at the minimum nearest the start (None where theory has none)."""
    a = _nearest(res)
    return None if a is None else a.critical_lr[res.experiment.optimizer]


def _creeping_advice(optimizer: str) -> str:
    """What helps a zig-zag that creeps, never naming the optimizer already in use."""
    if CATALOG[optimizer].adaptive:
        return f"More steps help here: {TITLES[optimizer]} already rescales each direction."
    if optimizer == "sgd":
        return "Momentum or an adaptive optimizer helps here."
    return "An adaptive optimizer (RMSprop, Adam) helps here."


def _diverged(res, step, summary, blowup_lr=None) -> str:
    exp, surface = res.experiment, res.surface
    downhill = summary.best_loss < summary.start_loss and not surface.minima
    if downhill:
        return (
            "The path runs downhill off the map: this surface has no bottom in that "
            f"direction, so the walker never stops, and it leaves the valley at step {step}."
        )
    # The rate of the step that blew up: under a schedule it is not the base rate.
    lr = exp.lr if blowup_lr is None or not np.isfinite(blowup_lr) else float(blowup_lr)
    scheduled = exp.schedule != "constant" and not np.isclose(lr, exp.lr, rtol=1e-4)
    rate = (
        f"By step {step} the schedule had moved the rate from {_num(exp.lr)} to {_num(lr)}; "
        f"that rate"
        if scheduled
        else f"The rate {_num(lr)}"
    )
    a = _nearest(res)
    if a is not None:
        critical = a.critical_lr[exp.optimizer]
        if critical is not None and lr > critical:
            d = a.steep_direction()
            direction = "steepest direction" if d == "steepest" else f"steep {d} direction"
            return (
                f"{rate} is above the critical rate {_num(critical)} for the "
                f"{direction}: every step overshoots the valley floor by more than "
                f"it corrects, and the path blows up at step {step}."
            )
    return (
        f"{rate} is too large here: the steps overshoot the valley floor and grow, "
        f"and the path blows up at step {step}."
    )


def _noise_floor(res, verdict: Verdict) -> str:
    """A noisy run that reached the bottom and jitters there: why it cannot settle. Plain
    words, four lines on a 1920 x 1080 projector (six with the predicted spread and its
    formula pushed the map off the screen): the ball theory predicts, its formula and size,
    is the theory panel's (ui/views/theory.py noise_text)."""
    exp, m = res.experiment, verdict.minimum
    where = "global" if m.is_global else "local"
    text = (
        f"The path reaches the {where} minimum {_point(m.x, m.y)} by step {verdict.step} and "
        f"jitters there: each step feels the slope plus random noise (standard deviation "
        f"{_num(exp.noise)}), so it converges only to a noise floor, a small ball around the "
        "minimum. It is not oscillating and more steps will not help: a smaller rate, or a "
        "decaying schedule, shrinks the ball."
    )
    if "local_minimum" in verdict.flags:
        text += " This minimum is a local one, not the global minimum."
    return text
