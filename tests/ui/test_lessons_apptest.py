"""The lessons page under Streamlit's AppTest: the list, every lesson answered end to end,
presentation mode, and a broken lesson that fails alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import core.lessons
from core.lessons import Lesson, load_all
from tests.paths import REPO
from tests.rate_slider_driver import commit_rate, slider_data
from ui.controls.lr_control import format_lr

ROOT = REPO
APP = str(ROOT / "app.py")
PAGE = "app_pages/lessons.py"
LESSONS = [e for e in load_all() if isinstance(e, Lesson)]
TIMEOUT = 120


def _open(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _answer(at: AppTest, choice: int) -> AppTest:
    """Pick `choice` in the open question and press its check button."""
    (radio,) = [r for r in at.radio if not r.disabled]
    radio.set_value(choice).run()
    (button,) = [b for b in at.button if b.label == "Check my prediction"]
    assert not button.disabled
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _components(at: AppTest, name: str) -> list:
    return [c for c in at.get("bidi_component") if c.proto.component_name == name]


def _players(at: AppTest) -> int:
    return len(_components(at, "gradient_valley_player"))


def _charts(block) -> int:
    """Charts a block draws: a map for several runs; a model block's range test and/or runs."""
    if hasattr(block, "task"):
        return (block.task == "range_test") + block.trains
    return int(len(block.runs) > 1)


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_list_shows_every_lesson_in_order_with_its_time():
    at = _open()
    labels = [link.label for link in at.get("page_link")]
    titles = [label for label in labels if label[:1].isdigit()]
    assert titles == [f"{i}. {lesson.title}" for i, lesson in enumerate(LESSONS, start=1)]
    captions = [c.value for c in at.caption]
    for lesson in LESSONS:
        assert any(c.startswith(f"{lesson.minutes} min · Not started") for c in captions)
    assert "0 of" in at.get("progress")[0].proto.text


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.slug)
def test_every_lesson_walks_end_to_end(lesson: Lesson):
    at = _open({"lesson": lesson.slug})
    assert at.title[0].value == lesson.title
    assert not at.error, [e.value for e in at.error]
    first = lesson.questions[0]
    # Before the first prediction, its experiment (and all that follows) stays hidden.
    before = [p for p in lesson.parts[: lesson.parts.index(first)] if hasattr(p, "runs")]
    assert len(at.get("plotly_chart")) == sum(_charts(b) for b in before)
    assert _players(at) == sum(not _charts(b) for b in before)
    assert any("Make your prediction" in i.value for i in at.info)
    for number, question in enumerate(lesson.questions):
        wrong = number % 2 == 1  # answer some wrongly: the feedback must say so
        choice = (question.answer + 1) % len(question.choices) if wrong else question.answer
        _answer(at, choice)
        verdicts = [s.value for s in at.success] + [w.value for w in at.warning]
        right = question.choices[question.answer]
        assert any(right in v for v in verdicts), verdicts
        assert any(question.feedback.split("\n")[0] in m.value for m in at.markdown)
    assert not at.error, [e.value for e in at.error]
    assert any("Lesson complete" in s.value for s in at.success)
    blocks = [*lesson.experiments.values(), *lesson.models.values()]
    assert len(at.get("plotly_chart")) == sum(_charts(b) for b in blocks)
    assert _players(at) == sum(not _charts(b) for b in lesson.experiments.values())
    links = [m.value for m in at.markdown if "in the playground](./?" in m.value]
    assert len(links) == len(lesson.experiments)
    model_links = [m.value for m in at.markdown if "Real model page](./model)" in m.value]
    assert len(model_links) == len(lesson.models)
    assert len(at.dataframe) == sum(len(b.runs) > 1 for b in lesson.experiments.values()) + sum(
        b.trains for b in lesson.models.values()
    )
    nav = [link.label for link in at.get("page_link")]
    assert "All lessons" in nav
    if lesson is not LESSONS[-1]:
        assert any(label.startswith("Next:") for label in nav)


def test_progress_shows_in_the_list_and_is_sent_to_the_browser():
    lesson = LESSONS[0]
    at = _open({"lesson": lesson.slug})
    for question in lesson.questions:
        _answer(at, question.answer)
    at.query_params.pop("lesson")
    at.run()
    captions = [c.value for c in at.caption]
    assert any(c.startswith(f"{lesson.minutes} min · Done") for c in captions), captions
    assert "1 of" in at.get("progress")[0].proto.text
    (sync,) = _components(at, "gradient_valley_progress")
    sent = json.loads(sync.proto.json)["progress"]
    assert sent["lessons"][lesson.slug]["done"] is True
    answers = sent["lessons"][lesson.slug]["answers"]
    assert answers == {q.id: q.answer for q in lesson.questions}


def test_presentation_mode_keeps_its_flag_in_every_link():
    at = _open({"lesson": LESSONS[1].slug, "present": "1"})
    assert any("font-size" in h.proto.body for h in at.get("html"))
    for link in at.get("page_link"):
        assert "present=1" in link.proto.query_string, link.label


def test_an_unknown_lesson_names_it_and_lists_the_rest():
    at = _open({"lesson": "99-nope"})
    assert "99-nope" in at.error[0].value.replace("\\", "")  # Markdown-escaped
    assert len([link for link in at.get("page_link") if link.label[:1].isdigit()]) == len(LESSONS)


GOOD_LESSON = """---
title: A good lesson
order: 1
minutes: 2
summary: One walk on the bowl.
---

Some prose.

```question
ask: Does it converge?
choice: Yes
choice: No
answer: Yes
claim: status converged
feedback: The rate is below 2/L.
```

```experiment
surface: custom
formula: x^2 + y^2
start: 3,3
lr: 0.18
steps: 80
```
"""


