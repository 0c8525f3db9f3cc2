"""The model page through Streamlit's AppTest: the real valley and the network, end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.real import lr_finder, models, training
from core.real.data import split_indices
from figures.valley.path import decode_f4
from tests.paths import REPO
from ui.views import model_view as mv

PAGE = str(REPO / "app_pages" / "model.py")
NETWORK = "A small neural network"


def page(**state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=180)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def badge_status(at: AppTest) -> str:
    html = [e.proto.body for e in at.main if getattr(e, "type", "") == "html"]
    (body,) = [b for b in html if "data-status=" in b]  # the badge, not the charts' text
    return body.split('data-status="')[1].split('"')[0]


def raw_bmi_critical_rate() -> float:
    """2 / lambda_max of 2/n X^T X, from scikit-learn's raw data and the page's split."""
    from sklearn.datasets import load_diabetes

    bmi = load_diabetes(scaled=False).data[:, 2]
    train, _ = split_indices(len(bmi))
    x = np.c_[bmi[train], np.ones(len(train))]
    return 2 / np.linalg.eigvalsh(2 / len(x) * x.T @ x).max()


def test_valley_shows_gradient_descent_and_the_critical_rates():
    at = page()
    assert not at.exception
    valley = charts(at)[0]
    assert valley["layout"]["images"][0]["source"].startswith("data:image/png;base64,")
    assert valley["layout"]["xaxis"]["title"]["text"] == "w (slope)"
    gd = next(t for t in valley["data"] if t.get("name") == "full batch: gradient descent")
    model = models.get_model("linreg-diabetes")
    lr = at.select_slider(key="valley_lr").value
    expected = training.train(model, "sgd", lr, 200).path  # full batch = gradient descent
    np.testing.assert_allclose(decode_f4(gd["x"]), expected[:, 0], rtol=1e-4, atol=1e-5)
    assert badge_status(at) == "converged"
    table = next(m.value for m in at.markdown if "| raw BMI" in m.value)
    assert f"| raw BMI (kg/m²) | {raw_bmi_critical_rate():.3g} |" in table
    assert "| standardised | 1 |" in table


def test_raw_features_make_the_same_rate_diverge():
    at = page(scale=False)
    assert not at.exception
    assert badge_status(at) == "diverged"
    assert any("blew up" in w.value for w in at.warning)
    valley = charts(at)[0]
    assert "scaleanchor" not in valley["layout"]["yaxis"]  # the long thin valley, unsquashed


def test_batch_size_and_seeds_draw_one_cloud_per_seed():
    at = page(batch=4, seeds=5)
    assert not at.exception
    valley = charts(at)[0]
    lines = [
        t for t in valley["data"] if t.get("legendgroup") == "batch of 4" and t["mode"] == "lines"
    ]
    assert len(lines) == 5
    noise = charts(at)[1]
    assert noise["layout"]["xaxis"]["type"] == "log" and len(noise["data"]) == 3


def test_network_range_test_marks_the_engines_suggestions():
    at = page(part=NETWORK)
    assert not at.exception
    test = lr_finder.lr_find(models.get_model("mlp-digits"), "sgd", batch_size=64, seed=0)
    shown = {m.label: m.value for m in at.metric}
    assert shown["valley"] == f"{test.suggestions['valley'].lr:.3g}"
    assert shown["minimum / 10"] == f"{test.suggestions['minimum'].lr:.3g}"
    figure = charts(at)[0]
    assert figure["layout"]["xaxis"]["type"] == "log"
    marked = [t["x"][0] for t in figure["data"] if t.get("name", "").startswith("valley:")]
    assert marked == pytest.approx([test.suggestions["valley"].lr])


def test_one_click_trains_three_rates_and_reports_held_out_accuracy():
    at = page(part=NETWORK, net_steps=200)
    at.button[0].click().run()
    assert not at.exception
    rate = lr_finder.lr_find(models.get_model("mlp-digits"), "sgd").suggestions["minimum"].lr
    runs = training.train_many(
        models.get_model("mlp-digits"), "sgd", [rate / 10, rate, rate * 10], 200
    )
    shown = [m.value for m in at.metric][3:]
    assert shown == [mv.held_out(r) for r in runs]  # "diverged at step k" once one blew up
    figure = charts(at)[1]
    rates = [t for t in figure["data"] if t["name"].endswith(": rate")]
    assert len(rates) == 3
    np.testing.assert_allclose(decode_f4(rates[1]["y"]), runs[1].lr, rtol=1e-6)
    # A rerun (another widget) shows the same result without training again.
    at.toggle(key="present").set_value(True).run()
    assert len(charts(at)) == 3  # the range test, the training, the landscape's slice


def test_a_schedule_shapes_the_rate_curve():
    at = page(part=NETWORK, net_steps=100, schedule="cosine")
    at.button[0].click().run()
    assert not at.exception
    rates = [t for t in charts(at)[1]["data"] if t["name"].endswith(": rate")]
    curve = decode_f4(rates[1]["y"])
    assert curve[0] > 10 * curve[-1]
    assert at.latex  # the schedule's formula


def test_bad_range_test_settings_get_a_message():
    at = page(part=NETWORK, rt_start=1.0, rt_end=0.5)
    assert not at.exception
    assert "start rate must be below" in at.error[0].value
