"""What the optimizer and schedule lessons teach (issue 17, faults 1, 4 and 9, and the effective
learning rate), checked against references nobody here wrote: closed forms, quadratic theory,
torch.optim, and the lessons' own runs."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest
import torch

from core.lessons import Prose, Question
from core.valley.simulation import simulate
from core.valley.theory import best_rates, surface_facts
from tests.lesson_helpers import LESSONS

BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}


def _run(lesson: str, block: str, label: str = ""):
    runs = {r.label: r.experiment for r in BY_SLUG[lesson].experiments[block].runs}
    return simulate(runs[label])


def _prose_before_first_question(slug: str) -> str:
    text = []
    for part in BY_SLUG[slug].parts:
        if isinstance(part, Question):
            break
        if isinstance(part, Prose):
            text.append(part.text)
    return " ".join(text)


# --- momentum: the effective rate a/(1-b) (fault 1) -------------------------------------------


def test_momentum_on_a_steady_slope_steps_like_plain_descent_at_a_over_one_minus_b():
    """The lesson's steady slope: after the run-up each step is a*g/(1-b) (Goh 2017), as torch's
    SGD with momentum also takes it."""
    run = _run("momentum", "slope", "optimizer=momentum")
    a, b, g = run.experiment.lr, run.resolved.hyper["momentum"], 0.1
    last_step = np.linalg.norm(run.path[-1] - run.path[-2])
    assert last_step == pytest.approx(a * g / (1 - b), rel=0.01)
    w = torch.tensor([4.0], requires_grad=True)
    sgd = torch.optim.SGD([w], lr=a, momentum=b)
    for _ in range(run.experiment.steps):
        sgd.zero_grad()
        (g * w).sum().backward()
        sgd.step()
    assert float(w.detach()) == pytest.approx(run.path[-1, 0], abs=1e-3)


def test_the_ravine_race_gives_plain_descent_close_to_its_best_rate():
    """The race must not run plain descent at half its best rate (issue 17, fault 1): on the
    ravine its fastest rate is 2/(L + mu), and the lesson's run is within 10% of it."""
    run = _run("momentum", "ravine-sgd")
    assert run.experiment.optimizer == "sgd"
    (hessian,) = surface_facts(run.surface)[1]
    mu, L = np.linalg.eigvalsh(hessian)
    best = best_rates(mu, L)["sgd"]
    assert best == pytest.approx(2 / 101, rel=1e-3)  # curvatures 1 and 100
    assert 0.9 * best <= run.experiment.lr < 2 / L


def test_the_momentum_lessons_teach_dividing_the_rate():
    lesson = BY_SLUG["momentum"].path.read_text(encoding="utf-8")
    assert "a/(1-b)" in lesson and "Goh 2017" in lesson
    assert "survives larger rates" not in BY_SLUG["momentum"].summary
    new = BY_SLUG["effective-learning-rate"]
    # After momentum and adaptive, and after stochastic-gradients, which teaches the mini-batches
    # and the validation loss its digits runs use.
    assert BY_SLUG["adaptive"].order < BY_SLUG["stochastic-gradients"].order < new.order
    blocks = new.models
    momentum = blocks["momentum-digits"]
    assert (momentum.optimizer, momentum.lr) == ("momentum", pytest.approx(0.27 * (1 - 0.9)))
    assert blocks["sgd-digits"].lr == pytest.approx(0.27)


# --- Adam's own rate scale and weight decay ---------------------------------------------------


@pytest.mark.parametrize("steepness", [0.01, 1.0, 100.0])
def test_adams_first_step_is_the_rate_per_coordinate_whatever_the_gradient(steepness):
    """Bias-corrected Adam: m1/sqrt(v1) = g/|g|, so the first step is a in each coordinate."""
    from core.schema.experiment import Experiment

    exp = Experiment(
        surface="custom",
        formula=f"{steepness}*(x^2 + 5*y^2)",
        optimizer="adam",
        lr=0.1,
        steps=2,
        start=(-4.0, 2.0),
    )
    first = simulate(exp).path[1] - np.array([-4.0, 2.0])
    np.testing.assert_allclose(np.abs(first), [0.1, 0.1], rtol=1e-4)


