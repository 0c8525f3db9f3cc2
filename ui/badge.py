"""The outcome badge: what became of the run, at which step, and why, in one line."""

from __future__ import annotations

import html

import streamlit as st

# status -> (word, colour): Okabe-Ito colours, each readable with black or white text.
STATUS = {
    "converged": ("Converged", "#009E73", "#FFFFFF"),
    "diverged": ("Diverged", "#D55E00", "#FFFFFF"),
    "oscillating": ("Oscillating", "#E69F00", "#000000"),
    "too_slow": ("Too slow", "#56B4E9", "#000000"),
    "stalled": ("Stalled", "#CC79A7", "#000000"),
}
FLAGS = {
    "overshoot": "overshoots",
    "oscillation": "zig-zags",
    "local_minimum": "caught in a local minimum",
}


def badge_html(outcome) -> str:
    """The badge as HTML (status word, step, flags and the engine's explanation)."""
    word, background, text = STATUS.get(outcome.status, (outcome.status, "#444444", "#FFFFFF"))
    step = "" if outcome.step is None else f" at step {int(outcome.step)}"
    flags = "".join(
        f'<span class="gv-flag">{html.escape(FLAGS.get(f, f))}</span>' for f in outcome.flags
    )
    return (
        f'<div class="gv-badge" role="status" data-status="{html.escape(outcome.status)}" '
        'style="display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin:.2rem 0 .4rem">'
        f'<span style="background:{background};color:{text};font-weight:700;'
        'padding:.15rem .7rem;border-radius:1rem;font-size:1.05em">'
        f"{html.escape(word)}{html.escape(step)}</span>"
        f"<span>{html.escape(outcome.explanation)}</span>{flags}</div>"
        "<style>.gv-flag{border:1px solid currentColor;border-radius:1rem;padding:0 .5rem;"
        "font-size:.85em;opacity:.8}</style>"
    )


def show(outcome, container=st) -> None:
    container.html(badge_html(outcome))
