"""Lessons' real-model blocks: every model claim is what the engine computes, runs are
deterministic, a false claim is reported false."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from core.lessons import (
    LessonError,
    parse_text,
)
from tests.lesson_helpers import GOOD_QUESTION, LESSONS, MARGIN, lesson_text

MODEL_QUESTIONS = [  # the questions and the claim blocks about model blocks
    (lesson, q) for lesson in LESSONS for q in lesson.checked() if q.experiment_id in lesson.models
]
# Each model claim must also hold with the base rate 5% off either way and with the next seed
# (another initialisation and batch order): a stated answer never rests on one lucky draw.
MODEL_PERTURBATIONS = [(1.0, 0), (1.0 - MARGIN, 0), (1.0 + MARGIN, 0), (1.0, 1)]


@functools.lru_cache(maxsize=32)
def _trained(block, factor: float, seed_offset: int):
    from core.lessons.model_runs import run_model_block

    return run_model_block(block, factor=factor, seed_offset=seed_offset)


def test_the_real_model_lessons_use_model_blocks():
    slugs = {lesson.slug for lesson, _ in MODEL_QUESTIONS}
    for topic in ("lr-range-test", "stochastic", "generalization", "overfitting", "fine-tuning"):
        assert any(topic in slug for slug in slugs), topic
    tasks = {b.task for lesson in LESSONS for b in lesson.models.values()}
    assert tasks == {"range_test", "train"}


def _name(x) -> str | None:
    """A test's id: the lesson's slug, then the question's or claim block's id (`-k slug`)."""
    return getattr(x, "slug", None) or getattr(x, "id", None)


@pytest.mark.parametrize(("lesson", "question"), MODEL_QUESTIONS, ids=_name)
@pytest.mark.parametrize(("factor", "seed_offset"), MODEL_PERTURBATIONS)
def test_every_model_claim_is_what_the_engine_computes(lesson, question, factor, seed_offset):
    from core.lessons.model_claim_check import check_model_claim

    block = lesson.models[question.experiment_id]
    outcome = _trained(block, factor, seed_offset)  # once per block, shared by its claims
    results = [check_model_claim(claim, block, outcome) for claim in question.claims]
    failed = [
        f"line {r.claim.line}: '{r.claim}' is false: {r.detail}" for r in results if not r.holds
    ]
    assert not failed, f"{lesson.slug} (rate x{factor}, seed +{seed_offset}): " + "; ".join(failed)


@pytest.mark.parametrize(
    "block",
    [b for lesson in LESSONS for b in lesson.models.values()],
    ids=lambda b: b.id,
)
def test_every_model_block_runs_what_it_says(block):
    from core.lessons.model_runs import multiple_of, run_model_block, steps_of

    outcome = run_model_block(block)
    assert [r.label for r in outcome.runs] == list(block.labels)
    if block.task == "range_test":
        test = outcome.range_test
        assert test.params is None and not test.note  # no weights kept; suggestions read
        assert np.isclose(test.lr[0], block.start_lr) and len(test.lr) <= block.num_steps
        assert np.isclose(outcome.base_lr, test.suggestions[block.suggestion].lr)
    else:
        assert outcome.base_lr == block.lr
    for run in outcome.runs:
        assert len(run.results) == block.seeds
        multiple = float(run.label.partition("=x")[2] or 1) if block.compare else 1.0
        multiple = multiple_of(block, multiple, run.batch_size, outcome.n_train)
        assert np.isclose(run.lr, outcome.base_lr * multiple)
        for result in run.results:
            steps = steps_of(block, run.batch_size, outcome.n_train)
            assert result.params is None and result.steps == steps
            assert np.isfinite(result.train_loss).all() and np.isfinite(result.val_loss).all()
            assert np.allclose(result.lr, run.lr)  # a constant schedule: every step at its rate


def test_model_runs_are_deterministic_and_the_slider_rate_replaces_the_base():
    from core.lessons.model_runs import run_model_block

    block = parse_text(_model_lesson(MODEL_TRAIN), "x.md").models["m"]
    first, again = run_model_block(block), run_model_block(block)
    assert np.array_equal(first.runs[0].results[0].val_loss, again.runs[0].results[0].val_loss)
    moved = run_model_block(block, lr=0.02)
    assert [r.lr for r in moved.runs] == pytest.approx([0.002, 0.02])
    # The lesson's numbers are the engine's own: the same call the model page makes.
    from core.real.models import get_model
    from core.real.training import train

    direct = train(get_model("mlp-digits"), "sgd", 0.1, 40, seed=0, batch_size=64)
    # (vmapped beside another run, float32 sums may round differently in the last digits)
    np.testing.assert_allclose(direct.val_loss, first.runs[1].results[0].val_loss, rtol=1e-4)


def test_a_false_model_claim_is_reported_false():
    from core.lessons.model_claim_check import check_model_question

    question_text = MODEL_QUESTION.replace("trains for lr=x1", "diverges for lr=x1")
    lesson = parse_text(_model_lesson(MODEL_TRAIN, question_text), "x.md")
    (question,) = lesson.questions
    (result,) = check_model_question(question, lesson.models["m"])
    assert not result.holds and "0 of 1 seed blew up" in result.detail


def test_the_parser_knows_the_engine_s_models():
    from core.lessons.model_block import CLASSIFIERS, MODEL_NAMES
    from core.real.models import MODELS

    assert set(MODEL_NAMES) == set(MODELS)
    assert set(CLASSIFIERS) == {n for n, m in MODELS.items() if m.task == "classification"}


MODEL_TRAIN = "task: train\nmodel: mlp-digits\nlr: 0.1\nsteps: 40\nbatch_size: 64\ncompare: 0.1 | 1"
MODEL_QUESTION = (
    "ask: Trains?\nchoice: Yes\nchoice: No\nanswer: Yes\nclaim: trains for lr=x1\n"
    "feedback: It does."
)


def _model_lesson(model: str, question: str = MODEL_QUESTION) -> str:
    return (
        f"---\ntitle: T\norder: 3\nminutes: 5\nsummary: S\n---\n\nProse.\n\n"
        f"```question\n{question}\n```\n\n```model m\n{model}\n```\n"
    )


def test_a_model_block_parses_into_its_settings():
    text = (
        "task: range_test\nmodel: mlp-digits\noptimizer: momentum\nmomentum: 0.8\n"
        "start_lr: 1e-6\nend_lr: 3\nnum_steps: 80\nbatch_size: 32\nseed: 4\n"
        "suggestion: valley\ncompare: 0.5 | 1 | 2\nsteps: 120\nschedule: cosine\n"
        "caption: A caption\n  continued."
    )
    question = MODEL_QUESTION.replace("trains for lr=x1", "suggestion_between valley 0.001 1")
    lesson = parse_text(_model_lesson(text, question), "x.md")
    block = lesson.models["m"]
    assert (block.task, block.model, block.optimizer, block.hyper) == (
        "range_test",
        "mlp-digits",
        "momentum",
        (("momentum", 0.8),),
    )
    assert (block.start_lr, block.end_lr, block.num_steps) == (1e-6, 3.0, 80)
    assert (block.batch_sizes, block.seed, block.suggestion, block.steps) == (
        (32,),
        4,
        "valley",
        120,
    )
    assert block.schedule == "cosine" and block.caption == "A caption\ncontinued."
    assert block.labels == ("lr=x0.5", "lr=x1", "lr=x2") and block.vary == "lr"
    assert lesson.questions[0].experiment_id == "m"
    assert [type(p).__name__ for p in lesson.parts] == ["Prose", "Question", "ModelBlock"]
    batches = parse_text(
        _model_lesson(
            "task: train\nmodel: linreg-diabetes\nlr: 0.1\nseeds: 3\nbatch_size: 1 | 8 | all",
            MODEL_QUESTION.replace("trains for lr=x1", "smaller_batch_noisier"),
        ),
        "x.md",
    ).models["m"]
    assert batches.batch_sizes == (1, 8, 0) and batches.vary == "batch_size"
    assert batches.labels == ("batch_size=1", "batch_size=8", "batch_size=all")


def _q(claim: str) -> str:
    return MODEL_QUESTION.replace("trains for lr=x1", claim)


LINREG = "task: train\nmodel: linreg-diabetes\nlr: 0.1"
RANGE = "task: range_test\nmodel: mlp-digits"
BROKEN_MODEL = [
    # (block body, question, the offending line's text, words the reason must contain)
    ("model: mlp-digits\nlr: 0.1", MODEL_QUESTION, "```model m", "needs 'task:'"),
    ("task: fit\nmodel: mlp-digits", MODEL_QUESTION, "task: fit", "task must be one of"),
    ("task: train\nmodel: resnet\nlr: 1", MODEL_QUESTION, "model: resnet", "model must be"),
    ("task: train\nmodel: mlp-digits", MODEL_QUESTION, "```model m", "needs 'lr:'"),
    (MODEL_TRAIN.replace("0.1\n", "-2\n", 1), MODEL_QUESTION, "lr: -2", "lr must be"),
    (MODEL_TRAIN + "\nspeed: 3", MODEL_QUESTION, "speed: 3", "unknown key 'speed'"),
    (MODEL_TRAIN + "\nstart_lr: 1e-6", MODEL_QUESTION, "start_lr: 1e-6", "does not apply"),
    (RANGE + "\nlr: 0.1", _q("suggestion_between valley 0.01 1"), "lr: 0.1", "does not apply"),
    (RANGE + "\nsteps: 50", _q("suggestion_between valley 0.01 1"), "steps: 50", "trains nothing"),
    (RANGE + "\nstart_lr: 1\nend_lr: 0.1", MODEL_QUESTION, "end_lr: 0.1", "must be above"),
    (RANGE + "\nnum_steps: 5000", MODEL_QUESTION, "num_steps: 5000", "from 10 to 400"),
    (RANGE + "\nsuggestion: best", MODEL_QUESTION, "suggestion: best", "suggestion must be"),
    (MODEL_TRAIN + "\nmomentum: 0.9", MODEL_QUESTION, "momentum: 0.9", "does not apply to the sgd"),
    (MODEL_TRAIN + "\ngamma: 0.5", MODEL_QUESTION, "gamma: 0.5", "does not apply to the constant"),
    (MODEL_TRAIN.replace("steps: 40", "steps: 2.5"), MODEL_QUESTION, "steps: 2.5", "whole number"),
    (LINREG + "\nsteps: 1500\nseeds: 8", MODEL_QUESTION, "```model m", "at most 10,000"),
    (MODEL_TRAIN.replace("64", "64 | big"), MODEL_QUESTION, "batch_size: 64 | big", "batch_size"),
    (MODEL_TRAIN.replace("0.1 | 1", "0.1 | 0.1"), MODEL_QUESTION, "compare: 0.1 | 0.1", "2 to 4"),
    (MODEL_TRAIN.replace("0.1 | 1", "0 | 1"), MODEL_QUESTION, "compare: 0 | 1", "positive"),
    (
        MODEL_TRAIN.replace("64", "8 | 64"),
        MODEL_QUESTION,
        "compare: 0.1 | 1",
        "vary one thing at a time",
    ),
    (MODEL_TRAIN + "\nseeds: 3", MODEL_QUESTION, "seeds: 3", "only for linreg-diabetes"),
    (LINREG + "\nseeds: 9", MODEL_QUESTION, "seeds: 9", "from 1 to 8"),
    (
        MODEL_TRAIN,
        _q("val_accuracy_above 1.5 for lr=x1"),
        "claim: val_accuracy_above 1.5 for lr=x1",
        "between 0 and 1",
    ),
    (MODEL_TRAIN, _q("trains"), "claim: trains", "end the claim with 'for RUN'"),
    (MODEL_TRAIN, _q("trains for lr=x3"), "claim: trains for lr=x3", "one of lr=x0.1, lr=x1"),
    (MODEL_TRAIN, _q("best_val_accuracy x7"), "claim: best_val_accuracy x7", "not one of the runs"),
    (MODEL_TRAIN, _q("smaller_batch_noisier"), "claim: smaller_batch_noisier", "batch sizes"),
    (
        MODEL_TRAIN,
        _q("suggestion_between valley 0.1 1"),
        "claim: suggestion_between valley 0.1 1",
        "task: range_test",
    ),
    (RANGE, _q("suggestion_between best 0.1 1"), "claim: suggestion_between best 0.1 1", "RULE"),
    (RANGE, _q("trains"), "claim: trains", "trains nothing"),
    (LINREG, _q("val_accuracy_above 0.5"), "claim: val_accuracy_above 0.5", "not a classifier"),
    (LINREG, _q("status converged"), "claim: status converged", "about an experiment"),
    (
        MODEL_TRAIN,
        _q("trains for lr=x1\nexperiment: nope"),
        "```question",
        "no experiment or model",
    ),
]


@pytest.mark.parametrize(
    ("body", "question", "where", "reason"), BROKEN_MODEL, ids=[b[3] for b in BROKEN_MODEL]
)
def test_a_broken_model_block_names_its_line_and_reason(body, question, where, reason):
    text = _model_lesson(body, question)
    with pytest.raises(LessonError) as caught:
        parse_text(text, "09-broken.md")
    error = caught.value
    assert reason in error.reason, error.reason
    assert error.line is not None, str(error)
    assert text.split("\n")[error.line - 1] == where, str(error)


def test_a_model_claim_on_an_experiment_is_refused_at_its_line():
    text = lesson_text(GOOD_QUESTION.replace("status converged", "diverges"))
    error = pytest.raises(LessonError, parse_text, text, "x.md").value
    assert text.split("\n")[error.line - 1] == "claim: diverges"
    assert "about a model block" in error.reason


def test_a_batch_larger_than_the_training_set_is_refused_before_it_runs():
    from core.lessons.claims import check_runnable

    text = _model_lesson(MODEL_TRAIN.replace("64", "5000"))
    lesson = parse_text(text, "x.md")
    error = pytest.raises(LessonError, check_runnable, lesson).value
    assert text.split("\n")[error.line - 1] == "batch_size: 5000"
    assert "larger than the training set" in error.reason and "1438" in error.reason
