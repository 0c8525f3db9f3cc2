"""A loss surface as a picture: filled contours with log-spaced levels, level lines, minima.

The surface is drawn once as a PNG (bands of colour plus anti-aliased level lines) and laid
under the axes as a layout image. An image costs nothing to redraw, does not vanish when an
animation plays (a Plotly ``contour`` trace does, plotly.js #4491), and can be cached by the
browser while only the path changes. Levels are log-spaced above the lowest value, so the
valley floor keeps as many lines as the steep walls.

Everything here is arrays in, plain dicts (Plotly figure JSON) out.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence

import numpy as np

from figures.palette import SCREEN, VIRIDIS, Theme, hex_to_rgb, spaced_axes

Domain = tuple[tuple[float, float], tuple[float, float]]


def grid(fn: Callable, domain: Domain, nx: int = 200, ny: int = 200):
    """Evaluate an elementwise ``fn(x, y)`` at cell centres of an ``nx`` x ``ny`` grid.

    Returns (xs, ys, z) with z[j, i] = fn(xs[i], ys[j]) as float64; non-finite values (a
    formula that overflows) become NaN, and callers treat NaN as "off the chart".
    """
    (x0, x1), (y0, y1) = domain
    xs = x0 + (np.arange(nx) + 0.5) * (x1 - x0) / nx
    ys = y0 + (np.arange(ny) + 0.5) * (y1 - y0) / ny
    xx, yy = np.meshgrid(xs.astype(np.float32), ys.astype(np.float32))
    with np.errstate(all="ignore"):
        z = np.asarray(fn(xx, yy), dtype=np.float64)
    z = np.broadcast_to(z, xx.shape).copy()
    z[~np.isfinite(z)] = np.nan
    return xs, ys, z


def log_levels(
    z: np.ndarray,
    n: int = 16,
    floor: float | None = None,
    decades: float | None = None,
    low_quantile: float = 0.01,
):
    """``n`` contour levels between the lowest and highest value, log-spaced above the lowest.

    ``floor`` is the value the spacing starts from (e.g. the global minimum, when known). The
    first level sits ``decades`` orders of magnitude below the full range above the floor; by
    default it sits at the ``low_quantile`` of the values above the floor (at most 8 decades
    down), so that a surface whose walls are 10^5 times higher than its floor (Beale,
    Goldstein-Price) still shows bands along that floor.
    """
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return np.linspace(0.0, 1.0, n)
    lo = float(finite.min()) if floor is None else min(float(floor), float(finite.min()))
    gaps = finite - lo
    span = float(gaps.max())
    if not span > 0:
        return lo + np.linspace(0.0, 1.0, n)
    if decades is not None:
        first = span * 10.0**-decades
    else:
        positive = gaps[gaps > 0]
        first = max(float(np.quantile(positive, low_quantile)), span * 1e-8)
        first = min(first, span * 1e-2)  # at least two decades of levels
    return lo + np.geomspace(first, span, n)


def _bands(z: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Band index per cell: 0 below the first level ... len(levels) above the last."""
    band = np.searchsorted(levels, np.nan_to_num(z, nan=np.inf))
    return band.astype(np.int32)


def _band_colors(n_bands: int, colors: Sequence[str]) -> np.ndarray:
    """An (n_bands, 3) table sampling the colour stops evenly (interpolated in RGB)."""
    stops = np.array([hex_to_rgb(c) for c in colors], dtype=np.float64)
    t = np.linspace(0.0, 1.0, n_bands) * (len(stops) - 1)
    i = np.minimum(t.astype(int), len(stops) - 2)
    f = (t - i)[:, None]
    return stops[i] * (1 - f) + stops[i + 1] * f


