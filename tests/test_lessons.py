"""The lessons: every file parses, every experiment runs, every stated answer is what the engine
computes (with margin), and broken files fail alone, with their line and reason."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from core.lessons import (
    LESSONS_DIR,
    ExperimentBlock,
    Lesson,
    LessonError,
    Prose,
    Question,
    load_all,
    parse_file,
    parse_text,
)
from core.lessons.claims import check_question, scale_rates, simulate_block
from core.schema.experiment import decode

ENTRIES = load_all()
LESSONS = [e for e in ENTRIES if isinstance(e, Lesson)]
QUESTIONS = [
    (lesson, q)
    for lesson in LESSONS
    for q in lesson.questions
    if q.experiment_id in lesson.experiments
]
BLOCKS = [(lesson, b) for lesson in LESSONS for b in lesson.experiments.values()]
# Every claim must survive every learning rate moving this much either way.
MARGIN = 0.05

ISSUE_TOPICS = [  # the twelve lessons the course must have, in order (issue 6)
    "what-is-the-learning-rate",
    "too-small",
    "too-large",
    "sensitivity",
    "lr-range-test",
    "decay",
    "cycles",
    "momentum",
    "adaptive",
    "stochastic",
    "local-minima",
    "generalization",
]


def test_every_lesson_parses():
    broken = [str(e) for e in ENTRIES if isinstance(e, LessonError)]
    assert not broken, broken
    assert len(LESSONS) >= 12


def test_the_course_covers_the_issue_in_order():
    slugs = [lesson.slug for lesson in LESSONS]
    positions = [next(i for i, s in enumerate(slugs) if topic in s) for topic in ISSUE_TOPICS]
    assert positions == sorted(positions), slugs
    orders = [lesson.order for lesson in LESSONS]
    assert len(set(orders)) == len(orders), "two lessons share an order"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_lesson_shape(lesson: Lesson):
    assert lesson.title and lesson.summary
    assert 3 <= lesson.minutes <= 8, "about five minutes each"
    assert (lesson.experiments or lesson.models) and lesson.questions  # each runs live
    for question in lesson.questions:
        assert 0 <= question.answer < len(question.choices)
        assert question.feedback.strip()
        # The question comes before the experiment it reveals.
        block = lesson.block(question.experiment_id)
        assert question.line < block.line
    words = sum(len(p.text.split()) for p in lesson.parts if isinstance(p, Prose))
    assert 200 <= words <= 1100, f"{words} words of prose: not a five-minute lesson"


@pytest.mark.parametrize(("lesson", "block"), BLOCKS, ids=lambda x: getattr(x, "id", None))
def test_every_experiment_runs_and_round_trips_through_the_url(lesson, block: ExperimentBlock):
    runs = simulate_block(block)
    for run_spec in block.runs:
        run = runs[run_spec.label]
        assert np.isfinite(run.path).all() and len(run.path) >= 2
        assert run.outcome.explanation
        assert decode(run_spec.query, strict=True)[0] == run_spec.experiment


@pytest.mark.parametrize(("lesson", "question"), QUESTIONS, ids=lambda x: getattr(x, "id", None))
@pytest.mark.parametrize("factor", [1.0, 1.0 - MARGIN, 1.0 + MARGIN])
def test_every_stated_answer_is_what_the_engine_computes(lesson, question: Question, factor):
    block = lesson.experiments[question.experiment_id]
    results = check_question(question, block, factor)
    failed = [
        f"line {r.claim.line}: '{r.claim}' is false: {r.detail}" for r in results if not r.holds
    ]
    assert not failed, f"{lesson.slug} (rates x{factor}): " + "; ".join(failed)


def test_a_false_claim_is_reported_false():
    lesson = parse_text(
        _lesson(
            "ask: Diverges?\nchoice: yes\nchoice: no\nanswer: no\nclaim: status diverged\n"
            "feedback: It converges.",
            "surface: custom\nformula: x^2 + y^2\nlr: 0.1",
        ),
        "bad-claim.md",
    )
    (question,) = lesson.questions
    (result,) = check_question(question, lesson.experiments[question.experiment_id])
    assert not result.holds and "converged" in result.detail


def test_scale_rates_moves_every_rate():
    exp, _, _ = decode({"lr": "0.1", "schedule": "cyclic", "max_lr": "0.4", "base_lr": "0.01"})
    scaled = scale_rates(exp, 1.05)
    assert math.isclose(scaled.lr, 0.105)
    assert math.isclose(scaled.schedule_args["max_lr"], 0.42)
    assert math.isclose(scaled.schedule_args["base_lr"], 0.0105)


# -- the format ---------------------------------------------------------------------------

GOOD_QUESTION = (
    "ask: Will it converge?\nchoice: Yes\nchoice: No\nanswer: Yes\nclaim: status converged\n"
    "feedback: It does."
)
GOOD_EXPERIMENT = "surface: custom\nformula: x^2 + y^2\nlr: 0.1\nsteps: 50"


def _lesson(question=GOOD_QUESTION, experiment=GOOD_EXPERIMENT, front=None, between=""):
    front = front or "title: T\norder: 3\nminutes: 5\nsummary: S"
    return (
        f"---\n{front}\n---\n\nSome prose.\n\n```question\n{question}\n```\n{between}\n"
        f"```experiment e\n{experiment}\n```\n\nMore prose.\n"
    )


def test_a_minimal_lesson_parses_into_its_parts():
    lesson = parse_text(_lesson(), "07-x.md")
    assert (lesson.slug, lesson.title, lesson.order, lesson.minutes) == ("07-x", "T", 3, 5)
    kinds = [type(p).__name__ for p in lesson.parts]
    assert kinds == ["Prose", "Question", "ExperimentBlock", "Prose"]
    (question,) = lesson.questions
    assert question.experiment_id == "e" and question.choices == ("Yes", "No")
    assert lesson.experiments["e"].experiment.lr == 0.1


def test_continued_values_comments_and_other_fences():
    question = (
        "# a comment\nask: First line\n  second line\n\n  new paragraph\nchoice: a\nchoice: b\n"
        "answer: b\nclaim: status converged\nfeedback: Why: because.\n  - a list item"
    )
    between = "\n~~~python\n```experiment not-a-block\n~~~\n"
    lesson = parse_text(_lesson(question, between=between), "x.md")
    (q,) = lesson.questions
    assert q.ask == "First line\nsecond line\n\nnew paragraph"
    assert q.feedback == "Why: because.\n- a list item"
    assert q.answer == 1
    assert any("not-a-block" in p.text for p in lesson.parts if isinstance(p, Prose))


def test_vary_makes_one_run_per_value():
    experiment = GOOD_EXPERIMENT.replace("lr: 0.1", "vary: lr = 0.1 | 0.3")
    question = GOOD_QUESTION.replace("status converged", "status diverged for lr=0.3")
    block = parse_text(_lesson(question, experiment), "x.md").experiments["e"]
    assert [r.label for r in block.runs] == ["lr=0.1", "lr=0.3"]
    assert [r.experiment.lr for r in block.runs] == [0.1, 0.3]
    assert block.run("lr=0.3").query["lr"] == "0.3"


BROKEN = [
    # (text, the offending line's text or None, words the reason must contain)
    ("no front matter\n", "no front matter", "front matter"),
    ("---\ntitle: T\norder: 1\nminutes: 5\nsummary: S\n", "---", "never closed"),
    ("---\ntitle: T\norder: one\nminutes: 5\nsummary: S\n---\n", "order: one", "order"),
    ("---\ntitle: T\nminutes: 5\nsummary: S\n---\n", "---", "lacks order"),
    ("---\ntitle: T\ntitle: U\norder: 1\nminutes: 5\nsummary: S\n---\n", "title: U", "twice"),
    (
        _lesson(front="title: T\norder: 1\nminutes: 5\nsummary: S\nauthor: me"),
        "author: me",
        "unknown key",
    ),
    (_lesson(experiment="surface: custom\nformula: x^2\nlr: -1"), "lr: -1", "lr must be"),
    (_lesson(experiment="lr: 0.1\nspeed: 3"), "speed: 3", "unknown key 'speed'"),
    (_lesson(experiment="lr: 0.1\npresent: 1"), "present: 1", "unknown key 'present'"),
    (_lesson(experiment="vary: lr = 0.1"), "vary: lr = 0.1", "2 to 6"),
    (_lesson(experiment="lr: 0.1\nvary: lr = 0.1 | 0.2"), "vary: lr = 0.1 | 0.2", "both set"),
    (_lesson(experiment="vary: lr = 0.1 | big"), "vary: lr = 0.1 | big", "lr must be a number"),
    (
        _lesson(GOOD_QUESTION.replace("answer: Yes", "answer: Maybe")),
        "answer: Maybe",
        "not one of the choices",
    ),
    (_lesson(GOOD_QUESTION.replace("choice: No\n", "")), "```question", "2 to 6"),
    (_lesson(GOOD_QUESTION.replace("claim: status converged\n", "")), "```question", "claim"),
    (
        _lesson(GOOD_QUESTION.replace("status converged", "status fine")),
        "claim: status fine",
        "status takes",
    ),
    (
        _lesson(GOOD_QUESTION.replace("status converged", "wins sgd")),
        "claim: wins sgd",
        "unknown claim",
    ),
    (
        _lesson(GOOD_QUESTION.replace("status converged", "fastest adam")),
        "claim: fastest adam",
        "vary",
    ),
    (
        _lesson(GOOD_QUESTION + "\nexperiment: nowhere"),
        "```question",
        "no experiment or model block has the id",
    ),
    (
        _lesson(GOOD_QUESTION.replace("ask: ", "  ask: ")),
        "  ask: Will it converge?",
        "indented line",
    ),
    (
        _lesson(GOOD_QUESTION.replace("ask: Will", "ask Will")),
        "ask Will it converge?",
        "expected 'key: value'",
    ),
    (
        "---\ntitle: T\norder: 1\nminutes: 5\nsummary: S\n---\n```question\nask: x\n",
        "```question",
        "never closed",
    ),
    ("---\ntitle: T\norder: 1\nminutes: 5\nsummary: S\n---\nJust prose.\n", None, "no experiment"),
    (
        _lesson().replace("```experiment e", "```experiment Bad_Id"),
        "```experiment Bad_Id",
        "id must be",
    ),
    (  # learners read "SGD" and "Momentum" in the app, so a choice must too (lesson 8 had keys)
        _lesson(GOOD_QUESTION.replace("choice: No", "choice: sgd")),
        "choice: sgd",
        "engine's name for an optimizer",
    ),
]


@pytest.mark.parametrize(("text", "where", "reason"), BROKEN, ids=[b[2] for b in BROKEN])
def test_a_broken_lesson_names_its_line_and_reason(text, where, reason):
    with pytest.raises(LessonError) as caught:
        parse_text(text, "09-broken.md")
    error = caught.value
    assert reason in error.reason, error.reason
    if where is None:
        assert error.line is None, str(error)
    else:
        assert error.line is not None, str(error)
        assert text.split("\n")[error.line - 1] == where, str(error)
    assert str(error).startswith("09-broken.md")


def test_the_line_numbers_point_at_the_offending_line():
    text = _lesson(experiment="surface: custom\nformula: x^2\nlr: -1")
    error = pytest.raises(LessonError, parse_text, text, "x.md").value
    assert text.split("\n")[error.line - 1] == "lr: -1"


def test_a_broken_file_does_not_break_the_others(tmp_path: Path):
    for name in ("01-what-is-the-learning-rate.md", "03-too-large.md"):
        shutil.copy(LESSONS_DIR / name, tmp_path / name)
    (tmp_path / "02-broken.md").write_text(_lesson(experiment="lr: 0.1\nspeed: 3"))
    (tmp_path / "04-not-utf8.md").write_bytes(b"---\ntitle: \xff\n")
    (tmp_path / "README.md").write_text("not a lesson")
    entries = load_all(tmp_path)
    assert [e.slug for e in entries] == [
        "01-what-is-the-learning-rate",
        "02-broken",
        "03-too-large",
        "04-not-utf8",
    ]
    assert isinstance(entries[0], Lesson) and isinstance(entries[2], Lesson)
    assert isinstance(entries[1], LessonError) and entries[1].reason.startswith("unknown key")
    assert entries[1].title == "T"  # the list can still name a lesson whose body is broken
    assert isinstance(entries[3], LessonError) and entries[3].line == 2


def test_bad_file_names_and_oversized_files_are_refused(tmp_path: Path):
    with pytest.raises(LessonError, match="file name"):
        parse_text(_lesson(), "Bad Name.md")
    big = tmp_path / "big.md"
    big.write_text("x" * 300_000)
    with pytest.raises(LessonError, match="larger than"):
        parse_file(big)


def test_the_readme_documents_every_claim():
    from core.lessons import CLAIMS

    readme = (LESSONS_DIR / "README.md").read_text()
    from core.lessons import MODEL_CLAIMS

    for kind in (*CLAIMS, *MODEL_CLAIMS):
        assert f"| `{kind}" in readme, kind


# -- model blocks: a real model in a lesson ---------------------------------------------------

MODEL_QUESTIONS = [
    (lesson, q) for lesson in LESSONS for q in lesson.questions if q.experiment_id in lesson.models
]
# Each model claim must also hold with the base rate 5% off either way and with the next seed
# (another initialisation and batch order): a stated answer never rests on one lucky draw.
MODEL_PERTURBATIONS = [(1.0, 0), (1.0 - MARGIN, 0), (1.0 + MARGIN, 0), (1.0, 1)]


def test_the_real_model_lessons_use_model_blocks():
    slugs = {lesson.slug for lesson, _ in MODEL_QUESTIONS}
    for topic in ("lr-range-test", "stochastic", "generalization"):
        assert any(topic in slug for slug in slugs), topic
    tasks = {b.task for lesson in LESSONS for b in lesson.models.values()}
    assert tasks == {"range_test", "train"}


@pytest.mark.parametrize(
    ("lesson", "question"), MODEL_QUESTIONS, ids=lambda x: getattr(x, "id", None)
)
@pytest.mark.parametrize(("factor", "seed_offset"), MODEL_PERTURBATIONS)
def test_every_model_claim_is_what_the_engine_computes(lesson, question, factor, seed_offset):
    from core.lessons.model_runs import check_model_question

    block = lesson.models[question.experiment_id]
    results = check_model_question(question, block, factor, seed_offset)
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
    from core.lessons.model_runs import run_model_block

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
        assert np.isclose(run.lr, outcome.base_lr * multiple)
        for result in run.results:
            assert result.params is None and result.steps == block.steps
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
    from core.lessons.model_runs import check_model_question

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
    text = _lesson(GOOD_QUESTION.replace("status converged", "diverges"))
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
