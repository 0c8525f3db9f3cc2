"""Accessibility shared by every page: the style every page gets (a visible focus ring,
captions and selected options readable at WCAG AA contrast, text for screen readers only)
and the one sentence that says what a run's chart shows, for its text alternative.

`style()` runs once per script run from app.py, before the page. `run_text(run)` is the
sentence for a valley run (surface, start, optimizer, rate, outcome and its step): the
players put it on their map (`scene["alt"]`, role="img"), `describe()` puts it beside a
chart drawn by `st.plotly_chart`, hidden from sight but read by screen readers.
"""

from __future__ import annotations

import html

import streamlit as st

from core.catalog.optimizers import entry as optimizer_entry
from core.catalog.statuses import FLAG_WORD, status_word, step_phrase

# Contrast ratios are WCAG 2.x's, (L1 + 0.05) / (L2 + 0.05); AA asks 4.5:1 for text.
CAPTION = "#55544f"  # Streamlit's caption grey (#828180) is 3.9:1 on white; this is 7.4:1
SELECTED = "#9b1c2a"  # a selected segmented-control option: 6.6:1 on its pink (4.2:1 before)
FOCUS = "#1c62b9"  # the focus ring: 6.0:1 on white, 3:1 asked of a focus indicator

STYLE = f"""<style>
/* Focus always visible (WCAG 2.4.7), on our controls and Streamlit's alike. */
:focus-visible {{ outline: 3px solid {FOCUS} !important; outline-offset: 2px !important; }}
/* Radios, checkboxes and toggles hide their input: the ring goes round the label. */
label:has(> input:focus-visible), label:has(input[type="radio"]:focus-visible),
label:has(input[type="checkbox"]:focus-visible) {{
  outline: 3px solid {FOCUS}; outline-offset: 2px; border-radius: .3rem;
}}
/* Streamlit draws captions in the text colour at 60 % opacity (2.9:1 on white). */
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] code {{
  color: {CAPTION} !important;
}}
[data-testid="stButtonGroup"] button[data-selected="true"],
[data-testid="stButtonGroup"] button[data-selected="true"] p {{ color: {SELECTED} !important; }}
/* Asked for less motion: nothing slides, fades or spins by itself (the players never
   play by themselves either: they show the whole path until Play is pressed). */
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{
    animation-duration: 0s !important; animation-iteration-count: 1 !important;
    transition-duration: 0s !important; scroll-behavior: auto !important;
  }}
}}
/* Read by screen readers, not shown; an element holding only such text takes no room. */
.gv-sr-only {{
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}}
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > .gv-sr-only:only-child) {{
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
}}
/* The element that carries this style takes no room (its style applies all the same). */
[data-testid="stElementContainer"]:has(.gv-style-host) {{ display: none !important; }}
</style>"""
# A hidden element for a style to ride on (style-only HTML may land in the event container).
STYLE_HOST = '<span class="gv-style-host"></span>'
STYLE += STYLE_HOST


def style() -> None:
    """The page's accessibility style. Not style-only HTML: Streamlit sends that to its event
    container, where it was seen missing from some pages' runs; a hidden element instead."""
    st.html(STYLE)


def point(xy) -> str:
    return f"({float(xy[0]):.3g}, {float(xy[1]):.3g})"


def _surface(title: str) -> str:
    """A surface's title inside a sentence: "the round bowl", "Booth's function"."""
    return "the " + title[4:] if title.startswith("The ") else title


def run_text(run) -> str:
    """What a valley run's chart shows, in one sentence: "Map of Rosenbrock's banana valley:
    Adam at learning rate 0.02 from (-1.5, 2): converged at step 312."."""
    exp = run.experiment
    title = optimizer_entry(exp.optimizer).title
    outcome = run.outcome
    flags = [FLAG_WORD.get(f, f) for f in outcome.flags]
    said = status_word(outcome.status) + step_phrase(outcome.status, outcome.step)
    if flags:
        said += " (" + ", ".join(flags) + ")"
    surface = _surface(run.surface.title)
    if exp.surface == "custom":
        surface += f" f(x, y) = {exp.formula}"
    return (
        f"Map of {surface}: {title} at learning rate {exp.lr:g} "
        f"from {point(run.resolved.start)}: {said}."
    )


def race_text(surface_title: str, start, racers: list[str]) -> str:
    """What the race's map shows before it is played (its outcome is the leaderboard's)."""
    return (
        f"Race map of {_surface(surface_title)}: {', '.join(racers)} from {point(start)}. "
        "Press Play to watch them; the leaderboard follows."
    )


def walkers_text(surface_title: str, lr: float, ends: dict[str, int]) -> str:
    """What a many-walkers map shows: where the walkers from a grid of starts end."""
    where = "; ".join(f"{name}: {n}" for name, n in ends.items() if n)
    total = sum(ends.values())
    return (
        f"Map of {_surface(surface_title)}, {total} walkers at learning rate {lr:.4g}, "
        f"where they end: {where}."
    )


def describe(text: str, container=st) -> None:
    """A chart's text alternative just before it: read by screen readers, never shown."""
    container.html(f'<p class="gv-sr-only">{html.escape(text)}</p>')
