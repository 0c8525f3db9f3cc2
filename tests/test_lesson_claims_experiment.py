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
