"""The model page's landscape section: a 2D slice of the digits network's loss through the
weights trained at the suggested rate, with the three trainings' paths projected onto it
(`core.real.landscape` computes, `figures.real.landscape` draws). Cached per training and
directions' seed in the shared pool (`ui.cache`)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.real import landscape, models
from figures.real.landscape import ProjectedPath, landscape_figure, title
from ui import cache as run_cache
from ui.a11y import describe
from ui.a11y_charts import landscape_text

# Half-widths of the slice, in filter-normalised units: 1 is the paper's; the paths' shadows
# are short (see the caption), the small spans show them.
SPANS = (0.02, 0.05, 0.2, 0.5, 1.0, 2.0)


def scene(results: list, seed: int, span: float) -> dict:
    """The slice through the suggested rate's trained weights and each run's projected path;
    ValueError with a sentence for what cannot be drawn."""
    seed, size, span = landscape.check(seed, landscape.GRID_SIZE, span)
    good = results[1]
    if good.diverged_at is not None:
        raise ValueError(
            "The run at the suggested rate blew up, so there are no trained weights to slice "
            "through: pick another suggestion or a lower rate and train again."
        )
    if any(r.path is None for r in results):
        raise ValueError("These runs kept no weights along the way: press Train again.")
    net = models.get_model("mlp-digits")
    land, (d1, d2) = landscape.slice_through(net, good.params, seed, size, span)
    center, f1, f2 = landscape.flat(good.params), landscape.flat(d1), landscape.flat(d2)
    shadows = [landscape.project(r.path, center, f1, f2) for r in results]
    return {"land": land, "shadows": shadows, "steps": [r.path_steps for r in results]}


def _read_seed(raw) -> int:
    return landscape.check(raw)[0]


def show(settings: tuple, results: list, labels: list[str], colors, ftheme) -> None:
    """The section under the three trainings (same order: ÷10, suggested, ×10)."""
    st.subheader("The landscape around the trained weights")
    n = models.get_model("mlp-digits").n_params
    st.markdown(
        f"The loss has {n:,} dimensions. Cut a plane through the weights θ* trained at the "
        "suggested rate along two random directions and draw the loss on it. "
        f"{title(n)}."
    )
    c = st.columns(2)
    raw_seed = c[0].number_input("Directions' seed", value=0, step=1, key="land_seed")
    span = c[1].select_slider("Span (±)", options=SPANS, value=1.0, key="land_span")
    try:
        seed = _read_seed(raw_seed)
        with st.spinner("Cutting the slice…"):
            out = run_cache.shared(scene, ("slice", settings, seed, float(span)), results, seed,
                                   float(span))  # fmt: skip
    except ValueError as err:
        st.error(str(err))  # an engine message: plain text
        return
    land, shadows = out["land"], out["shadows"]
    paths = [
        ProjectedPath(label, color, s.coords, steps)
        for label, color, s, steps in zip(labels, colors, shadows, out["steps"], strict=True)
    ]
    fig = landscape_figure(
        land.alphas,
        land.betas,
        land.loss,
        paths,
        n_params=land.n_params,
        center_loss=land.center_loss,
        theme=ftheme,
    )
    describe(landscape_text(float(span), land.center_loss, labels, shadows))
    st.plotly_chart(fig, key="landscape", config={"displayModeBar": False})
    off = [float(np.median(s.off_plane[:-1])) if len(s.off_plane) > 1 else 0.0 for s in shadows]
    outside = [
        label for label, s in zip(labels, shadows, strict=True) if np.any(np.abs(s.coords) > span)
    ]
    reach = max(float(np.max(np.abs(s.coords))) for s in shadows)
    st.caption(
        f"{land.alphas.size}×{land.betas.size} full-batch training losses at θ* + α·d₁ + β·d₂. "
        "Each direction is Gaussian, filter-normalised (every neuron's incoming weights rescaled "
        "to the norm of its trained weights; biases' directions zero, the convention of Li et "
        "al., NeurIPS 2018), from the seed above. The paths are not on this plane: each "
        "recorded θ_t is drawn at the least-squares coordinates of θ_t − θ* in the span of "
        "d₁ and d₂, the nearest point of the plane (open circle: start; filled: end). Off "
        "the plane (median share of θ_t − θ*): "
        + ", ".join(f"{label} {100 * o:.0f}%" for label, o in zip(labels, off, strict=True))
        + ". Random directions in so many dimensions are nearly orthogonal to any path, so "
        "shadows are short unless the weights travel far, and the slice passes through θ* "
        "of the suggested rate only."
        + f" The shadows reach |α|, |β| ≤ {reach:.2g}; pick a small span to see them."
        + (f" Leaving the drawn window: {', '.join(outside)}." if outside else "")
    )
