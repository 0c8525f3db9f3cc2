"""The learning-rate sweep page's view: the U-curve of final loss against the rate, shaded by
outcome, with theory lines; a click opens that run in the playground; grid against random search.
"""

from __future__ import annotations

import streamlit as st

from core import optimizers
from core.catalog.optimizers import CATALOG
from core.schema.experiment import OPTIMIZER_NAMES, encode
from core.valley.compare import outcome_regions
from figures.compare.race import racer_color
from figures.compare.search import search_figure
from figures.compare.ucurve import REGION_STYLE, curve_traces, loss_gap, ucurve_figure
from figures.palette import theme as figure_theme
from ui import a11y_charts as alt
from ui import cache as run_cache
from ui import theme as page_theme
from ui.a11y import describe
from ui.views import compare as ui

LR_MIN, LR_MAX, NUM_RATES = 1e-5, 10.0, 241  # six decades, 40 rates per decade
PLAYGROUND = "app_pages/playground.py"

# On a projector the chart comes first (the instructor tells the story); on a screen, the text.
INTRO = (
    f"Every rate from {LR_MIN:g} to {LR_MAX:g} ({NUM_RATES} of them, evenly spaced on a log "
    "scale), each run for the same steps from the same start, all at once. Too small a rate "
    "creeps, a good one converges, a larger one oscillates, and past the **critical rate** the "
    "walker diverges: the final loss against the rate is U-shaped. **Click a point** to open "
    "that run in the playground."
)


