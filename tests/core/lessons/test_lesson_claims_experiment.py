"""Claim kinds added for the early lessons (issue 17): a training curve's rise (a loss spike
that may settle, `core.lessons.model_loss_rise`). Each kind is checked against hand-computed
curves and can be false."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core.lessons import LessonError, parse_text
from core.lessons.claim_block import parse_claim
from core.lessons.model_loss_rise import check_rise, loss_rise
from core.lessons.model_runs import ModelRun


def _run(*curves) -> ModelRun:
    results = tuple(SimpleNamespace(train_loss=np.asarray(c, float)) for c in curves)
    return ModelRun("lr=x1", 2.0, 100, results)


def test_the_rise_is_the_largest_climb_over_the_best_loss_before_it():
    # Falls all the way: each value over the lowest before it is below 1 (largest 0.5/1).
    assert loss_rise([2.0, 1.0, 0.5, 0.25]) == pytest.approx(0.5)
    # A spike from a best of 0.4 up to 1.2 is a rise of 3, though 1.2 is below the start.
    assert loss_rise([2.3, 0.4, 0.8, 1.2, 0.1, 0.01]) == pytest.approx(3.0)
    assert loss_rise([1.0]) == 0.0


@pytest.mark.parametrize(
    ("claim", "curves", "holds"),
    [
        ("loss_rise_above 1.5", ([2.3, 0.4, 1.2, 0.1],), True),
        ("loss_rise_above 1.5", ([2.3, 0.4, 0.5, 0.1],), False),  # rose by 1.25 only
        ("loss_rise_below 1", ([2.0, 1.0, 0.5],), True),
        ("loss_rise_below 1", ([2.0, 1.0, 1.1, 0.5],), False),  # one step up
        # with several seeds every seed must rise
        ("loss_rise_above 1.5", ([2.3, 0.4, 1.2], [2.3, 0.4, 0.3]), False),
    ],
)
def test_a_rise_claim_holds_only_when_the_curve_does_it(claim, curves, holds):
    parsed = parse_claim(claim + " for lr=x1", 1, "t.md")
    result = check_rise(parsed, _run(*curves))
    assert result.holds is holds, result.detail


MODEL = """---
title: T
order: 3
minutes: 5
summary: S
---

Some prose.

```question
ask: Does it spike?
choice: Yes
choice: No
answer: Yes
claim: {claim}
feedback: F
```

```model m
task: train
model: mlp-digits
batch_size: all
lr: 2
steps: 20
```
"""


def test_rise_claims_parse_on_a_model_block_and_need_their_number():
    lesson = parse_text(MODEL.format(claim="loss_rise_above 1.5"), "rise.md")
    (question,) = lesson.questions
    assert question.claims[0].kind == "loss_rise_above"
    with pytest.raises(LessonError, match="loss_rise_below takes one positive number"):
        parse_text(MODEL.format(claim="loss_rise_below"), "rise.md")


def test_a_rise_claim_on_an_experiment_is_refused():
    text = MODEL.replace(
        "```model m\ntask: train\nmodel: mlp-digits\nbatch_size: all\nlr: 2\nsteps: 20\n```",
        "```experiment m\nsurface: custom\nformula: x^2 + y^2\nlr: 0.1\n```",
    ).format(claim="loss_rise_above 1.5")
    with pytest.raises(LessonError, match="not an experiment|model block"):
        parse_text(text, "rise.md")


# The curvatures the early lessons' feedback quotes, from the Hessians worked out by hand,
# against the engine's analysis of the same formulas.
DIP = "0.05*x^2 + y^2 - 0.15*exp(-8*((x-2.5)^2 + y^2))"


def _dip_hessian(x: float) -> tuple[float, float]:
    """(along x, across y) curvature of the dip valley at (x, 0): 0.1 + 0.15 g (16 - 256 d^2)
    and 2 + 2.4 g, with d = x - 2.5 and g = exp(-8 d^2)."""
    d = x - 2.5
    g = np.exp(-8 * d * d)
    return 0.1 + 0.15 * g * (16 - 256 * d * d), 2 + 2.4 * g


def _analysis(formula: str):
    from core.schema.experiment import Experiment
    from core.valley.resolver import surface_of
    from core.valley.theory import analyze

    return analyze(surface_of(Experiment(surface="custom", formula=formula)))


def test_the_dip_is_stable_along_and_unstable_across_at_the_lessons_rates():
    (local,) = [m for m in _analysis(DIP) if not m.is_global]
    along, across = _dip_hessian(local.x)
    assert abs(local.y) < 1e-6
    assert sorted(local.eigenvalues) == pytest.approx([along, across], rel=1e-3)
    assert (along, across) == pytest.approx((1.86, 4.18), abs=0.01)  # as the lessons say
    assert local.critical_lr["sgd"] == pytest.approx(2 / across, rel=1e-3)
    # rate 0.9 (2/a = 2.22): holds along x, sheds across; rate 0.6 (2/a = 3.33): the same in
    # the dip, while the valley's own curvature 2 across can hold it.
    for rate in (0.9, 0.6):
        assert along < 2 / rate < across
    assert 2 < 2 / 0.6


@pytest.mark.parametrize(
    ("formula", "curvature"),
    [
        ("log(1 + x^2 + y^2)", 2.0),  # Hessian 2I at the bottom: 2/L = 1 (too-large)
        ("1 - exp(-0.2*(x^2 + y^2))", 0.4),  # 0.4 I: 2/L = 5 (the plateau)
    ],
)
def test_the_bottom_curvatures_the_lessons_quote(formula, curvature):
    (bottom,) = _analysis(formula)
    assert bottom.eigenvalues == pytest.approx([curvature, curvature], rel=1e-3)
    assert bottom.critical_lr["sgd"] == pytest.approx(2 / curvature, rel=1e-3)


def test_the_log_valley_never_has_a_slope_above_one():
    # |grad log(1 + r^2)| = 2r / (1 + r^2) <= 1, with equality at r = 1: no step exceeds a,
    # which is why rate 20 bounces without diverging (too-large). The engine's own gradient of
    # the formula, far beyond the plotted square, agrees.
    import jax

    from core.schema.experiment import Experiment
    from core.valley.resolver import surface_of

    surface = surface_of(Experiment(surface="custom", formula="log(1 + x^2 + y^2)"))
    grad = jax.vmap(jax.grad(lambda p: surface.fn(p[0], p[1])))
    r = np.linspace(0, 40, 4001, dtype=np.float32)
    points = np.stack([r * 0.6, r * 0.8], 1)  # along a ray: distance r from the bottom
    norms = np.linalg.norm(np.asarray(grad(points)), axis=1)
    assert norms == pytest.approx(2 * r / (1 + r**2), abs=1e-5)
    assert norms.max() <= 1 + 1e-5
