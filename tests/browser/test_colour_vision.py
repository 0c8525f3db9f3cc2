"""Colour vision in real Chromium: the race's optimizer colours and the outcome badges, seen
through Chromium's own colour-vision-deficiency emulation (CDP
`Emulation.setEmulatedVisionDeficiency`: protanopia, deuteranopia, tritanopia).

The Race page is opened with every optimizer; the colours its map draws the racers in are read
from the chart and painted as swatches in the page, and the outcome badges (the page's own
badge HTML, one per outcome) are put beside them. Each is screenshotted under each emulation
and its pixels compared: (1) with tests/colour_vision.py's NumPy model of the same deficiency
(Machado et al. 2009), which must agree with Chromium's within a few ΔE2000; (2) with each
other: every pair at least tests/figures/test_palette_vision.py's THRESHOLD apart, as Chromium
shows them.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image

from core.catalog.optimizers import CATALOG
from core.catalog.statuses import STATUS_COLOR, STATUSES
from figures.palette import optimizer_style
from tests.colour_vision import MACHADO, ciede2000, hex_rgb, lab, simulate
from tests.figures.test_palette_vision import THRESHOLD
from ui.views.badge import badge_html

pytestmark = pytest.mark.browser

AGREE = 4.0  # ΔE2000 between Chromium's emulation and the NumPy model (8-bit rounding, filters)
SWATCH = 36  # px

# The chart's racers: (optimizer, line colour) as plotly.js resolved them.
RACER_COLORS_JS = """() => {
  const gd = document.querySelector('.gvr-map.js-plotly-plot');
  return gd._fullData.filter(t => t.meta && t.meta.role === 'race-path')
    .map(t => [t.meta.optimizer, t.line.color]);
}"""

# Swatches of the racers' colours and one badge per outcome, on top of the page.
PAINT_JS = """([colors, badges]) => {
  const box = document.createElement('div');
  box.id = 'gv-vision-probe';
  box.style.cssText = 'position:fixed;left:0;top:0;z-index:999999;background:#fff;padding:8px';
  for (const [name, color] of colors) {
    const s = document.createElement('div');
    s.dataset.probe = name;
    s.style.cssText = `width:${SIZE}px;height:${SIZE}px;background:${color};margin:4px`;
    box.appendChild(s);
  }
  for (const [name, html] of badges) {
    const b = document.createElement('div');
    b.innerHTML = html;
    b.querySelector('.gv-badge > span').dataset.probe = name;
    box.appendChild(b);
  }
  document.body.appendChild(box);
}""".replace("SIZE", str(SWATCH))


def _outcome(status: str):
    from types import SimpleNamespace

    return SimpleNamespace(status=status, step=1, flags=(), explanation="")


def _seen(page, probe: str) -> np.ndarray:
    """The mean sRGB (0..1) of the probe's left part (a badge: its padding, left of the word)."""
    box = page.locator(f'[data-probe="{probe}"]').bounding_box()
    clip = {"x": box["x"] + 2, "y": box["y"] + box["height"] / 2 - 2, "width": 6, "height": 4}
    pixels = np.asarray(Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB"))
    return pixels.reshape(-1, 3).mean(axis=0) / 255.0


@pytest.fixture(scope="module")
def race_page(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)  # a fresh server's first race finds its rates: ~1 min
    page.goto(f"{server_url}/race")
    page.locator(".gvr-map .main-svg").first.wait_for()
    yield page
    context.close()


def test_race_and_badges_stay_apart_under_chromiums_emulation(race_page):
    page = race_page
    racers = page.evaluate(RACER_COLORS_JS)
    # The race draws every optimizer in its colour from the one source.
    assert {name for name, _ in racers} == set(CATALOG)
    for name, color in racers:
        assert color.lower() == optimizer_style(name).color.lower(), name
    badges = [[s, badge_html(_outcome(s))] for s in STATUSES]
    page.evaluate(PAINT_JS, [racers, badges])
    expected = {name: color for name, color in racers}
    expected |= {s: STATUS_COLOR[s][0] for s in STATUSES}
    groups = {"optimizers": [n for n, _ in racers], "outcomes": list(STATUSES)}

    cdp = page.context.new_cdp_session(page)
    problems, report = [], []
    try:
        for vision in ("none", *MACHADO):
            cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": vision})
            seen = {name: lab(_seen(page, name)) for name in expected}
            model = "normal" if vision == "none" else vision
            for name, color in expected.items():
                off = float(ciede2000(seen[name], lab(simulate(hex_rgb(color), model))))
                if off > AGREE:
                    problems.append(f"{vision} {name}: Chromium and the model differ by {off:.1f}")
            for group, names in groups.items():
                gaps = {
                    (a, b): float(ciede2000(seen[a], seen[b]))
                    for a, b in itertools.combinations(names, 2)
                }
                closest = min(gaps, key=gaps.get)
                report.append(f"{vision} {group}: closest {closest} {gaps[closest]:.1f}")
                problems += [
                    f"{vision} {group}: {a} and {b} only {d:.1f} apart"
                    for (a, b), d in gaps.items()
                    if d < THRESHOLD
                ]
    finally:
        cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "none"})
    print("\n".join(report))
    assert not problems, "\n".join(problems)


def test_the_emulation_is_on(race_page):
    """A check that can fail: under deuteranopia Chromium draws red and green alike."""
    page = race_page
    page.evaluate(PAINT_JS, [[["red", "#E41A1C"], ["green", "#4DAF4A"]], []])
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "deuteranopia"})
        gap = float(ciede2000(lab(_seen(page, "red")), lab(_seen(page, "green"))))
    finally:
        cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "none"})
    assert gap < THRESHOLD