def clicked_point(event, figure) -> tuple[str, float] | None:
    """(optimizer, rate) of a clicked point on a final-loss curve, or None."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        index = point.get("curve_number")
        if index is None or not 0 <= index < len(figure["data"]):
            continue
        meta = figure["data"][index].get("meta") or {}
        if meta.get("role") == "final" and point.get("x") is not None:
            return meta["optimizer"], float(f"{float(point['x']):.6g}")
    return None


def _search_dict(s, floor) -> dict:
    ys = loss_gap(s.scores, floor)
    return {"name": s.name, "rates": s.rates, "ys": ys, "pick": s.pick}


def show() -> None:
    """The whole page: controls in the sidebar, the U-curve, the theory, the search duel."""
    present = ui.begin("Learning-rate sweep")
    if not present:
        st.markdown(INTRO)
    exp, surface = ui.controls(st.sidebar, seed=False)  # the seed: the search duel's box
    also = st.sidebar.multiselect(
        "Also show",
        [o for o in OPTIMIZER_NAMES if o != exp.optimizer],
        key="cmp_also",
        format_func=optimizers.TITLES.get,
    )
    problem = ui.check(exp) if surface is not None else "Fix the formula in the sidebar."
    if problem:
        st.info(problem)
        ui.finish(exp, present)
        st.stop()

    names = [exp.optimizer, *also]
    with st.spinner("Sweeping the rates (the first time on a surface compiles, a few seconds)..."):
        result = run_cache.sweep(exp, names, LR_MIN, LR_MAX, NUM_RATES)
    lrs = result.lr
    focus = result.results[exp.optimizer]
    floor = run_cache.floor_of(surface)
    theme = figure_theme(present)
    titles = {o: optimizers.TITLES[o] for o in names}
    curves = []
    for name in names:
        curves += curve_traces(
            lrs,
            result.results[name],
            name=titles[name],
            optimizer=name,
            color=racer_color(name),
            floor=floor,
            theme=theme,
            best=name == exp.optimizer,
        )
    regions = outcome_regions(lrs, focus["status"])
    critical = {}
    for name in [n for n in names if CATALOG[n].theory]:  # those theory speaks for
        rate = run_cache.critical_lr(exp if name == exp.optimizer else exp.replace(optimizer=name))
        if rate is not None:
            critical[name] = rate
    figure = ucurve_figure(
        lrs,
        curves,
        regions=regions,
        critical=critical,
        titles=titles,
        current_lr=exp.lr,
        floor=floor,
        theme=theme,
        # On a projector: the window's height below the header, title and toggle (about 10 rem).
        height=page_theme.fit_height(10.5) if present else 480,
    )
    describe(alt.sweep_text(lrs, {n: result.results[n] for n in names}, titles))
    event = st.plotly_chart(
        figure,
        key="ucurve",
        on_select="rerun",
        selection_mode="points",
        theme=None,
        config={"displayModeBar": False},
    )

    if present:
        st.markdown(INTRO)

    picked = clicked_point(event, figure)
    if picked is not None:
        name, lr = picked
        target = exp.replace(
            optimizer=name, lr=lr, params=exp.params if name == exp.optimizer else {}
        )
        st.switch_page(PLAYGROUND, query_params=encode(target, {"present": present}))

    spans = ", ".join(
        f"{REGION_STYLE[r.status][1]} {r.lo:.2g}–{r.hi:.2g}"
        for r in regions
        if r.status in REGION_STYLE
    )
    st.caption(f"{titles[exp.optimizer]}, by rate: {spans}.")
    if critical:
        st.markdown(
            "**Theory** (at the minimum nearest the start, from its curvature *L*): "
            + "; ".join(f"{titles[n]} diverges above **{v:.4g}**" for n, v in critical.items())
            + ". The dashed lines mark these rates. Above one, the walker can no longer settle in"
            " that minimum: on a bowl the 'diverges' band begins there; on a surface with other"
            " valleys it may bounce on into one of them first, because the theory is local."
        )
    elif CATALOG[exp.optimizer].adaptive:
        st.caption(
            "Adaptive optimizers rescale each step by the gradient's history, so no single "
            "critical rate follows from the curvature: there is no theory line for them."
        )
    st.page_link(
        PLAYGROUND,
        label=f"Open your rate ({exp.lr:.4g}) in the playground",
        icon=":material/open_in_new:",
        query_params=encode(exp, {"present": present}),
    )

    _search_duel(exp, floor, theme, present)
    ui.finish(exp, present)


def _search_duel(exp, floor, theme, present: bool) -> None:
    """The same budget spent on a grid of rates and on random rates, beside the dense sweep."""
    st.subheader("Grid search or random search?")
    st.markdown(
        "Two ways to spend the same budget of runs: a **grid** of evenly spaced rates (on a log "
        "scale), or **random** rates drawn log-uniformly (seeded, so the same seed gives the same "
        "draws). Each picks its lowest final loss; how close does each come to the best of the "
        "dense sweep?"
    )
    cols = st.columns(2)
    budget = cols[0].slider("Budget (runs per search)", 3, 40, 8, key="cmp_budget")
    cols[1].number_input("Random seed", min_value=0, max_value=2**31 - 1, key="cmp_seed", step=1)
    grid, rand, dense = run_cache.duel(exp, LR_MIN, LR_MAX, budget)
    dense_final = dense.results[exp.optimizer]
    alive = dense_final["status"] != "diverged"
    gaps = [
        float(g) if a else None
        for g, a in zip(loss_gap(dense_final["final_loss"], floor), alive, strict=True)
    ]

    describe(alt.search_text((grid, rand), len(dense.lr)))
    st.plotly_chart(
        search_figure(
            dense.lr,
            gaps,
            [_search_dict(grid, floor), _search_dict(rand, floor)],
            log_y=floor is not None,
            theme=theme,
        ),
        key="search",
        theme=None,
        config={"displayModeBar": False},
    )
    st.dataframe(
        [
            {
                "search": s.name,
                "picks rate": s.pick_lr,
                "its final loss": s.pick_score,
                "above the best": s.gap,
                "rate off the best by": f"{s.rate_factor:.2f}x",
            }
            for s in (grid, rand)
        ],
        hide_index=True,
        width="stretch",
        key="search_table",
        column_config={
            "picks rate": st.column_config.NumberColumn(format="%.4g"),
            "its final loss": st.column_config.NumberColumn(format="%.4g"),
            "above the best": st.column_config.NumberColumn(format="%.3g"),
        },
    )
    st.caption(
        f"The dense sweep's best: rate {grid.best_lr:.4g}, final loss {grid.best_score:.4g}. "
        "A diverged try counts as infinitely bad."
    )
    st.page_link(
        PLAYGROUND,
        label=f"Open the best rate ({grid.best_lr:.4g}) in the playground",
        icon=":material/open_in_new:",
        query_params=encode(exp.replace(lr=float(f"{grid.best_lr:.6g}")), {"present": present}),
    )
