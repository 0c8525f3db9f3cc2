"""Model blocks' training keys: equal epochs (`epochs`), the linear scaling rule (`scale_lr`),
a warm start (`pretrain_steps`, `pretrain_lr`), and the claims on the validation curve's shape
(where it bottoms, how far it rises, where it ends against its start). The references are the
engine's own direct calls and curves built by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core.lessons import LessonError, parse_text
from core.lessons.model import Claim
from tests.core.lessons.test_lesson_model_claims import MODEL_QUESTION, _model_lesson, _q


def _block(body: str, question: str = MODEL_QUESTION):
    return parse_text(_model_lesson(body, question), "x.md").models["m"]


BATCHES = "task: train\nmodel: mlp-digits\nlr: 0.05\nbatch_size: 16 | 64 | all"


def test_equal_epochs_give_each_batch_size_its_own_steps_and_scale_lr_its_rate():
    from core.lessons.model_runs import run_model_block
    from core.real.models import get_model

    n = get_model("mlp-digits").data.n_train
    block = _block(BATCHES + "\nepochs: 2\nscale_lr: linear", _q("trains for batch_size=16"))
    outcome = run_model_block(block)
    steps = [r.results[0].steps for r in outcome.runs]
    assert steps == [round(2 * n / 16), round(2 * n / 64), 2]  # two passes over the data each
    # the linear scaling rule (Goyal et al. 2017): the rate grows as the batch, from the first
    assert [r.lr for r in outcome.runs] == pytest.approx([0.05, 0.2, 0.05 * n / 16])
    plain = run_model_block(_block(BATCHES + "\nsteps: 3", _q("trains for batch_size=16")))
    assert [r.lr for r in plain.runs] == pytest.approx([0.05] * 3)
    assert [r.results[0].steps for r in plain.runs] == [3, 3, 3]


def test_a_warm_start_trains_from_the_pretrained_weights():
    from core.lessons.model_runs import run_model_block
    from core.real.models import get_model
    from core.real.training import train

    body = "task: train\nmodel: mlp-digits\nlr: 0.1\nsteps: 5\ncompare: 0.1 | 1"
    warm = run_model_block(_block(body + "\npretrain_steps: 30\npretrain_lr: 0.3"))
    first = train(get_model("mlp-digits"), "sgd", 0.3, 30, seed=0, batch_size=64)
    for run in warm.runs:  # both runs start where the pretraining ended
        np.testing.assert_allclose(run.results[0].val_loss[0], first.val_loss[-1], rtol=1e-4)
    cold = run_model_block(_block(body))
    assert cold.runs[0].results[0].val_loss[0] > 2 * first.val_loss[-1]


def _run(*curves):
    """A run whose seeds' validation curves are given, measured every 10 steps."""
    results = tuple(
        SimpleNamespace(eval_steps=np.arange(len(c)) * 10, val_loss=np.asarray(c, float))
        for c in curves
    )
    return SimpleNamespace(
        results=results,
        mean=lambda pick: float(np.mean([pick(r) for r in results])),
        val_loss=float(np.mean([c[-1] for c in curves])),
    )


@pytest.mark.parametrize(
    ("claim", "curves", "holds"),
    [
        ("val_loss_lowest_between 10 30", [[2, 1, 0.5, 0.7, 0.9]], True),  # bottoms at step 20
        ("val_loss_lowest_between 30 40", [[2, 1, 0.5, 0.7, 0.9]], False),
        ("val_loss_lowest_between 10 30", [[2, 1, 0.5, 0.7], [2, 0.4, 0.5, 0.6]], True),  # 15
        ("val_loss_rises_by 0.3", [[2, 1, 0.5, 0.7, 0.9]], True),  # 0.9 - 0.5
        ("val_loss_rises_by 0.5", [[2, 1, 0.5, 0.7, 0.9]], False),
        ("val_loss_rises_by 0.01", [[2, 1, 0.5]], False),  # still falling at the end
        ("val_loss_below_start", [[2, 1, 0.5]], True),
        ("val_loss_above_start", [[2, 1, 0.5]], False),
        ("val_loss_above_start", [[0.1, 0.5, 0.3]], True),  # a warm start thrown away
        ("val_loss_below_start", [[0.1, 0.5, 0.3]], False),
    ],
)
def test_the_validation_curve_claims_can_fail(claim, curves, holds):
    from core.lessons.model_curve_claims import check_curve_claim

    kind, *args = claim.split()
    result = check_curve_claim(Claim(kind, tuple(args), 1), _run(*curves))
    assert result.holds is holds, result.detail


RANGE = "task: range_test\nmodel: mlp-digits"
BROKEN = [
    (BATCHES + "\nsteps: 10\nepochs: 2", "epochs: 2", "not both"),
    (BATCHES + "\nepochs: 0", "epochs: 0", "above 0"),
    (RANGE + "\nepochs: 2", "epochs: 2", "does not apply"),
    (BATCHES.replace(" | 64 | all", "") + "\nscale_lr: linear", "scale_lr: linear", "several"),
    (BATCHES + "\nscale_lr: sqrt", "scale_lr: sqrt", "linear"),
    (BATCHES + "\npretrain_lr: 0.1", "pretrain_lr: 0.1", "both"),
    (BATCHES + "\npretrain_steps: 10", "pretrain_steps: 10", "both"),
    (BATCHES + "\npretrain_steps: 0\npretrain_lr: 0.1", "pretrain_steps: 0", "whole number"),
]


@pytest.mark.parametrize(("body", "where", "reason"), BROKEN, ids=[b[2] for b in BROKEN])
def test_a_broken_training_key_names_its_line_and_reason(body, where, reason):
    text = _model_lesson(body, _q("trains for batch_size=16"))
    error = pytest.raises(LessonError, parse_text, text, "x.md").value
    assert reason in error.reason, error.reason
    assert text.split("\n")[error.line - 1] == where, str(error)


def test_too_many_epochs_are_refused_before_anything_runs():
    from core.lessons.claims import check_runnable

    text = _model_lesson(BATCHES + "\nepochs: 30", _q("trains for batch_size=16"))
    error = pytest.raises(LessonError, check_runnable, parse_text(text, "x.md")).value
    assert text.split("\n")[error.line - 1] == "epochs: 30"
    assert "2,696" in error.reason and "at most 2,000" in error.reason  # 30 x 1438 / 16


def test_a_step_range_claim_needs_two_whole_steps():
    text = _model_lesson(
        "task: train\nmodel: mlp-digits\nlr: 0.1", _q("val_loss_lowest_between 300 100")
    )
    error = pytest.raises(LessonError, parse_text, text, "x.md").value
    assert "0 <= LO < HI" in error.reason
