"""The class's answers as a bar chart: one bar an option, the right one marked after the reveal."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from core.catalog.statuses import STATUS_COLOR

RIGHT = STATUS_COLOR["converged"][0]  # the colour the app gives a good outcome
OTHER = "#8C8C8C"
WRONG_REVEALED = "#C8C8C8"


def answers_figure(options, counts, answer: int | None = None, title: str = "") -> go.Figure:
    """Horizontal bars of ``counts`` per option (top to bottom in the options' order);
    ``answer`` (after the reveal) is drawn in the right answer's colour, the others grey."""
    labels = [html.escape(str(o)) for o in options]  # Plotly reads tags in text: show them
    if answer is None:
        colors = [OTHER] * len(options)
    else:
        colors = [RIGHT if i == answer else WRONG_REVEALED for i in range(len(options))]
    fig = go.Figure(
        go.Bar(
            x=list(counts),
            y=labels,
            orientation="h",
            marker_color=colors,
            text=[str(c) for c in counts],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title=html.escape(title),
        height=70 + 48 * len(options),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        yaxis=dict(autorange="reversed"),
        xaxis=dict(rangemode="tozero", dtick=1 if max(counts, default=0) < 10 else None),
        font=dict(size=18),
        showlegend=False,
    )
    return fig
