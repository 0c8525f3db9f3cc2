"""The Streamlit-side helpers that need no browser: rate grid, URL decoding, theory, badge."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core.schema.experiment import Experiment, encode
from ui.controls.lr_control import LR_GRID, format_lr, nearest
from ui.state import url_state
from ui.views.badge import STATUS, badge_html
from ui.views.theory import theory_text


def test_rate_grid_covers_the_required_range_in_small_log_steps():
    assert LR_GRID[0] <= 1e-5 and LR_GRID[-1] >= 10
    ratios = np.diff(np.log10(LR_GRID))
    assert (ratios > 0).all()
    assert 10 ** ratios.max() < 1.17  # one arrow key: at most +17%
    for common in (1e-4, 0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0):
        assert common in LR_GRID


def test_nearest_is_nearest_on_a_log_scale():
    assert nearest(0.0123) == 0.012
    assert nearest(0.0135) == 0.014  # log-midpoint of 0.013 and 0.014 is 0.01349
    assert nearest(1e-9) == LR_GRID[0] and nearest(1e3) == LR_GRID[-1]
    for value in LR_GRID:
        assert nearest(value) == value


def test_rates_are_shown_exactly():
    assert format_lr(0.05) == "0.05" and format_lr(1.2e-05) == "1.2e-05"
    assert format_lr(0.0123456) == "0.0123456"


def test_url_round_trip_keeps_every_setting():
    exp = Experiment(
        surface="custom",
        formula="x^2 + 3*y^2",
        optimizer="rmsprop",
        lr=0.003,
        steps=250,
        start=(1.5, -0.5),
        schedule="step",
        params={"alpha": 0.9},
        schedule_args={"step_size": 50, "gamma": 0.5},
    )
    query = encode(exp, {"present": True})
    assert query["start"] == "1.5,-0.5" and query["present"] == "1" and query["alpha"] == "0.9"
    back, view, notices = url_state.read(query)
    assert back == exp and view["present"] is True and notices == []


def test_bad_url_values_fall_back_with_messages():
    exp, _, notices = url_state.read({"lr": "-1", "steps": "ten", "start": "1"})
    assert exp == Experiment()
    assert len(notices) == 3 and all("instead" in n for n in notices)


def test_theory_warns_only_above_the_critical_rate():
    caption, warning = theory_text(Experiment(lr=0.1), 0.2)
    assert "Critical rate **0.2**" in caption and warning is None
    assert "Local theory" in caption  # not known to be a quadratic: the limit is local
    caption, _ = theory_text(Experiment(lr=0.1), 0.2, everywhere=True)
    assert "the same everywhere" in caption and "Local" not in caption
    caption, warning = theory_text(Experiment(lr=0.3), 0.2)
    assert warning and "0.3" in warning and "0.2" in warning
    caption, warning = theory_text(Experiment(optimizer="adam"), None)
    assert "Adam" in caption and warning is None


@pytest.mark.parametrize("status", sorted(STATUS))
def test_badge_shows_status_step_and_explanation(status):
    outcome = SimpleNamespace(
        status=status, step=12, flags=("overshoot",), explanation="It went <far> away."
    )
    text = badge_html(outcome)
    preposition = "from" if status == "oscillating" else "at"  # an oscillation goes on
    assert f"{STATUS[status][0]} {preposition} step 12" in text
    assert "It went &lt;far&gt; away." in text and "overshoots" in text
    assert f'data-status="{status}"' in text


def test_badge_colours_are_okabe_ito():
    okabe_ito = {"#D55E00", "#0072B2", "#E69F00", "#56B4E9", "#009E73", "#CC79A7"}
    assert {colour for _, colour, _ in STATUS.values()} <= okabe_ito
