"""The instructor's journey, in real Chromium: at a projector's size (1920 x 1080 and
1280 x 720) turn presentation mode on by clicking its toggle on the Playground, then visit
every page through the sidebar. On each: the chart, the rate control and the outcome are all
on screen without scrolling, no two texts of a chart overlap, and the mode carried over; the
Race plays before it reveals its leaderboard.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.lessons import Lesson, load_all
from tests.browser.conftest import CHART

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1280, 720)]
RACE = ".gv-race .main-svg"
LESSON = next(e for e in load_all() if isinstance(e, Lesson))  # the course's first lesson

# Every text of a Plotly chart that must stand clear of the others: axis titles, tick labels,
# legend entries, chart titles, annotations and the labels drawn on shapes.
TEXTS = (
    "[class*='title'] text, .xtick text, .ytick text, [class*='tick'] text, .legendtext,"
    " .annotation-text, .shapelayer text, .shape-group text, .infolayer .gtitle"
)

# Boxes (relative to the window) of the element(s) matched by a selector, as shown.
BOXES_JS = """(sel) => [...document.querySelectorAll(sel)]
  .filter(e => e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
              return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                      text: e.textContent}; })"""

# Pairs of texts of one chart whose boxes overlap (by more than a pixel each way).
OVERLAPS_JS = """(sel) => {
  const out = [];
  for (const svg of document.querySelectorAll('.main-svg')) {
    const host = svg.closest('.js-plotly-plot');
    if (!host || !host.getClientRects().length) continue;
    const boxes = [...host.querySelectorAll(sel)]
      .filter(t => t.textContent.trim() && t.getClientRects().length)
      .map(t => [t.textContent.trim(), t.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, p] = boxes[i], [b, q] = boxes[j];
        const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (w > 1 && h > 1) out.push(a + ' / ' + b);
      }
  }
  return [...new Set(out)];
}"""


def _on_screen(page, what: str, selector: str) -> None:
    """Every element matched by `selector` lies inside the window, unscrolled."""
    boxes = page.evaluate(BOXES_JS, selector)
    assert boxes, f"{what}: nothing on the page matches {selector}"
    size = page.evaluate("() => [window.innerWidth, window.innerHeight]")
    for box in boxes:
        inside = box["top"] >= -1 and box["left"] >= -1
        inside = inside and box["bottom"] <= size[1] + 1 and box["right"] <= size[0] + 1
        assert inside, f"{what} is not all on screen at {size}: {box}"


def _rate_control(page) -> str:
    """A selector for the "Learning rate" control's whole widget (label, track and value): a
    Streamlit slider of that label, or the app's rate component (its input in a shadow root)."""
    found = page.evaluate(
        """() => { const w = [...document.querySelectorAll('[data-testid=stSlider]')].find(s =>
                     s.querySelector('[data-testid=stWidgetLabel]').innerText.trim()
                     === 'Learning rate');
                   const box = w && w.closest('[data-testid=stElementContainer]');
                   if (box) box.setAttribute('data-gv-rate', '1');
                   return !!box; }"""
    )
    if not found:
        slider = page.get_by_role("slider", name="Learning rate", exact=True).first
        slider.wait_for(state="attached")
        slider.evaluate(
            """e => { const box = '[data-testid=stElementContainer]';
                      const host = e.getRootNode().host;
                      const widget = e.closest(box) || (host && (host.closest(box) || host)) || e;
                      widget.setAttribute('data-gv-rate', '1'); }"""
        )
    return "[data-gv-rate]"


def _no_overlaps(page) -> None:
    overlaps = page.evaluate(OVERLAPS_JS, TEXTS)
    assert not overlaps, f"texts drawn over each other: {overlaps}"


def _presenting(page) -> None:
    """Presentation mode is on: the link says so and the charts use its large type."""
    page.wait_for_function("() => new URL(location.href).searchParams.get('present') === '1'")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some("
        "g => g._fullLayout && g._fullLayout.font.size >= 20)"
    )


def _settled(page, chart: str) -> None:
    """The page's chart drawn and its presentation height applied (charts that fit the window
    relayout once the window's size is known)."""
    page.wait_for_selector(chart, timeout=120_000)  # a cold race on a loaded CI machine
    page.wait_for_function(
        "() => document.querySelectorAll('[data-stale=true]').length === 0"
        " && !document.querySelector('[data-testid=stStatusWidget]')"
    )
    page.wait_for_timeout(1500)  # a last relayout after the window's size is reported


