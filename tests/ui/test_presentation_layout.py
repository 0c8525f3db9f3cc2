"""Figures for a projector: axis titles stand clear of their tick labels and legends stay off
the axes, at the presentation theme's large type; the page's root size matches its CSS.

Plotly places an axis title at `title.standoff` from the tick labels only with `automargin`
(plotly.js docs, layout.xaxis.title.standoff); without it the fixed margin decides, and at
22 px ticks the title lands on the labels ("loss f (log)" over 10^-6). A legend hung below
the plot at a fixed paper fraction lands on the x axis's title the same way.
"""

from __future__ import annotations

import numpy as np
import pytest

from figures.compare.race import Racer, race_scene
from figures.compare.search import search_figure
from figures.compare.ucurve import ucurve_figure
from figures.palette import PRESENTATION, SCREEN
from figures.valley.curves import curves_figure
from figures.valley.surface import map_layout

DOMAIN = ((-3.0, 3.0), (-2.0, 2.0))
LRS = np.geomspace(1e-3, 1.0, 7)


def _figures(theme):
    loss = np.geomspace(10.0, 1e-6, 50)
    search = {"name": "grid", "rates": LRS[:3], "ys": [1.0, 0.5, 0.1], "pick": 2}
    path = np.zeros((5, 2))
    return {
        "curves": curves_figure(loss, theme=theme)["layout"],
        "curves with rate": curves_figure(loss, np.full(49, 0.1), theme=theme)["layout"],
        "map": map_layout(DOMAIN, theme),
        "ucurve": ucurve_figure(LRS, [], theme=theme)["layout"],
        "search": search_figure(LRS, [1.0] * 7, [search], theme=theme)["layout"],
        "race": race_scene(DOMAIN, [Racer("sgd", "SGD", path)], theme=theme)["map"]["layout"],
    }


@pytest.mark.parametrize("theme", [SCREEN, PRESENTATION], ids=lambda t: t.name)
def test_every_axis_title_stands_off_its_tick_labels(theme):
    for name, layout in _figures(theme).items():
        axes = [k for k in layout if k.startswith(("xaxis", "yaxis"))]
        assert axes, name
        for key in axes:
            axis = layout[key]
            assert axis.get("automargin") is True, (name, key)
            assert axis["title"]["standoff"] >= theme.font_size // 2, (name, key)


def test_legends_stay_off_the_x_axis():
    # A legend is clear of the x axis when it sits above the plot (y >= 1), right of it
    # (x >= 1) or hangs from the figure's own bottom edge (yref "container").
    for name, layout in _figures(PRESENTATION).items():
        legend = layout.get("legend")
        if not legend or layout.get("showlegend") is False:
            continue
        clear = legend.get("y", 1.0) >= 1.0 or legend.get("x", 0.0) >= 1.0
        assert clear or legend.get("yref") == "container", (name, legend)


def test_the_root_size_used_for_chart_heights_is_the_css_clamp():
    from ui import theme

    lo, share, hi = theme.ROOT_SIZE
    assert f"clamp({lo:g}px, {share:g}vh, {hi:g}px)" in theme.PRESENT_CSS
    assert theme.root_px(720) == lo and theme.root_px(1080) == hi
    assert theme.root_px(900) == pytest.approx(share / 100 * 900)
