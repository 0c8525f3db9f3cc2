"""Questions for the class: the right answer is what the engine says happens."""

from __future__ import annotations

import pytest

from core.classroom.questions import OUTCOMES, ClassQuestion, from_experiment, outcome_key
from core.schema.experiment import Experiment


def test_the_outcome_words_come_from_the_catalog():
    from core.catalog.statuses import FLAG_WORD, STATUS_VERB

    words = dict(OUTCOMES)
    assert words["diverged"] == STATUS_VERB["diverged"]
    assert words["local_minimum"] == FLAG_WORD["local_minimum"]
    assert len(set(words.values())) == len(words)


def test_a_local_minimum_and_a_zig_zag_are_their_own_answers():
    assert outcome_key("converged", ("local_minimum", "oscillation")) == "local_minimum"
    assert outcome_key("converged", ("oscillation",)) == "converged+oscillation"
    assert outcome_key("converged", ()) == "converged"


# On the quadratic bowl f = x^2/2 + 5 y^2 / 2... (the "valley"), plain gradient descent with
# curvature L converges for lr < 2/L and diverges for lr > 2/L: a closed form, not our engine.
@pytest.mark.parametrize(("lr", "expected"), [(0.001, "too_slow"), (10.0, "diverged")])
def test_the_right_answer_is_the_runs_outcome(lr, expected):
    q = from_experiment(Experiment(lr=lr))
    assert dict(OUTCOMES)[expected] == q.options[q.answer]
    assert q.experiment["lr"] == f"{lr:g}" or float(q.experiment["lr"]) == lr


def test_a_question_without_a_prompt_or_with_the_answer_outside_is_refused():
    with pytest.raises(ValueError, match="prompt"):
        ClassQuestion("", ("a", "b"), 0, "t")
    with pytest.raises(ValueError, match="right answer"):
        ClassQuestion("Q?", ("a", "b"), 2, "t")