def _noisy_bowl(page) -> None:
    """On the Playground, as an instructor sets it up: the round bowl, rate 0.1, gradient
    noise 1; waits for the noise floor's outcome."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox", name="Loss surface").click()
    page.keyboard.type("round bowl")
    page.get_by_role("option", name="The round bowl").click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('surface') === 'bowl'")
    for name, value, key in (
        ("Exact learning rate", "0.1", "lr"),
        ("Gradient noise", "1", "noise"),
    ):
        box = sidebar.get_by_role("spinbutton", name=name)
        box.fill(value)
        box.press("Enter")
        page.wait_for_function(
            "([k, v]) => Number(new URL(location.href).searchParams.get(k)) === Number(v)",
            arg=[key, value],
        )
    page.wait_for_function(
        "() => document.querySelector('.gv-badge').innerText.includes('noise floor')"
    )


def _go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()


def _check_page(page, name: str, chart: str, *, rate: bool, badge: str | None) -> None:
    _settled(page, chart)
    _presenting(page)
    _on_screen(page, f"{name}: the chart", chart)
    if rate:
        _on_screen(page, f"{name}: the rate control", _rate_control(page))
    if badge:
        _on_screen(page, f"{name}: the outcome", badge)
    _no_overlaps(page)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1920x1080", "1280x720"])
def test_instructor_projects_every_page(browser, server_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server_url)
        page.wait_for_selector(CHART, timeout=60_000)
        page.get_by_text("Presentation mode", exact=True).click()
        charts = ".gv-map .main-svg, .gv-curves .main-svg"
        _check_page(page, "Playground", charts, rate=True, badge=".gv-badge")
        if height >= 1080:  # at 1280 x 720 the player below its words does not fit yet
            _noisy_bowl(page)  # the noise floor's explanation: the longest outcome's words
            _check_page(page, "Playground with noise", charts, rate=True, badge=".gv-badge")

        # The race starts hidden and reveals its leaderboard only once it has been played.
        _go(page, "Race")
        _check_page(page, "Race", RACE, rate=False, badge=None)
        assert page.get_by_role("heading", name="Leaderboard").count() == 0
        lengths = page.evaluate(
            "() => document.querySelector('.gv-race .js-plotly-plot').data"
            ".filter(t => t.meta && t.meta.role === 'race-path').map(t => t.x.length)"
        )
        assert lengths and max(lengths) <= 1  # only the start: no path gives the result away
        page.get_by_role("button", name="Play race").click()
        page.get_by_role("heading", name="Leaderboard").wait_for(timeout=90_000)
        page.locator('[data-testid="stDataFrame"]').wait_for()

        _go(page, "Learning-rate sweep")
        _check_page(page, "Sweep", ".st-key-ucurve .main-svg", rate=True, badge=None)
        _go(page, "Many walkers")
        maps = ".st-key-basins_0 .main-svg, .st-key-basins_1 .main-svg"
        _check_page(page, "Walkers", maps, rate=True, badge=None)
        _go(page, "Real model")
        valley = ".st-key-valley_map .main-svg"
        _check_page(page, "Real model", valley, rate=True, badge=".gv-badge")

        # The lessons: the course list, then a lesson's experiment once its first question is
        # answered, scrolled to: its player and its outcome fit in one window.
        _go(page, "Lessons")
        page.get_by_role("heading", name="Lessons").wait_for()
        page.wait_for_function("() => new URL(location.href).searchParams.get('present') === '1'")
        page.get_by_role("link", name=f"1. {LESSON.title}").click()
        page.get_by_role("heading", name=LESSON.title).wait_for()
        first = LESSON.questions[0]
        page.get_by_text(first.choices[first.answer], exact=True).click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')].some("
            "b => b.innerText.includes('Check my prediction') && !b.disabled)"
        )
        page.get_by_role("button", name="Check my prediction").click()
        player = ".gv-map .main-svg"
        page.wait_for_selector(player, timeout=60_000)
        _settled(page, player)
        _presenting(page)
        page.locator(".gv-root").first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        _on_screen(page, "Lesson: the chart", ".gv-root .gv-map .main-svg")
        outcome = page.get_by_text("Outcome:").first
        box = outcome.bounding_box()
        assert box and box["y"] + box["height"] <= height, f"Lesson: the outcome is off {box}"
        _no_overlaps(page)
    finally:
        context.close()


def test_turning_presentation_off_lays_the_player_out_to_its_width(page, open_app):
    # At 1920 wide, turning the mode off used to leave the charts at their earlier widths:
    # Plotly keeps a chart's first width through later renders, so the loss chart could stick
    # out past the right edge of its (now narrower) column, or the map fill only part of its own.
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, params={"present": "1"})
    page.get_by_text("Presentation mode", exact=True).click()
    page.wait_for_function(
        "() => { const g = document.querySelector('.gv-map');"
        " return g && g._fullLayout && g._fullLayout.font.size < 16; }"
    )
    # The main area changes width in steps after the mode's rerun (the sidebar comes back), and
    # the player follows each: wait (polling, up to 20 s on a loaded machine) until every chart
    # has been as wide as its own box, with no box changing, for a second; then read them again.
    widths = (
        "() => ['.gv-map', '.gv-curves'].map(s => { const g = document.querySelector(s);"
        " return [g.querySelector('.main-svg').getBoundingClientRect().width,"
        " g.getBoundingClientRect().width, g.getBoundingClientRect().right]; })"
    )
    settled = f"""() => {{
      const now = ({widths})(), t = performance.now(), key = JSON.stringify(now);
      if (!now.every(([svg, box]) => Math.abs(svg - box) <= 1)) return (window.__gvFit = null);
      if (!window.__gvFit || window.__gvFit.key !== key) window.__gvFit = {{key, t}};
      return t - window.__gvFit.t > 1000;
    }}"""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(settled, polling=200, timeout=20_000)
    for svg, box, right in page.evaluate(widths):
        assert abs(svg - box) <= 1 and right <= 1920, (svg, box, right)
    # Side by side, the map and the loss chart stay one height (a resize once dropped the map's
    # height, and the map grew to the row's, taller than the chart beside it).
    tall = (
        "s => document.querySelector(s).querySelector('.main-svg').getBoundingClientRect().height"
    )
    assert page.evaluate(f"({tall})('.gv-map')") == page.evaluate(f"({tall})('.gv-curves')")
