"""The playground in real headless Chromium against a real server."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import core
from core.schema.experiment import FIELD, Experiment
from ui.controls.lr_control import LR_GRID, format_lr, nearest

pytestmark = pytest.mark.browser

ROOT_SEL = ".gv-root"


def scene_id(page) -> str:
    return page.get_attribute(ROOT_SEL, "data-scene")


def wait_scene_change(page, old: str) -> str:
    page.wait_for_function(
        "old => { const r = document.querySelector('.gv-root');"
        " return r && r.getAttribute('data-scene') && r.getAttribute('data-scene') !== old; }",
        arg=old,
    )
    return scene_id(page)


def player_path(page) -> np.ndarray:
    xy = page.evaluate(
        "() => { const p = document.querySelector('.gv-root').__gvPlayer;"
        " return [Array.from(p.x), Array.from(p.y)]; }"
    )
    return np.array(xy).T


def plot_area(page):
    """The map's plot area: a PIL image of just the axes' inside."""
    box = page.evaluate(
        "() => { const l = document.querySelector('.gv-map')._fullLayout;"
        " return [l.xaxis._offset, l.yaxis._offset, l.xaxis._length, l.yaxis._length]; }"
    )
    shot = Image.open(io.BytesIO(page.locator(".gv-map").screenshot())).convert("RGB")
    left, top, width, height = (int(round(v)) for v in box)
    return np.asarray(shot.crop((left + 2, top + 2, left + width - 2, top + height - 2)), int)


def surface_fraction(pixels: np.ndarray) -> float:
    """Share of pixels painted by the surface picture (not the grey of an empty plot)."""
    empty = (np.abs(pixels - np.array([235, 235, 235])).sum(axis=2) < 12) | (
        pixels.sum(axis=2) > 750
    )
    return 1.0 - empty.mean()


def test_chart_appears_with_surface_badge_and_curves(page, open_app):
    open_app(page)
    assert page.locator(".gv-map image").first.get_attribute("href").startswith("data:image/png")
    assert page.locator(".gv-curves .main-svg").count() >= 1
    run = core.simulate(Experiment())
    word = {"too_slow": "Too slow"}.get(run.outcome.status, run.outcome.status.capitalize())
    assert word in page.locator(".gv-badge").inner_text()
    np.testing.assert_allclose(player_path(page), run.path, rtol=1e-5, atol=1e-6)
    assert surface_fraction(plot_area(page)) > 0.9


def test_moving_the_slider_changes_the_path(page, open_app):
    open_app(page)
    before, old = player_path(page), scene_id(page)
    slider = page.get_by_role("slider", name="Learning rate")
    slider.focus()
    slider.press("ArrowRight")  # one fine step up the log grid
    lr = LR_GRID[LR_GRID.index(FIELD["lr"].default) + 1]
    wait_scene_change(page, old)
    page.wait_for_function(
        "lr => new URL(location.href).searchParams.get('lr') === lr", arg=format_lr(lr)
    )
    after = player_path(page)
    expected = core.simulate(Experiment(lr=lr)).path
    np.testing.assert_allclose(after, expected, rtol=1e-5, atol=1e-6)
    assert after.shape != before.shape or not np.allclose(after, before)


def test_rate_above_the_critical_one_shows_diverged(page, open_app):
    critical = core.critical_lr(Experiment())
    lr = nearest(2.5 * critical)
    open_app(page, params={"lr": lr})
    badge = page.locator(".gv-badge")
    assert badge.inner_text().startswith("Diverged")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("above the critical rate").is_visible()
    domain = core.SURFACES[FIELD["surface"].default].domain
    ranges = page.evaluate(
        "() => { const l = document.querySelector('.gv-map')._fullLayout;"
        " return [l.xaxis.range, l.yaxis.range]; }"
    )
    np.testing.assert_allclose(ranges, domain)  # never rescaled to the runaway path
    assert surface_fraction(plot_area(page)) > 0.9  # never blank
    assert page.locator(".gv-map .scatterlayer .trace").count() >= 3


def test_play_moves_the_marker_and_the_surface_stays(page, open_app):
    # 500 steps at 20 a second: 25 s of playing, so a loaded machine's slow screenshots of the
    # plot area between the checks do not outlast the playback (it had ended once at 200).
    open_app(page, params={"steps": 500})
    still = plot_area(page)
    page.select_option(".gv-speed", "20")
    page.get_by_role("button", name="Play", exact=True).click()
    page.wait_for_function("() => +document.querySelector('.gv-root').dataset.frame >= 15")
    first_frame = int(page.get_attribute(ROOT_SEL, "data-frame"))
    first_head = page.evaluate("() => document.querySelector('.gv-map').data[2].x[0]")
    during = plot_area(page)
    page.wait_for_function(
        "n => +document.querySelector('.gv-root').dataset.frame > n", arg=first_frame + 10
    )
    later = plot_area(page)
    later_head = page.evaluate("() => document.querySelector('.gv-map').data[2].x[0]")
    assert page.get_attribute(ROOT_SEL, "data-playing") == "1"
    assert later_head != first_head  # the marker moved
    for shot in (during, later):
        assert surface_fraction(shot) > 0.9
        changed = (np.abs(shot - still).sum(axis=2) > 60).mean()
        assert changed < 0.08  # only the path and marker differ from the still picture


def test_a_shared_url_restores_the_settings(page, open_app):
    name = next(n for n in core.SURFACES if n != FIELD["surface"].default)
    params = {"surface": name, "optimizer": "momentum", "lr": "0.0123", "steps": "60"}
    open_app(page, params=params)
    surface_box = page.get_by_role("combobox", name="Loss surface")
    assert surface_box.input_value() == core.SURFACES[name].title
    assert page.get_by_role("combobox", name="Optimizer").input_value() == "Momentum"
    assert page.get_by_role("spinbutton", name="Exact learning rate").input_value() == "0.0123"
    assert page.get_by_role("spinbutton", name="Steps").input_value() == "60"
    exp = Experiment(surface=name, optimizer="momentum", lr=0.0123, steps=60)
    np.testing.assert_allclose(player_path(page), core.simulate(exp).path, rtol=1e-5, atol=1e-6)
    query = page.evaluate("() => Object.fromEntries(new URL(location.href).searchParams)")
    assert query == params


def _sizes(page):
    return page.evaluate(
        "() => ({title: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),"
        " text: parseFloat(getComputedStyle(document.querySelector('.gv-badge')).fontSize),"
        " ticks: document.querySelector('.gv-map')._fullLayout.font.size,"
        " line: document.querySelector('.gv-map')._fullData[1].line.width,"
        " sidebar: document.querySelector('[data-testid=\"stSidebar\"]')"
        ".getBoundingClientRect().width})"
    )


def test_presentation_mode_enlarges_the_text(page, open_app):
    open_app(page)
    normal = _sizes(page)
    open_app(page, params={"present": "1"})
    page.wait_for_function("() => document.querySelector('.gv-map')._fullLayout.font.size > 16")
    big = _sizes(page)
    assert big["text"] > 1.5 * normal["text"]  # the title stays compact: the demo must fit
    assert big["ticks"] > 1.5 * normal["ticks"] and big["line"] > 2 * normal["line"]
    assert big["sidebar"] > normal["sidebar"] > 50  # open (the rate control) and wider


def test_exported_html_plays_with_no_network(page, open_app, tmp_path, browser):
    open_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Animation (HTML, plays offline)").click()
    target = tmp_path / "valley.html"
    download.value.save_as(target)
    assert target.stat().st_size > 3_000_000

    offline = browser.new_context()
    requested = []

    def block(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    offline.route("**/*", block)
    viewer = offline.new_page()
    viewer.goto(target.as_uri())
    viewer.wait_for_selector(".gv-map .main-svg", timeout=30_000)
    viewer.get_by_role("button", name="Play").click()
    viewer.wait_for_function("() => +document.querySelector('#player').dataset.frame >= 5")
    assert viewer.locator(".gv-map image").first.get_attribute("href").startswith("data:")
    assert [u for u in requested if not u.startswith("file:")] == []
    offline.close()
