"""The look the model page's figures share: axes, the plot's frame, legends above the plot.

Arrays in, Plotly figure dicts out; never imports Streamlit.
"""

from __future__ import annotations

from figures.palette import Theme


def axis_style(theme: Theme) -> dict:
    return {
        "showline": True,
        "mirror": True,
        "linecolor": theme.text_color,
        "gridcolor": theme.grid_color,
        "ticks": "outside",
        "tickfont": {"size": theme.font_size},
        "fixedrange": True,
        "title": {"font": {"size": theme.font_size}},
    }


LEGEND_GAP = 14  # px between the legend's last row and the top of the plot area


def legend_above(height: int, margin: dict) -> dict:
    """A horizontal legend wholly above the plot area: its lowest row ``LEGEND_GAP`` px above
    the plot's top edge (Plotly grows the top margin to fit its rows), on a clear background,
    so neither the legend nor its box ever covers a curve, a tick or the frame."""
    plot_height = max(height - margin["t"] - margin["b"], 1)
    return {
        "orientation": "h",
        "x": 0,
        "y": 1 + LEGEND_GAP / plot_height,  # paper coordinates: 1 is the plot's top edge
        "yanchor": "bottom",
        "bgcolor": "rgba(0,0,0,0)",
    }


def base_layout(theme: Theme, height: int) -> dict:
    margin = {"l": 70, "r": 20, "t": 40, "b": 56}
    return {
        "height": height,
        "margin": margin,
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": theme.paper_color,
        "hovermode": "closest",
        "legend": legend_above(height, margin),
    }