def test_adam_with_l2_ends_at_the_l2_minimum():
    """L2 decay only moves the minimum: 10((x-3)^2 + (y-3)^2) + (1/2)|theta|^2 is lowest at
    60/21 on the steep bowl, 6/3 = 2 on the gentle one; the lesson's claims say so."""
    for block, k in (("steep-decay", 10.0), ("gentle-decay", 1.0)):
        run = _run("effective-learning-rate", block, "optimizer=adam")
        lam = run.resolved.hyper["weight_decay"]
        closed = 2 * k * 3 / (2 * k + lam)
        np.testing.assert_allclose(run.path[-1], [closed, closed], atol=1e-3)


@pytest.mark.parametrize("block", ["steep-decay", "gentle-decay"])
def test_adamw_in_the_lesson_is_torchs_decoupled_adamw(block):
    run = _run("effective-learning-rate", block, "optimizer=adamw")
    exp, hyper = run.experiment, run.resolved.hyper
    k = 10.0 if block == "steep-decay" else 1.0
    w = torch.tensor(list(exp.start), dtype=torch.float64, requires_grad=True)
    adamw = torch.optim.AdamW([w], lr=exp.lr, weight_decay=hyper["weight_decay"])
    for _ in range(exp.steps):
        adamw.zero_grad()
        (k * ((w - 3) ** 2).sum()).backward()
        adamw.step()
    np.testing.assert_allclose(run.path[-1], w.detach().numpy(), atol=2e-3)
    # Decoupled: its end does not follow the bowl's steepness, as L2's does.
    assert abs(run.path[-1, 0] - 0.91) < 0.1


# --- decay: curvature times the summed rates (fault 9) ---------------------------------------


def test_the_frozen_walker_ends_where_the_product_of_contractions_puts_it():
    """On h/2 |theta|^2 each step multiplies theta by (1 - h a_t): the end is the start times
    prod(1 - h a gamma^t), about exp(-h sum a_t). The lesson's stated end is that point."""
    run = _run("decay", "frozen")
    exp = run.experiment
    h, gamma = 0.1, run.resolved.schedule_args["gamma"]
    t = np.arange(exp.steps)
    end = np.array(exp.start) * np.prod(1 - h * exp.lr * gamma**t)
    np.testing.assert_allclose(run.path[-1], end, rtol=1e-3)
    (said,) = [c for s in BY_SLUG["decay"].says for c in s.claims if c.kind == "ends_near"]
    x, y, r = (float(v) for v in said.args)
    assert np.hypot(x - end[0], y - end[1]) < r / 2
    text = BY_SLUG["decay"].path.read_text(encoding="utf-8")
    assert "compared with the" not in text and "Robbins and Monro 1951" in text


# --- warm-up and cycles (faults 4 and 9) ------------------------------------------------------


def test_warmup_is_not_shown_beating_a_smaller_constant_rate():
    """A constant rate below warm-up's settles no later than the warm-up on the steep wall."""
    warm = _run("cycles-and-annealing", "steep-walls", "schedule=warmup")
    smaller = _run("cycles-and-annealing", "smaller-constant")
    assert smaller.experiment.lr < warm.experiment.lr
    assert smaller.outcome.status == warm.outcome.status == "converged"
    assert smaller.outcome.step <= warm.outcome.step
    text = BY_SLUG["cycles-and-annealing"].path.read_text(encoding="utf-8")
    assert "Liu et al. 2020" in text and "Goyal et al. 2017" in text
    assert "gradients are large" not in text


def test_a_settled_walker_is_not_kicked_out_by_a_cycle_without_noise():
    run = _run("cycles-and-annealing", "cyclic")
    assert run.outcome.status == "converged"
    after = np.hypot(*run.path[run.outcome.step + 10 :].T)
    high = run.lr[run.outcome.step + 10 :] > 1  # the later climbs past the bottom's 2/L
    assert high.any() and after[:-1][high].max() < 1e-6


def test_one_cycles_defaults_are_pytorchs_and_credited_to_it():
    defaults = inspect.signature(torch.optim.lr_scheduler.OneCycleLR).parameters
    assert defaults["div_factor"].default == 25.0 and defaults["pct_start"].default == 0.3
    text = " ".join(_prose_before_first_question("cycles-and-annealing").split())
    sentence = re.search(r"[^.]*\$a_\{\\max\}/25\$[^.]*\.", text).group()
    assert "PyTorch" in text[: text.index(sentence) + len(sentence)]
    assert "Smith and Topin" not in sentence


def test_adaptive_first_steps_are_worked_out_after_the_question():
    before = _prose_before_first_question("adaptive")
    assert "g/|g|" not in before and "only grows" not in before
