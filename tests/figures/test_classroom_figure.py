"""The class's answers chart (figures/classroom.py): what the bars say, and that the spec, built
without Plotly's validation for speed, is one Plotly's own validator accepts unchanged."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from figures.classroom import OTHER, RIGHT, WRONG_REVEALED, answers_figure, answers_spec

OPTIONS = ("Converges smoothly", "Diverges", "<img src=x onerror=alert(1)>")


@pytest.mark.parametrize(
    ("counts", "answer", "title"),
    [((0, 0, 0), None, ""), ((3, 12, 1), None, "Round 1: 16 answers"), ((5, 2, 9), 1, "R2")],
)
def test_plotly_validates_the_spec_into_the_same_figure(counts, answer, title):
    validated = go.Figure(answers_spec(OPTIONS, counts, answer, title))  # raises if invalid
    assert answers_figure(OPTIONS, counts, answer, title).to_dict() == validated.to_dict()


def test_the_bars_count_each_option_and_mark_the_answer_only_after_the_reveal():
    before = answers_figure(OPTIONS, (3, 12, 1)).data[0]
    assert list(before.x) == [3, 12, 1] and list(before.text) == ["3", "12", "1"]
    assert list(before.marker.color) == [OTHER] * 3
    after = answers_figure(OPTIONS, (3, 12, 1), answer=1).data[0]
    assert list(after.marker.color) == [WRONG_REVEALED, RIGHT, WRONG_REVEALED]


def test_typed_text_in_an_option_or_title_is_shown_as_text():
    fig = answers_figure(OPTIONS, (1, 1, 1), title="<b>x</b>")
    assert fig.data[0].y[2] == "&lt;img src=x onerror=alert(1)&gt;"
    assert fig.layout.title.text == "&lt;b&gt;x&lt;/b&gt;"
