"""Accessibility facts checked without a browser: every colour that carries text meets WCAG
AA's 4.5:1 on what it sits on (WCAG 2.x's contrast ratio, checked against its well-known
values), and the one sentence for a run's chart names that run (ui/a11y.py)."""

from __future__ import annotations

import re
import tomllib

import pytest
import streamlit as st

from core.catalog.statuses import STATUS_COLOR, STATUS_WORD
from core.schema.experiment import Experiment
from core.valley.simulation import simulate
from tests.paths import REPO
from ui import a11y
from ui.views.badge import LIVE_JS, badge_html


def _luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour "#RRGGBB"."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_gives_the_known_ratios():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # AA's grey
    assert contrast("#FF4B4B", "#FFFFFF") < 4.5  # Streamlit's accent fails with white


@pytest.mark.parametrize("status", sorted(STATUS_COLOR))
def test_badge_words_readable_on_their_colour(status):
    background, text = STATUS_COLOR[status]
    assert contrast(background, text) >= 4.5, (status, contrast(background, text))


def test_page_colours_meet_aa():
    assert contrast(a11y.CAPTION, "#FFFFFF") >= 4.5
    assert contrast(a11y.CAPTION, "#F8F8F7") >= 4.5  # the sidebar
    assert contrast(a11y.SELECTED, "#F3E5E6") >= 4.5  # a selected option's tint
    assert contrast(a11y.FOCUS, "#FFFFFF") >= 3.0  # a focus indicator: 3:1 (WCAG 1.4.11)
    primary = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["theme"]
    assert contrast(primary["primaryColor"], "#FFFFFF") >= 4.5  # white on primary buttons
    css = (REPO / "ui" / "controls" / "rate_slider" / "rate_slider.css").read_text()
    value = re.search(r"\.gv-rate-value \{[^}]*color: (#[0-9a-fA-F]{6})", css).group(1)
    assert contrast(value, "#F8F8F7") >= 4.5  # the rate's number in the sidebar


def test_run_text_names_the_run():
    exp = Experiment(surface="rosenbrock", optimizer="adam", lr=0.02, steps=500)
    run = simulate(exp)
    text = a11y.run_text(run)
    assert "Rosenbrock" in text and "Adam" in text and "learning rate 0.02" in text
    assert "(-1.5, 2)" in text  # the surface's start
    assert STATUS_WORD[run.outcome.status].lower() in text.lower()
    assert f"step {run.outcome.step}" in text
    big = simulate(Experiment(surface="bowl", lr=1.5))
    assert "diverged at step" in a11y.run_text(big)


def test_badge_carries_its_live_region():
    run = simulate(Experiment())
    assert LIVE_JS in badge_html(run.outcome)
    assert 'aria-live","polite"' in LIVE_JS and '"role","status"' in LIVE_JS


def test_walkers_text_counts_every_walker():
    text = a11y.walkers_text(
        "The round bowl", 0.05, {"minimum (0, 0), global": 380, "x": 0, "diverged": 20}
    )
    assert text.startswith("Map of the round bowl, 400 walkers at learning rate 0.05")
    assert "minimum (0, 0), global: 380" in text and "diverged: 20" in text and "x:" not in text


@pytest.mark.parametrize("emit", ["style", "touch"])
def test_page_styles_ride_on_a_hidden_element(monkeypatch, emit):
    """Style-only st.html may land in Streamlit's event container and miss the page: each
    style is sent with an element (hidden by a11y's own rule), never as a bare <style>."""
    from ui import theme

    sent = []
    monkeypatch.setattr(st, "html", sent.append)
    {"style": a11y.style, "touch": theme.touch}[emit]()
    (body,) = sent
    assert "<style>" in body and body.rstrip().endswith(a11y.STYLE_HOST)
    assert re.search(r":has\(\.gv-style-host\) \{ display: none !important; \}", a11y.STYLE)
