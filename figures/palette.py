"""Colours and sizes shared by every figure: colour-blind-safe, with a presentation theme.

Paths use the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008), whose eight
colours stay distinct under the common colour-vision deficiencies. The surface uses viridis,
which is perceptually uniform and readable in greyscale. A `Theme` carries sizes, so the same
builders draw for a laptop screen or for the back of a lecture hall.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe-Ito, in the order paths receive them (vermillion first: it stands out on viridis).
OKABE_ITO = {
    "vermillion": "#D55E00",
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
PATH_COLORS = tuple(OKABE_ITO[k] for k in ("vermillion", "blue", "orange", "sky", "green"))
PATH_COLORS += (OKABE_ITO["purple"], OKABE_ITO["yellow"], OKABE_ITO["black"])


@dataclass(frozen=True)
class PathStyle:
    """How one optimizer's path looks: a colour, and a dash pattern and a marker symbol (Plotly
    names) that tell it from every other optimizer without the colour."""

    color: str
    dash: str
    symbol: str


# One look per optimizer of the catalog (core/catalog/optimizers.py), whatever the order they
# are drawn in: the race, the sweep and the lessons' legends all read it here. The colours
# stay at least 10 CIEDE2000 apart under simulated protanopia, deuteranopia and tritanopia
# (tests/figures/test_palette_vision.py); dashes and symbols are all different, so a reader
# who sees no colour at all still tells the paths apart.
OPTIMIZER_STYLE = {
    "sgd": PathStyle(OKABE_ITO["vermillion"], "solid", "circle"),
    "momentum": PathStyle(OKABE_ITO["blue"], "dash", "square"),
    "nesterov": PathStyle(OKABE_ITO["orange"], "dot", "diamond"),
    "adagrad": PathStyle(OKABE_ITO["sky"], "dashdot", "triangle-up"),
    "rmsprop": PathStyle(OKABE_ITO["purple"], "longdash", "triangle-down"),
    "adam": PathStyle(OKABE_ITO["green"], "longdashdot", "cross"),
    "adamw": PathStyle(OKABE_ITO["yellow"], "8px,3px,2px,3px,2px,3px", "star"),
}
# An optimizer added to the catalog without a look of its own: black, a dash-dot-dot of its
# own and a pentagon, never any of the looks above (a test asks every catalog entry for one).
SPARE_STYLE = PathStyle(OKABE_ITO["black"], "2px,6px", "pentagon")


def optimizer_style(name: str) -> PathStyle:
    """The look of this optimizer's path (SPARE_STYLE for one without a look of its own)."""
    return OPTIMIZER_STYLE.get(name, SPARE_STYLE)


# viridis sampled at 11 stops (matplotlib's table), low values dark: the valley floor is dark.
VIRIDIS = (
    "#440154",
    "#482475",
    "#414487",
    "#355F8D",
    "#2A788E",
    "#21908D",
    "#22A884",
    "#44BF70",
    "#7AD151",
    "#BDDF26",
    "#FDE725",
)


@dataclass(frozen=True)
class Theme:
    """Sizes and colours of one way of showing the figures."""

    name: str
    font_size: int
    title_size: int
    line_width: float
    marker_size: int
    minimum_size: int
    level_alpha: float  # opacity of the level lines baked into the surface image
    text_color: str
    grid_color: str
    paper_color: str
    font_family: str = "Source Sans Pro, Arial, sans-serif"

    def color(self, i: int) -> str:
        """The i-th path colour (cycles)."""
        return PATH_COLORS[i % len(PATH_COLORS)]


SCREEN = Theme(
    name="screen",
    font_size=13,
    title_size=15,
    line_width=2.0,
    marker_size=6,
    minimum_size=14,
    level_alpha=0.45,
    text_color="#262730",
    grid_color="rgba(0,0,0,0.12)",
    paper_color="#FFFFFF",
)

# For projection: everything large, pure black on white, thicker lines and markers.
PRESENTATION = Theme(
    name="presentation",
    font_size=22,
    title_size=26,
    line_width=4.5,
    marker_size=11,
    minimum_size=24,
    level_alpha=0.7,
    text_color="#000000",
    grid_color="rgba(0,0,0,0.25)",
    paper_color="#FFFFFF",
)


def theme(present: bool) -> Theme:
    return PRESENTATION if present else SCREEN


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def colorscale(colors: tuple[str, ...] = VIRIDIS) -> list[list]:
    """A Plotly colourscale from evenly spaced stops."""
    n = len(colors) - 1
    return [[i / n, c] for i, c in enumerate(colors)]


def spaced_axes(layout: dict, theme: Theme) -> dict:
    """Keep every axis title in `layout` clear of its tick labels, at any font size: the margin
    grows to hold labels and title (automargin) and the title stands off the labels by half a
    font size. Changes `layout` in place and returns it."""
    for key, axis in layout.items():
        if not (key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict)):
            continue
        title = axis.get("title") or {}
        title = {"text": title} if isinstance(title, str) else dict(title)
        axis["automargin"] = True
        axis["title"] = {**title, "standoff": max(4, theme.font_size // 2)}
    return layout