def test_a_broken_lesson_fails_alone(tmp_path: Path, monkeypatch):
    (tmp_path / "01-good.md").write_text(GOOD_LESSON)
    broken = GOOD_LESSON.replace("lr: 0.18\n", "lr: fast\n", 1)
    assert broken != GOOD_LESSON
    (tmp_path / "02-broken.md").write_text(broken)
    (tmp_path / "03-no-surface.md").write_text(
        GOOD_LESSON.replace("surface: custom", "surface: moon")
    )
    monkeypatch.setattr(core.lessons, "LESSONS_DIR", tmp_path)
    at = _open()
    errors = [e.value.replace("\\", "") for e in at.error]  # as shown: escapes are not text
    assert len(errors) == 2 and "02-broken.md:" in errors[0] and "lr must be" in errors[0]
    assert "moon" in errors[1]
    at = _open({"lesson": "02-broken"})
    (error,) = at.error
    assert "02-broken.md" in error.value and "line" in error.value
    at = _open({"lesson": "01-good"})
    assert not at.error
    assert at.title[0].value == "A good lesson"


def test_a_renamed_lesson_keeps_its_old_link(tmp_path: Path, monkeypatch):
    """A lesson's old address (an alias in its front matter) opens it, and the address bar
    then names it by its new one."""
    renamed = GOOD_LESSON.replace("order: 1\n", "order: 1\naliases: 07-old-name\n")
    (tmp_path / "new-name.md").write_text(renamed)
    monkeypatch.setattr(core.lessons, "LESSONS_DIR", tmp_path)
    at = _open({"lesson": "07-old-name"})
    assert not at.error and at.title[0].value == "A good lesson"
    assert at.query_params["lesson"] == "new-name"


def test_the_rate_slider_reruns_the_experiment_and_its_links():
    lesson = LESSONS[0]
    at = _open({"lesson": lesson.slug})
    _answer(at, lesson.questions[0].answer)
    key = f"{lesson.slug}-first-walk-lr"
    data = slider_data(at, key)
    assert data["label"] == "Try another learning rate"
    lesson_lr = lesson.experiments["first-walk"].experiment.lr
    assert data["labels"][data["index"]] == format_lr(lesson_lr)
    assert any("Outcome: converged" in m.value for m in at.markdown)
    commit_rate(at, key, data["labels"].index("1.2"))  # past 2/L = 1 on the bowl
    assert not at.exception
    assert any("Outcome: diverged" in m.value for m in at.markdown)
    assert any("in the playground](./?" in m.value and "lr=1.2" in m.value for m in at.markdown)


MODEL_LESSONS = [lesson for lesson in LESSONS if lesson.models]


def _answer_all(lesson: Lesson) -> AppTest:
    at = _open({"lesson": lesson.slug})
    for question in lesson.questions:
        _answer(at, question.answer)
    assert not at.error, [e.value for e in at.error]
    return at


def test_the_real_model_lessons_show_the_engine_s_model_views():
    """Lessons 5, 10 and 12: the range test with its suggestions, the training curves with
    held-out accuracy, the runs over the line's real valley; each table says what the engine
    computed, run by run, in the order the block lists them."""
    from core.lessons.model_runs import run_model_block

    assert {lesson.order for lesson in MODEL_LESSONS} >= {90, 100, 130, 135, 140}
    for lesson in MODEL_LESSONS:
        at = _answer_all(lesson)
        specs = _specs(at)
        titles = [
            spec["layout"].get("xaxis", {}).get("title", {}).get("text", "") for spec in specs
        ]
        # Tables come in lesson order; a model block's has a batch column (an experiment's not).
        model_tables = [t for t in at.dataframe if "batch" in t.value.columns]
        trained = [b for b in lesson.models.values() if b.trains]
        assert len(model_tables) == len(trained)
        for block in lesson.models.values():
            if block.task == "range_test":
                assert "learning rate (log)" in titles
                assert any("Suggestions: minimum / 10" in m.value for m in at.markdown)
        for block, table in zip(trained, model_tables, strict=True):
            outcome = run_model_block(block)  # cached engine calls; the same numbers
            rows = table.value.to_dict("records")
            assert len(rows) == len(outcome.runs)
            for row, run in zip(rows, outcome.runs, strict=True):
                assert ("blew up" in row["outcome"]) == bool(run.diverged), (block.id, row)
                if not run.diverged and run.val_accuracy is not None:
                    assert row["held-out accuracy"] == f"{100 * run.val_accuracy:.1f}%"
        if any(b.model == "mlp-digits" and b.trains for b in lesson.models.values()):
            assert any(
                spec["layout"].get("yaxis2", {}).get("title", {}).get("text")
                == "held-out accuracy (%)"
                for spec in specs
            )
        if any(b.model == "linreg-diabetes" for b in lesson.models.values()):
            assert any("w (slope)" in t for t in titles)


def test_a_model_block_s_rate_slider_trains_again():
    lesson = next(lesson for lesson in LESSONS if "generalization" in lesson.slug)
    at = _answer_all(lesson)
    slider = at.select_slider(key=f"{lesson.slug}-digits-rates-lr")
    assert slider.value == lesson.models["digits-rates"].lr
    slider.set_value(0.01).run()
    assert not at.exception, [e.value for e in at.exception]
    rows = at.dataframe[-1].value.to_dict("records")
    assert [r["run"] for r in rows] == ["η = 0.001 (0.1×)", "η = 0.01 (1×)", "η = 0.1 (10×)"]
    assert all(r["outcome"] == "trains" for r in rows)  # ten times 0.01 no longer blows up
