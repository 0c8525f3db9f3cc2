"""Drag the rate and the path follows (issue #13), in real Chromium against a real server.

While the "Learning rate" slider is moved (key bursts, a mouse drag), the player redraws the
path, the loss curve, the readout and the badge from the scene's fan in the page: each step is
on screen before any rerun comes back (the scene the server drew stays the same), and its path
is the engine's single run at that rate. When the gesture ends, one rerun settles everything
on exactly that rate: the slider, the badge and its explanation, the URL and the exact box.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from core.catalog.statuses import STATUS_WORD, step_phrase
from core.lessons import Lesson, load_all
from core.schema.experiment import Experiment
from core.valley.simulation import simulate
from tests.browser.conftest import predict_right
from ui.controls.lr_control import LR_GRID, format_lr

pytestmark = pytest.mark.browser

SETTLE_MS = 150  # rate_slider.js: this long without a move or a key ends a gesture

# Times the scenes the server sends (one per finished rerun) arrive, from now on; and the
# player's log of redraws from the fan (player_fan.js) starts afresh.
WATCH_SCENES = """() => {
  const root = document.querySelector('.gv-root');
  window.__scenes = [];
  if (!window.__sceneWatch) {  // one observer, however often the count starts afresh
    window.__sceneWatch = new MutationObserver(() => window.__scenes.push(performance.now()));
    window.__sceneWatch.observe(root, { attributes: true, attributeFilter: ['data-scene'] });
  }
  window.__gvFanLog = [];
}"""
DRAWN = """() => (window.__gvFanLog || []).filter((e) => e.path).map((e) => ({
  index: e.index, drawn: e.drawn, xs: e.path.xs, ys: e.path.ys, last: e.path.last }))"""
SHOWN = """() => { const p = document.querySelector('.gv-root').__gvPlayer;
  const s = p.fanShown; if (!s) return null;
  return { index: +p.root.getAttribute('data-fan-index'), xs: s.xs, ys: s.ys, last: s.last,
           badge: document.querySelector('.gv-badge').innerText, scenes: window.__scenes.length };
}"""


def slider(page):
    return page.get_by_role("slider", name="Learning rate")


def open_playground(page, open_app):
    open_app(page, "", wait_for=".gv-root[data-scene]")
    page.wait_for_function("() => document.querySelector('.gv-root').__gvPlayer.fanData")
    page.evaluate(WATCH_SCENES)
    return int(slider(page).input_value())


def assert_path_is_the_run(shown: dict, index: int) -> None:
    """What the player drew for position `index` is the engine's single run at that rate."""
    run = simulate(Experiment(lr=LR_GRID[index]))
    n = shown["last"] + 1
    drawn = np.c_[shown["xs"][:n], shown["ys"][:n]]
    assert n == len(run.path)  # 150 steps: every point drawn
    np.testing.assert_allclose(drawn, run.path, rtol=2**-10, atol=2e-3)  # float16 on the wire
    return run


def assert_fan_step(page, index: int) -> None:
    """Position `index` is on screen from the fan, with no rerun back yet."""
    page.wait_for_function(
        "i => document.querySelector('.gv-root').getAttribute('data-fan-index') === String(i)",
        arg=index,
    )
    shown = page.evaluate(SHOWN)
    assert shown["scenes"] == 0, "a rerun came back mid-gesture"
    run = assert_path_is_the_run(shown, index)
    word = STATUS_WORD[run.outcome.status] + step_phrase(run.outcome.status, run.outcome.step)
    assert shown["badge"].startswith(word)


def assert_burst_drawn(page, positions: list[int], every: bool = True) -> None:
    """Every position of a burst was drawn from the fan, in order, before the rerun it ended
    with came back, and each drawing is the engine's run at that rate. ``every=False`` (a
    held key's 30 ms repeats): a busy browser may paint two repeats in one frame, so the
    drawings are the positions in order, ending at the last, with none skipped backwards."""
    page.wait_for_function("() => window.__scenes.length >= 1", timeout=15_000)
    drawn = page.evaluate(DRAWN)
    first_scene = page.evaluate("window.__scenes[0]")
    indices = [d["index"] for d in drawn]
    if every:
        assert indices == positions, "a press was not drawn at once (or drawn out of order)"
    else:
        assert indices and indices[-1] == positions[-1], "the last repeat was not drawn at once"
        assert indices == [p for p in positions if p in set(indices)], "drawn out of order"
        assert len(indices) >= len(positions) // 2, f"most repeats were not drawn: {indices}"
    assert all(d["drawn"] < first_scene for d in drawn)
    for d in drawn:
        assert_path_is_the_run(d, d["index"])


