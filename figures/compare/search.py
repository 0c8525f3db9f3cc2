"""Grid search against random search on the same budget of runs, over the dense U-curve.

Every rate each search tried, and the one it picks ringed, on top of the dense sweep's curve
(grey), so "how close did each come to the best?" can be read off. Arrays in, figure dicts out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figures.palette import OKABE_ITO, SCREEN, Theme, spaced_axes


def search_figure(
    lrs, gaps, searches: Sequence, *, log_y: bool = True, theme: Theme = SCREEN, height: int = 340
):
    """Grid and random search on the same budget, over the dense curve (grey): every rate each
    tried, and its pick ringed. `gaps` is the dense sweep's loss-above-floor (None: diverged);
    each search carries rates, their y values (`ys`) and its pick index."""
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "every rate (dense sweep)",
            "x": [float(v) for v in lrs],
            "y": list(gaps),
            "line": {"color": "#9A9A9A", "width": max(1.0, theme.line_width - 0.5)},
            "hoverinfo": "skip",
        }
    ]
    styles = {"grid": ("square", OKABE_ITO["blue"]), "random": ("triangle-up", OKABE_ITO["orange"])}
    for s in searches:
        symbol, color = styles[s["name"]]
        ys = [None if y is None or not np.isfinite(y) else float(y) for y in s["ys"]]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{s['name']} search ({len(s['rates'])} tries)",
                "x": [float(v) for v in s["rates"]],
                "y": ys,
                "marker": {"symbol": symbol, "color": color, "size": theme.marker_size + 3},
                "hovertemplate": f"{s['name']}: rate %{{x:.4g}}<br>%{{y:.3g}}<extra></extra>",
            }
        )
        pick_y = ys[s["pick"]]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{s['name']} search's pick",
                "x": [float(s["rates"][s["pick"]])],
                "y": [pick_y],
                "marker": {
                    "symbol": f"{symbol}-open",
                    "color": color,
                    "size": theme.marker_size + 14,
                    "line": {"width": 3, "color": color},
                },
                "hovertemplate": f"{s['name']} picks %{{x:.4g}}<extra></extra>",
            }
        )
    layout = {
        "xaxis": {
            "type": "log",
            "title": {"text": "learning rate (log scale)"},
            "exponentformat": "power",
            "gridcolor": theme.grid_color,
        },
        "yaxis": {
            "type": "log" if log_y else "linear",
            "title": {"text": "final loss above the minimum" if log_y else "final loss"},
            "exponentformat": "power",
            "gridcolor": theme.grid_color,
        },
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 20, "b": 60},
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": "#FFFFFF",
        # Above the plot: below it, the legend covered the x axis's title.
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    }
    return {"data": data, "layout": spaced_axes(layout, theme)}
