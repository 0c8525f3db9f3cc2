"""The model page in real headless Chromium against a real server: the real valley's map with
the engine's gradient-descent path, the batch-size control, and one-click training with its
progress bar and held-out accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from core.real.model_surface import regression_surface, simulate_on
from core.schema.experiment import Experiment

pytestmark = pytest.mark.browser

CHART = "div.stPlotlyChart .main-svg"


def trace_xy(page, chart: int, name: str) -> np.ndarray:
    """The (x, y) points of the trace called ``name`` in the chart-th Plotly chart, as drawn."""
    xy = page.evaluate(
        """([i, name]) => {
            const gd = document.querySelectorAll('div.stPlotlyChart .js-plotly-plot')[i];
            const t = gd._fullData.find(d => d.name === name);
            return t ? [Array.from(t.x), Array.from(t.y)] : null;
        }""",
        [chart, name],
    )
    assert xy is not None, f"no trace named {name!r}"
    return np.array(xy).T


def trace_names(page, chart: int) -> list[str]:
    return page.evaluate(
        """i => document.querySelectorAll('div.stPlotlyChart .js-plotly-plot')[i]
            ._fullData.map(d => d.name)""",
        chart,
    )


def test_the_real_valley_draws_the_engines_path_and_follows_the_batch_size(page, open_app):
    open_app(page, "model", wait_for=CHART)
    page.wait_for_function("document.querySelectorAll('div.stPlotlyChart').length >= 2")
    first = page.locator("div.stPlotlyChart").first
    assert first.locator("image").first.get_attribute("href").startswith("data:image/png")
    assert "w (slope)" in first.locator(".xtitle").text_content()
    lr = float(page.get_by_role("slider", name="Learning rate").get_attribute("aria-valuetext"))
    expected = simulate_on(regression_surface(True), Experiment(lr=lr, steps=200)).path
    drawn = trace_xy(page, 0, "full batch: gradient descent")
    np.testing.assert_allclose(drawn, expected, rtol=1e-5, atol=1e-6)
    assert "batch of 16" in trace_names(page, 0)

    slider = page.get_by_role("slider", name="Batch size")
    slider.focus()
    slider.press("ArrowLeft")  # 16 -> 8
    page.wait_for_function(
        """() => { const gd = document.querySelector('div.stPlotlyChart .js-plotly-plot');
            return gd && gd._fullData.some(d => d.name === 'batch of 8'); }"""
    )
    names = trace_names(page, 0)
    assert names.count("batch of 8") == 8  # one thin path per seed (the legend shows one)


def test_one_click_trains_three_networks_with_a_progress_bar(page, open_app):
    open_app(page, "model", wait_for=CHART)
    page.get_by_text("A small neural network", exact=True).click()
    page.get_by_role("button", name="Train with the suggested rate").wait_for(timeout=120_000)
    assert "learning rate (log)" in page.locator(".xtitle").first.text_content()
    steps = page.get_by_role("slider", name="Steps")
    steps.focus()
    steps.press("End")  # the longest run: several chunks, well over a second
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[type=range]')]"
        ".some(s => s.getAttribute('aria-label') === 'Steps'"
        " && s.getAttribute('aria-valuetext') === '5000')"
    )
    page.get_by_role("button", name="Train with the suggested rate").click()
    page.locator('[data-testid="stProgress"]').wait_for(state="visible", timeout=60_000)
    page.wait_for_function(
        "document.querySelectorAll('div.stPlotlyChart').length >= 2", timeout=180_000
    )
    page.locator('[data-testid="stProgress"]').wait_for(state="detached", timeout=60_000)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    runs = [m for m in metrics if m.endswith("held out") or m.startswith("diverged at step")]
    assert len(runs) == 3  # a run that blew up says so instead of an accuracy
    held_out = [m for m in runs if m.endswith("held out")]
    assert held_out and all(0 <= float(m.split("%")[0]) <= 100 for m in held_out)
    assert len([n for n in trace_names(page, 1) if n.endswith(": rate")]) == 3


def test_a_shared_link_opens_the_same_view_and_the_address_bar_follows(page, open_app):
    # An instructor's link: the network part, Adam, 200 training steps.
    query = {"part": "network", "optimizer": "adam", "steps": "200"}
    open_app(page, "model", query, wait_for=CHART)  # the range test ran
    assert page.get_by_role("radio", name="A small neural network").is_checked()
    assert page.get_by_role("combobox", name="Optimizer").input_value() == "Adam"
    assert page.evaluate("location.search") == "?part=network&optimizer=adam&steps=200"

    # Back to the valley: the link follows, and a slider step is in it at once.
    page.get_by_text("A real two-parameter valley").click()
    # Until the rerun ends, the network's batch slider (stale) may stand beside the valley's.
    page.wait_for_function(
        """() => { const s = [...document.querySelectorAll('input[aria-label="Batch size"]')];
            return s.length === 1 && s[0].getAttribute('aria-valuetext') === '16'; }"""
    )
    slider = page.get_by_role("slider", name="Batch size")
    slider.focus()
    slider.press("ArrowLeft")  # 16 -> 8
    page.wait_for_function("location.search === '?batch=8'")