def assert_settled(page, index: int) -> None:
    """One rerun, and every part of the page on exactly the slider's rate."""
    page.wait_for_function("() => window.__scenes.length >= 1", timeout=15_000)
    page.wait_for_function(
        "() => !document.querySelector('.gv-root').hasAttribute('data-fan-index')"
    )
    page.wait_for_timeout(600)  # a second rerun, if the gesture cost two, would be in by now
    lr = LR_GRID[index]
    run = simulate(Experiment(lr=lr))
    assert int(slider(page).input_value()) == index
    page.wait_for_function(
        "t => document.querySelector('.gv-badge').innerText.includes(t)",
        arg=run.outcome.explanation[:40],
    )
    badge = page.locator(".gv-badge").inner_text()
    assert badge.startswith(STATUS_WORD[run.outcome.status])
    assert run.outcome.explanation in badge
    page.wait_for_function("lr => location.search.includes('lr=' + lr)", arg=format_lr(lr))
    assert float(parse_qs(urlparse(page.url).query)["lr"][0]) == pytest.approx(lr)
    exact = page.get_by_role("spinbutton", name="Exact learning rate")
    assert float(exact.input_value()) == pytest.approx(lr)
    # One rerun a gesture. A gesture ends when the input pauses for the slider's settle time;
    # under load Playwright's presses can pause that long mid-burst, which ends a gesture too.
    times = page.evaluate("(window.__gvFanLog || []).filter((e) => e.input).map((e) => e.input)")
    pauses = int(np.count_nonzero(np.diff(times) > SETTLE_MS - 20)) if len(times) > 1 else 0
    reruns = page.evaluate("window.__scenes.length")
    assert 1 <= reruns <= 1 + pauses, f"{reruns} reruns for a gesture with {pauses} pauses"


def test_key_bursts_move_the_path_at_once_and_settle_once(page, open_app):
    start = open_playground(page, open_app)
    slider(page).focus()
    for _ in range(6):  # up into overshoot and past the critical rate, 60 ms apart
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
    assert_burst_drawn(page, [start + step for step in range(1, 7)])
    assert_settled(page, start + 6)
    # A burst the other way: 12 presses 30 ms apart, exactly 12 positions.
    page.evaluate(WATCH_SCENES)
    for _ in range(12):
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(30)
    assert_burst_drawn(page, [start + 5 - step for step in range(12)])
    assert_settled(page, start - 6)


def test_a_held_key_moves_the_rate_continuously_and_settles_once(page, open_app):
    """A held arrow key: the browser repeats its keydown (Playwright marks each further down of
    a key already down as a repeat). Every repeat moves one position, drawn at once; letting go
    settles with one rerun."""
    start = open_playground(page, open_app)
    slider(page).focus()
    for _ in range(15):  # held, repeating every 30 ms, as a keyboard's auto-repeat does
        page.keyboard.down("ArrowRight")
        page.wait_for_timeout(30)
    page.keyboard.up("ArrowRight")
    assert_burst_drawn(page, [start + step for step in range(1, 16)], every=False)
    assert_settled(page, start + 15)


def test_a_mouse_drag_moves_the_path_at_once_and_settles_once(page, open_app):
    start = open_playground(page, open_app)
    box = slider(page).bounding_box()
    size = len(LR_GRID) - 1
    y = box["y"] + box["height"] / 2

    def x_of(index):  # the thumb's centre for a position (the thumb is ~16 px wide)
        return box["x"] + 8 + (box["width"] - 16) * index / size

    page.mouse.move(x_of(start), y)
    page.mouse.down()
    seen = []
    for target in (start - 10, start - 20, start + 5, start + 12):
        page.mouse.move(x_of(target), y, steps=4)
        index = int(slider(page).input_value())
        assert abs(index - target) <= 1
        assert_fan_step(page, index)
        seen.append(index)
    assert len(set(seen)) == len(seen)
    page.mouse.up()
    assert_settled(page, seen[-1])


def test_a_lesson_players_rate_slider_moves_its_path_at_once(page, open_app):
    """The same on a lesson's single-run player: its own slider, its own fan."""
    lesson = next(e for e in load_all() if isinstance(e, Lesson) and e.slug == "too-large")
    open_app(page, "lessons", {"lesson": lesson.slug}, wait_for=None)
    page.get_by_role("radiogroup").first.wait_for(timeout=60_000)
    sliders = page.get_by_role("slider", name="Try another learning rate")
    for k, question in enumerate(lesson.questions):  # predict until the first experiment shows
        predict_right(page, k, question)
        if sliders.count():
            break
    lesson_slider = sliders.first
    lesson_slider.scroll_into_view_if_needed()
    root = page.locator(".gv-root[data-scene]").first
    root.wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelector('.gv-root').__gvPlayer.fanData")
    page.evaluate(WATCH_SCENES)
    start = int(lesson_slider.input_value())
    lesson_slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(40)
    page.wait_for_function("() => window.__scenes.length >= 1", timeout=15_000)
    drawn = page.evaluate(DRAWN)
    assert [d["index"] for d in drawn] == [start + 1, start + 2, start + 3]
    assert all(d["drawn"] < page.evaluate("window.__scenes[0]") for d in drawn)
    page.wait_for_function(
        "() => !document.querySelector('.gv-root').hasAttribute('data-fan-index')"
    )
    assert int(lesson_slider.input_value()) == start + 3
