"""The many-walkers page's view: a grid of start points, each tile coloured by the valley its
walker ends in, at the learner's rate and (beside it) at a multiple of it.
"""

from __future__ import annotations

import streamlit as st

from core.valley.compare import basin_counts
from figures.compare.basins import basin_name, basins_figure
from figures.palette import theme as figure_theme
from ui import a11y
from ui import cache as run_cache
from ui import theme as page_theme
from ui.views import compare as ui

COMPARE = {"none": None, "÷10": 0.1, "÷3": 1 / 3, "×3": 3.0, "×10": 10.0}
INTRO = (
    "A walker starts from every tile of the grid, all with the same optimizer, rate and number "
    "of steps, all at once. Each tile takes the colour of the minimum its walker settles in: "
    "these are the **basins of attraction**. Black tiles diverged (the walker left the map), "
    "grey ones did not settle within the steps. Each surface opens at a rate that settles its "
    "walkers: on Himmelblau's function and the six-hump camel, raise the rate a few notches and "
    "watch walkers overshoot into other valleys; the map beside it, at three times the rate, "
    "shows what too large a rate does: walkers that no longer settle (grey) or diverge (black)."
)

SENDING = "Sending out the walkers (the first time on a surface compiles, a few seconds)..."


def show() -> None:
    """The whole page: controls in the sidebar, one basin map per rate with its shares."""
    present = ui.begin("Many walkers")
    st.markdown(INTRO)
    exp, surface = ui.controls(st.sidebar, start=False)
    exp = exp.replace(start=None)  # every tile is a start; the link keeps none
    per_side = st.sidebar.slider(
        "Starts per side", 20, 50, 20, step=5, key="cmp_per_side", help="20 per side: 400 walkers."
    )
    other = st.sidebar.segmented_control(
        "Compare with a rate", list(COMPARE), default="×3", key="cmp_compare"
    )
    problem = ui.check(exp) if surface is not None else "Fix the formula in the sidebar."
    if problem:
        st.info(problem)
        ui.finish(exp, present)
        st.stop()

    factor = COMPARE.get(other or "none")
    rates = [exp.lr] if factor is None else [exp.lr, float(f"{exp.lr * factor:.6g}")]
    rates = [r for r in rates if 1e-7 <= r <= 100.0]
    theme = figure_theme(present)
    background = run_cache.background(exp.surface, exp.formula, present)
    with st.spinner(SENDING):
        results = [run_cache.walkers(exp.replace(lr=r), per_side) for r in rates]

    columns = st.columns(len(results))
    for i, (col, lr, res) in enumerate(zip(columns, rates, results, strict=True)):
        label = "your rate" if i == 0 else f"{other} your rate"
        figure = basins_figure(
            surface.domain,
            res.starts,
            res.basin,
            surface.minima,
            per_side=per_side,
            background=background,
            theme=theme,
            title=f"rate {lr:.4g} ({label})",
            # On a projector: the window's height below the header, title and the text above.
            height=page_theme.fit_height(20.5) if present else 500,
        )
        ends = basin_counts(res.basin, len(surface.minima))
        ends = {basin_name(k, surface.minima): n for k, n in ends.items()}
        a11y.describe(a11y.walkers_text(surface.title, lr, ends), col)
        col.plotly_chart(figure, key=f"basins_{i}", theme=None, config={"displayModeBar": False})
        counts = basin_counts(res.basin, len(surface.minima))
        total = len(res.basin)
        col.dataframe(
            [
                {"ends in": basin_name(k, surface.minima), "walkers": n, "share": n / total}
                for k, n in counts.items()
                if n
            ],
            hide_index=True,
            width="stretch",
            key=f"shares_{i}",
            column_config={
                "share": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)
            },
        )
    ui.finish(exp, present)
