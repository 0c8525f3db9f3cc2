"""The model page's legends stand clear of their plots in Chromium: every legend's box ends
``CLEAR`` px above the top edge of its plot area (the valley map, the noise study, the range
test), not on the frame or over the top of the curves."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CHART = "div.stPlotlyChart .main-svg"
CLEAR = 8  # px of clear space between a legend's box and its plot's top edge
LEGEND_OVERLAP = """() => [...document.querySelectorAll('div.stPlotlyChart .js-plotly-plot')]
    .map(gd => {
        const legend = gd.querySelector('g.legend rect.bg');
        if (!legend) return null;
        const plotTop = gd.getBoundingClientRect().top + gd._fullLayout._size.t;
        return legend.getBoundingClientRect().bottom - plotTop;  // > 0: it covers the plot
    })"""


def overlaps(page, count: int) -> list[float]:
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= {count}")
    page.wait_for_timeout(500)  # the last relayout (legend rows, margins) has run
    return [v for v in page.evaluate(LEGEND_OVERLAP) if v is not None]


def test_no_legend_covers_its_plot(page, open_app):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_app(page, "model", wait_for=CHART)
    valley = overlaps(page, 2)
    assert len(valley) == 2 and max(valley) <= -CLEAR, valley  # the map and the noise study
    page.get_by_text("A small neural network", exact=True).click()
    page.get_by_role("button", name="Train with the suggested rate").wait_for(timeout=120_000)
    network = overlaps(page, 1)
    assert network and max(network) <= -CLEAR, network  # the range test
