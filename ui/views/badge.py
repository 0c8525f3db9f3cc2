"""The outcome badge: what became of the run, at which step, and why, in one line."""

from __future__ import annotations

import html

import streamlit as st

from core.catalog.statuses import (
    FLAG_WORD,
    STATUS_COLOR,
    STATUS_ICON,
    STATUS_WORD,
    STATUSES,
    step_phrase,
)

# status -> (word, colour, text colour), from the one vocabulary in core/catalog/statuses.py.
STATUS = {s: (STATUS_WORD[s], *STATUS_COLOR[s]) for s in STATUSES}
FLAGS = FLAG_WORD
# Each status's shape before its word (a CSS rule keyed by data-status, so the page's players,
# which rewrite the word and the status in place, keep it right). Its alternative text is empty:
# the word already says it.
ICON_CSS = "".join(
    f'.gv-badge[data-status="{s}"]>span:first-child::before'
    f'{{content:"{icon}\\00a0"/"";font-weight:700}}'
    for s, icon in STATUS_ICON.items()
)

# The badge is a live region, so a screen reader says the new outcome when it changes. A rerun
# replaces the badge's HTML inside the element Streamlit keeps for it (and a dragged rate
# rewrites its words in place, figures/js/player_fan.js): that element is the live region,
# since a region must already be on the page before its content changes to be announced.
LIVE_JS = (
    "<script>(function(s){var box=s&&s.parentElement;if(!box)return;"
    'box.setAttribute("role","status");box.setAttribute("aria-live","polite");'
    'box.setAttribute("aria-atomic","true");box.setAttribute("aria-label","Outcome");'
    "})(document.currentScript);</script>"
)


def badge_html(outcome) -> str:
    """The badge as HTML (status word, step, flags and the engine's explanation)."""
    word, background, text = STATUS.get(outcome.status, (outcome.status, "#444444", "#FFFFFF"))
    step = step_phrase(outcome.status, outcome.step)
    flags = "".join(
        f'<span class="gv-flag">{html.escape(FLAGS.get(f, f))}</span>' for f in outcome.flags
    )
    return (
        f'<div class="gv-badge" data-status="{html.escape(outcome.status)}" '
        'style="display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin:.2rem 0 .4rem">'
        f'<span style="background:{background};color:{text};font-weight:700;'
        'padding:.15rem .7rem;border-radius:1rem;font-size:1.05em">'
        f"{html.escape(word)}{html.escape(step)}</span>"
        f"<span>{html.escape(outcome.explanation)}</span>{flags}</div>"
        "<style>.gv-flag{border:1px solid currentColor;border-radius:1rem;padding:0 .5rem;"
        f"font-size:.85em;opacity:.8}}{ICON_CSS}</style>{LIVE_JS}"
    )


def show(outcome, container=st) -> None:
    container.html(badge_html(outcome), unsafe_allow_javascript=True)
