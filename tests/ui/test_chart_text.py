"""Each chart's text alternative (ui/a11y_charts.py) says what the chart shows: the sentence
functions against hand-made inputs whose answers are worked out here, then the rendered Sweep
page, class histogram and blindfold walk (AppTest) carry the screen-reader text with the facts:
the sweep's divergence where theory puts it (2/L on a quadratic), the class's counts, and the
right answer only after the reveal."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.catalog.range_test import RULE_TITLES
from core.schema.experiment import Experiment
from core.valley.theory import nearest_analysis
from tests.paths import REPO
from ui import a11y_charts as alt

APP = str(REPO / "app.py")
SR = re.compile(r'<p class="gv-sr-only">(.*?)</p>', re.S)


def sr_texts(at: AppTest) -> list[str]:
    """The screen-reader-only sentences on the page, in order (as HTML-escaped text)."""
    return [m for h in at.get("html") for m in SR.findall(h.proto.body)]


# The sentences, from hand-made data.
def test_sweep_text_names_best_rate_its_loss_and_where_runs_diverge():
    lrs = [0.001, 0.01, 0.1, 1.0, 10.0]
    results = {
        "sgd": {
            "final_loss": np.array([2.0, 0.5, 0.003, 7.0, np.nan]),
            "status": np.array(["too_slow", "too_slow", "converged", "diverged", "diverged"]),
        },
        "adam": {
            "final_loss": np.array([np.inf] * 5),
            "status": np.array(["diverged"] * 5),
        },
    }
    text = alt.sweep_text(lrs, results, {"sgd": "SGD", "adam": "Adam"})
    assert "5 rates from 0.001 to 10" in text
    # a diverged run's small loss (7 < 2) never counts as the best
    assert "SGD: best rate 0.1, final loss 0.003; runs diverge from rate 1." in text
    assert "Adam: every rate diverges; runs diverge from rate 0.001." in text


def test_sweep_text_says_when_no_rate_diverges():
    result = {"final_loss": np.array([1.0, 0.25]), "status": np.array(["converged"] * 2)}
    text = alt.sweep_text([0.1, 0.2], {"sgd": result}, {"sgd": "SGD"})
    assert "best rate 0.2, final loss 0.25; no rate diverges" in text


def test_search_text_gives_each_pick_and_the_best():
    def search(name, lr, loss):
        return SimpleNamespace(
            name=name, pick_lr=lr, pick_score=loss, best_lr=0.0316, best_score=1e-9
        )

    text = alt.search_text([search("grid", 0.01, 0.02), search("random", 0.04567, 3e-7)], 241)
    assert "dense sweep of 241 rates" in text
    assert "grid picks rate 0.01, final loss 0.02" in text
    assert "random picks rate 0.04567, final loss 3e-07" in text
    assert "rate 0.0316, final loss 1e-09" in text


def test_answers_text_counts_each_option_and_hides_the_answer_until_revealed():
    before = alt.answers_text("Round 1: 5 answers", ["too slow", "diverges"], [2, 3])
    assert before == "Bar chart, Round 1: 5 answers. too slow: 2; diverges: 3."
    assert "right" not in before.lower()
    after = alt.answers_text("Round 1: 5 answers", ["a", "b"], [2, 3], "b", "60% right")
    assert after.endswith("Right answer: b, 60% right.")


@pytest.mark.parametrize(
    ("grad", "word"),
    [
        ((1.0, 0.0), "left"),  # downhill is against the gradient
        ((0.0, -2.0), "up"),
        ((-1.0, -1.0), "up and to the right"),
        ((0.2, 1.0), "down"),  # 11° off straight down still reads "down"
        ((1.0, 1.0), "down and to the left"),
        ((0.0, 0.0), None),
        ((float("nan"), 1.0), None),
    ],
)
def test_downhill_word_is_the_arrows_direction(grad, word):
    assert alt.downhill_word(grad) == word


def test_feel_text_says_where_you_stand_and_the_arrow_not_the_valley():
    text = alt.feel_text((1.5, -0.25), 3.125, (0.0, 4.0), 2)
    assert text == (
        "Downhill from here: after 2 steps you stand at (1.5, -0.25), loss 3.125; "
        "the slope arrow points down (downhill), steepness 4."
    )
    assert "flat" in alt.feel_text((0, 0), 0.0, (0.0, 0.0), 1)


def test_loss_text_from_first_to_last_and_the_goal():
    assert alt.loss_text([4.0], 0.004) == (
        "Loss so far, by step: 4 at the start, 4 after 0 steps; the goal is a loss of 0.004 "
        "or less."
    )
    assert alt.loss_text([4.0, 1.0], None).endswith("1 after 1 step.")


def test_reveal_text_your_path_beside_the_best_fixed_rate():
    points = [(-1.0, 2.0), (0.5, 0.5), (0.01, 0.002)]
    ref = SimpleNamespace(rate=0.4, steps=7)
    text = alt.reveal_text(points, 2, ref)
    assert "your path of 2 steps from (-1, 2) to (0.01, 0.002)" in text
    assert text.endswith("best fixed rate 0.4 takes 7 steps.")
    assert "does not reach" in alt.reveal_text(points, 2, SimpleNamespace(rate=0.4, steps=None))
    assert "no fixed rate reaches" in alt.reveal_text(points, 2, None)


def test_range_test_text_gives_every_rules_suggestion_or_the_note():
    suggestions = {name: SimpleNamespace(lr=0.001 * (i + 1)) for i, name in enumerate(RULE_TITLES)}
    text = alt.range_test_text(np.array([1e-5, 1e-3, 1.0]), suggestions)
    assert "grows from 1e-05 to 1" in text
    for i, title in enumerate(RULE_TITLES.values()):
        assert f"{title} {0.001 * (i + 1):.3g}" in text
    noted = alt.range_test_text(np.array([1e-5, 1.0]), {}, "The loss never fell.")
    assert noted.endswith("The loss never fell.") and "Suggested" not in noted


def test_training_text_final_losses_or_where_a_run_blew_up():
    ok = SimpleNamespace(label="η = 0.1", train_loss=np.array([2.3, 0.04321]), diverged_at=None)
    bad = SimpleNamespace(label="η = 1 (×10)", train_loss=np.array([2.3, np.nan]), diverged_at=17)
    text = alt.training_text([ok, bad])
    assert "η = 0.1: final training loss 0.0432" in text
    assert "η = 1 (×10): blew up at step 17" in text


def test_noise_valley_clouds_and_landscape_texts():
    noise = alt.noise_text([1, 8], {0.01: [0.5, 0.0625], 0.1: [None, 0.125]})
    assert "at η = 0.01: batch 1 0.5, batch 8 0.0625; at η = 0.1: batch 1 blew up" in noise
    outcome = SimpleNamespace(status="converged", step=42)
    valley = alt.valley_text(True, 0.1, outcome, 16, 5, 2)
    assert "learning rate 0.1: converged at step 42" in valley
    assert "5 mini-batch runs with batches of 16, 2 of them blew up" in valley
    clouds = alt.clouds_text(["η = 0.1, batch 8", "η = 1, batch 8"])
    assert "the paths of η = 0.1, batch 8; η = 1, batch 8." in clouds
    shadow = SimpleNamespace(coords=np.array([[0.5, -0.25], [0.0, 0.0]]))
    land = alt.landscape_text(0.2, 0.0123, ["η = 0.1 (suggested)"], [shadow])
    assert "from −0.2 to 0.2, loss 0.0123 at the centre" in land
    assert "η = 0.1 (suggested) from (0.5, -0.25) to (0, 0)" in land


# The rendered pages.
def test_sweep_page_says_where_sgd_diverges_as_theory_predicts():
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in {"surface": "bowl", "optimizer": "sgd", "lr": "0.1"}.items():
        at.query_params[key] = value
    at.switch_page("app_pages/sweep.py").run()
    assert not at.exception, at.exception
    ucurve, search = [t for t in sr_texts(at) if t.startswith(("U-curve", "Loss against"))]
    number = r"(\d[\d.e+-]*\d|\d)"
    found = re.search(
        f"SGD: best rate {number}, final loss {number}; runs diverge from rate {number}", ucurve
    )
    assert found, ucurve
    diverge = float(found.group(3))
    critical = nearest_analysis(Experiment(surface="bowl")).critical_lr["sgd"]  # 2/L
    step = 10 ** (1 / 40)  # the page's rates: 40 per decade
    assert critical < diverge <= critical * step * 1.001, (diverge, critical)
    assert float(found.group(1)) < critical
    # the search duel's sentence matches its table (the picks)
    table = at.dataframe[0].value
    for _, row in table.iterrows():
        assert f"{row['search']} picks rate {row['picks rate']:.4g}" in search


def test_class_histogram_counts_and_the_answer_only_after_the_reveal(tmp_path, monkeypatch):
    from core.classroom.schema import ENV_URL
    from tests.ui.test_classroom_apptest import _click, _code, _page, _vote

    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'class.sqlite3'}")
    teacher = _page("app_pages/classroom.py")
    _click(teacher, "Start a class")
    code = _code(teacher)
    teacher.selectbox[0].set_value(1).run()
    _click(teacher, "Ask this question")
    _click(teacher, "Open voting")
    students = [_page("app_pages/join.py", room=code) for _ in range(3)]
    options = students[0].radio[0].options
    for s, choice in zip(students, (0, 1, 1), strict=True):
        _vote(s, choice)
    teacher.run()
    (bars,) = [t for t in sr_texts(teacher) if t.startswith("Bar chart")]
    assert "Round 1: 3 answers" in bars
    counts = dict.fromkeys(options, 0) | {options[0]: 1, options[1]: 2}
    for option, n in counts.items():
        assert f"{option}: {n}" in bars  # options are plain words here (no HTML to escape)
    assert "Right answer" not in bars
    for s in students:  # no phone shows the histogram, nor its sentence
        s.run()
        assert not [t for t in sr_texts(s) if t.startswith("Bar chart")]
    _click(teacher, "Close voting")
    _click(teacher, "Reveal")
    (marked,) = [m.value for m in teacher.markdown if m.value.startswith("**Right answer")]
    (bars,) = [t for t in sr_texts(teacher) if t.startswith("Bar chart")]
    right, said = re.match(r"\*\*Right answer: (.*)\*\*, (.*)", marked).groups()
    assert bars.endswith(f"Right answer: {right}, {said}.")


def test_blindfold_walk_describes_the_arrow_then_both_paths():
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in {"surface": "custom", "formula": "x^2 + y^2", "start": "1,1"}.items():
        at.query_params[key] = value
    at.query_params["tol"] = "0.01"
    at.switch_page("app_pages/blindfold.py").run()
    assert not at.exception, at.exception
    feel, loss = [t for t in sr_texts(at) if t.startswith(("Downhill", "Loss so far"))]
    # the gradient of x² + y² at (1, 1) is (2, 2): downhill is down and to the left
    assert feel == (
        "Downhill from here: after 0 steps you stand at (1, 1), loss 2; the slope arrow points "
        f"down and to the left (downhill), steepness {8**0.5:.4g}."
    )
    assert loss.startswith("Loss so far, by step: 2 at the start")
    at.text_input(key="bw_rate").set_value("0.45")  # (1, 1) -> (0.1, 0.1) -> (0.01, 0.01)
    at.button[0].click().run()
    at.button[0].click().run()
    (reveal,) = [t for t in sr_texts(at) if t.startswith("The valley revealed")]
    assert "your path of 2 steps from (1, 1) to (0.01, 0.01)" in reveal
    # on a quadratic the best fixed rate is 2/(l + L) = 2/(2 + 2): one step to the bottom
    assert reveal.endswith("best fixed rate 0.5 takes 1 step.")