def render_png(
    z: np.ndarray,
    levels: np.ndarray,
    *,
    colors: Sequence[str] = VIRIDIS,
    line_alpha: float = 0.45,
    supersample: int = 2,
) -> bytes:
    """Filled contour bands with level lines, as PNG bytes (row 0 is the top of the domain).

    ``z`` is sampled ``supersample`` times finer than the image in each direction; each image
    pixel averages its sub-samples, which anti-aliases the lines and band edges.
    """
    from PIL import Image  # Pillow ships with Streamlit; imported late to keep imports cheap

    band = _bands(z, levels)
    table = _band_colors(len(levels) + 1, colors)
    rgb = table[band]
    # A level line runs where the band changes between neighbouring sub-samples.
    edge = np.zeros(band.shape, dtype=bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    # Lines contrast with the band under them: dark on light bands, white on dark ones.
    luminance = rgb @ np.array([0.2126, 0.7152, 0.0722])
    line = np.where(luminance[..., None] > 128, 0.0, 255.0)
    rgb = np.where(edge[..., None], rgb * (1 - line_alpha) + line * line_alpha, rgb)
    rgb[~np.isfinite(z)] = (235.0, 235.0, 235.0)  # undefined: light grey, never black
    s = max(1, int(supersample))
    h, w = (rgb.shape[0] // s) * s, (rgb.shape[1] // s) * s
    rgb = rgb[:h, :w].reshape(h // s, s, w // s, s, 3).mean(axis=(1, 3))
    image = Image.fromarray(np.flipud(np.round(rgb)).astype(np.uint8), "RGB")
    # Few distinct colours: an adaptive palette keeps the PNG small at no visible cost.
    image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def surface_png(
    fn: Callable,
    domain: Domain,
    *,
    floor: float | None = None,
    size: int = 360,
    n_levels: int = 16,
    theme: Theme = SCREEN,
) -> bytes:
    """The background picture of a surface: ``size`` pixels on the longer side."""
    (x0, x1), (y0, y1) = domain
    aspect = (y1 - y0) / (x1 - x0)
    nx, ny = (
        (size, max(8, round(size * aspect)))
        if aspect <= 1
        else (
            max(8, round(size / aspect)),
            size,
        )
    )
    s = 2
    _, _, z = grid(fn, domain, nx * s, ny * s)
    levels = log_levels(z, n_levels, floor)
    return render_png(z, levels, line_alpha=theme.level_alpha, supersample=s)


def background_image(source: str, domain: Domain) -> dict:
    """A layout image stretched exactly over the domain, under the traces."""
    (x0, x1), (y0, y1) = domain
    return {
        "source": source,
        "xref": "x",
        "yref": "y",
        "x": x0,
        "y": y1,
        "sizex": x1 - x0,
        "sizey": y1 - y0,
        "sizing": "stretch",
        "layer": "below",
        "xanchor": "left",
        "yanchor": "top",
    }


def minima_trace(minima: Sequence, theme: Theme = SCREEN) -> dict:
    """The known minima as stars: filled white for global, hollow for local ones.

    ``minima`` holds objects with x, y, value and is_global (core.valley.surfaces.Minimum).
    """
    xs = [float(m.x) for m in minima]
    ys = [float(m.y) for m in minima]
    kinds = ["global minimum" if m.is_global else "local minimum" for m in minima]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": "minima",
        "x": xs,
        "y": ys,
        "customdata": [[k, float(m.value)] for k, m in zip(kinds, minima, strict=True)],
        "hovertemplate": "%{customdata[0]}<br>(%{x:.4g}, %{y:.4g})<br>f = %{customdata[1]:.4g}"
        "<extra></extra>",
        "marker": {
            "symbol": ["star" if m.is_global else "star-open" for m in minima],
            "size": theme.minimum_size,
            "color": "#FFFFFF",
            "line": {"color": "#000000", "width": 1.5 if theme.name == "screen" else 2.5},
        },
        "showlegend": False,
    }


def map_layout(
    domain: Domain,
    theme: Theme = SCREEN,
    *,
    title: str | None = None,
    image: str | None = None,
    height: int = 520,
    equal_aspect: bool = True,
) -> dict:
    """Axes fixed on the surface's domain (never rescaled by the data), with the image under.

    ``image`` is the background's URL or data URI ("" reserves the slot for a picture the
    client fills in; None: no background).
    """
    (x0, x1), (y0, y1) = domain
    axis = {
        "showgrid": False,
        "zeroline": False,
        "ticks": "outside",
        "mirror": True,
        "showline": True,
        "linecolor": theme.text_color,
        "autorange": False,
        "fixedrange": True,
        "tickfont": {"size": theme.font_size},
        "title": {"font": {"size": theme.font_size}},
    }
    layout = {
        "xaxis": {**axis, "range": [x0, x1], "title": {**axis["title"], "text": "x"}},
        "yaxis": {**axis, "range": [y0, y1], "title": {**axis["title"], "text": "y"}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 44 if title else 16, "b": 50},
        "font": {"size": theme.font_size, "color": theme.text_color, "family": theme.font_family},
        "paper_bgcolor": theme.paper_color,
        "plot_bgcolor": "#EBEBEB",
        "dragmode": False,
        "hovermode": "closest",
        "showlegend": True,
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": theme.font_size},
            "bgcolor": "rgba(255,255,255,0.6)",
        },
        "uirevision": "map",
    }
    if equal_aspect:
        layout["yaxis"] |= {"scaleanchor": "x", "scaleratio": 1, "constrain": "domain"}
        layout["xaxis"] |= {"constrain": "domain"}
    if title:
        layout["title"] = {"text": title, "font": {"size": theme.title_size}, "x": 0.01}
    if image is not None:
        layout["images"] = [background_image(image, domain)]
    return spaced_axes(layout, theme)  # titles clear of the tick labels at any font size
