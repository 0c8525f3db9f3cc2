"""Figure builders: checked against hand-worked geometry, arithmetic and the PNG's own pixels."""

from __future__ import annotations

import io
import json
import re
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from figures import export
from figures.palette import PATH_COLORS, PRESENTATION, SCREEN
from figures.valley.curves import GAP_FLOOR, curves_figure, loss_gap
from figures.valley.internals import filled_update_rule, frame_arrays
from figures.valley.path import PathSpec, decode_f4, f4, first_exit, map_figure
from figures.valley.scene import build_scene
from figures.valley.surface import grid, log_levels, render_png, surface_png
from figures.valley.surface3d import surface3d_figure

BOWL = ((-3.0, 3.0), (-2.0, 2.0))


def bowl(x, y):
    return 0.5 * x**2 + 5 * y**2


def gd_path(lr: float, steps: int = 40, start=(-2.5, 1.5)):
    """Gradient descent on the bowl, worked in NumPy: x <- x - lr * (x, 10 y)."""
    p = np.array(start, dtype=np.float64)
    points = [p]
    for _ in range(steps):
        p = p - lr * np.array([p[0], 10 * p[1]])
        points.append(p)
    path = np.array(points)
    grad = np.stack([path[:, 0], 10 * path[:, 1]], axis=1)
    return path, bowl(path[:, 0], path[:, 1]), grad


def test_f4_round_trip_is_float32():
    values = np.array([0.1, -2.5, 1e-7, 3e5])
    spec = f4(values)
    assert spec["dtype"] == "f4"
    np.testing.assert_array_equal(decode_f4(spec), values.astype(np.float32))


def test_grid_samples_cell_centres():
    xs, ys, z = grid(bowl, BOWL, 6, 4)
    np.testing.assert_allclose(xs, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])
    np.testing.assert_allclose(ys, [-1.5, -0.5, 0.5, 1.5])
    assert z.shape == (4, 6)
    assert z[1, 2] == pytest.approx(bowl(-0.5, -0.5))


def test_grid_marks_overflow_as_nan():
    _, _, z = grid(lambda x, y: np.exp(x * 1000.0) + y, BOWL, 4, 4)
    assert np.isnan(z[:, -1]).all() and np.isfinite(z[:, 0]).all()


def test_log_levels_are_log_spaced_above_the_floor():
    z = np.array([[0.0, 10.0], [100.0, 1000.0]])
    levels = log_levels(z, n=4, floor=0.0, decades=3.0)
    np.testing.assert_allclose(levels, [1.0, 10.0, 100.0, 1000.0])
    gaps = np.diff(np.log(levels - 0.0))
    np.testing.assert_allclose(gaps, gaps[0])


def test_log_levels_start_from_a_negative_floor():
    z = np.array([[-1.0, 0.0], [9.0, 99.0]])
    levels = log_levels(z, n=3, floor=-1.0, decades=2.0)
    np.testing.assert_allclose(levels, [0.0, 9.0, 99.0])


def test_default_levels_keep_bands_on_the_floor_of_steep_surfaces():
    # Walls 10^5 times higher than most of the floor (like Beale's): a fixed 3 decades would
    # leave most of the domain below the first level, in one flat colour.
    _, _, z = grid(lambda x, y: np.exp(12.0 * x) - 1.0 + 0 * y, ((0.0, 1.0), (0.0, 1.0)), 200, 4)
    assert (z < 1e-3 * z.max()).mean() > 0.4
    levels = log_levels(z, n=16, floor=0.0)
    below_first = (z < levels[0]).mean()
    assert 0.005 <= below_first <= 0.02  # the first level sits at the 1% quantile
    bands = np.searchsorted(levels, z)
    assert np.bincount(bands.ravel(), minlength=17).max() / z.size < 0.15


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_surface_png_is_dark_on_the_valley_floor_and_bright_on_the_walls():
    png = surface_png(bowl, BOWL, floor=0.0, size=120)
    rgb = _pixels(png)
    assert rgb.shape == (80, 120, 3)  # 120 wide, 4/6 as tall: the domain's aspect
    centre = rgb[40, 60].sum()
    corner = rgb[2, 2].sum()
    assert centre < 250 and corner > 420  # viridis: dark purple floor, yellow-green walls


def test_png_rows_run_from_the_top_of_the_domain():
    # f = y: highest at the top of the domain, so the top row must be the brightest band.
    levels = np.linspace(-2.0, 2.0, 8)
    _, _, z = grid(lambda x, y: y + 0 * x, BOWL, 40, 40)
    rgb = _pixels(render_png(z, levels, supersample=1))
    assert rgb[0].sum() > rgb[-1].sum()


def test_level_lines_are_drawn_where_bands_change():
    z = np.tile(np.linspace(0.0, 1.0, 64), (16, 1))  # f = x on [0, 1]
    plain = _pixels(render_png(z, np.array([0.5]), line_alpha=0.0, supersample=1))
    lined = _pixels(render_png(z, np.array([0.5]), line_alpha=0.9, supersample=1))
    changed = np.flatnonzero((np.abs(plain - lined).sum(axis=2) > 30).any(axis=0))
    assert changed.size and set(changed) <= {31, 32, 33}  # only at the level x = 0.5


def test_first_exit_finds_the_crossing_by_hand():
    path = np.array([[0.0, 0.0], [2.0, 1.0], [5.0, 1.0]])  # leaves x <= 3 on the 2nd segment
    k, (x, y) = first_exit(path, BOWL)
    assert k == 2 and (x, y) == pytest.approx((3.0, 1.0))
    path = np.array([[0.0, 0.0], [1.0, 4.0]])  # leaves y <= 2 at y = 2, x = 0.5
    k, (x, y) = first_exit(path, BOWL)
    assert k == 1 and (x, y) == pytest.approx((0.5, 2.0))
    assert first_exit(np.array([[0.0, 0.0], [1.0, 1.0]]), BOWL) is None


def test_map_figure_keeps_the_domain_for_a_diverging_path():
    path, loss, _ = gd_path(0.25, steps=12)  # 0.25 > 2/10: the y coordinate blows up
    assert np.abs(path[:, 1]).max() > 100
    fig = map_figure(BOWL, [PathSpec(path, "SGD", PATH_COLORS[0], loss)], background="x.png")
    layout = fig["layout"]
    assert layout["xaxis"]["range"] == [-3.0, 3.0] and layout["yaxis"]["range"] == [-2.0, 2.0]
    assert layout["xaxis"]["autorange"] is False and layout["yaxis"]["autorange"] is False
    names = [t["name"] for t in fig["data"]]
    assert "left the valley" in names
    assert layout["images"][0]["source"] == "x.png"
    json.dumps(fig, allow_nan=False)  # never NaN in a chart


def test_map_figure_draws_several_paths_in_their_colours():
    a, _, _ = gd_path(0.05)
    b, _, _ = gd_path(0.15)
    fig = map_figure(BOWL, [PathSpec(a, "slow", "#000000"), PathSpec(b, "fast", "#0072B2")])
    lines = [t for t in fig["data"] if t["name"] in ("slow", "fast")]
    assert [t["line"]["color"] for t in lines] == ["#000000", "#0072B2"]
    np.testing.assert_allclose(decode_f4(lines[1]["x"]), b[:, 0].astype(np.float32))


def test_loss_gap_handles_zero_negative_and_unknown_minima():
    y, title = loss_gap(np.array([4.0, 1.0, 0.0]), floor=0.0)
    assert title.startswith("loss f") and y[-1] == GAP_FLOOR and y[0] == 4.0
    y, title = loss_gap(np.array([1.0, -1.0, -1.5]), floor=-2.0)
    assert title.startswith("f − f*")
    np.testing.assert_allclose(y, [3.0, 1.0, 0.5])
    y, title = loss_gap(np.array([3.0, 2.0]), floor=None)
    np.testing.assert_allclose(y, [3.0, 2.0])
    assert (loss_gap(np.array([1.0, -1.0]), None)[0] > 0).all()


def test_curves_add_a_rate_panel_only_with_a_schedule():
    _, loss, _ = gd_path(0.05)
    plain = curves_figure(loss, floor=0.0)
    assert len(plain["data"]) == 1 and plain["layout"]["yaxis"]["type"] == "log"
    scheduled = curves_figure(loss, np.linspace(0.1, 0.0, 40), floor=0.0)
    assert len(scheduled["data"]) == 2 and "yaxis2" in scheduled["layout"]
    assert scheduled["layout"]["shapes"][0]["x0"] == 40  # cursor on the last frame


def test_filled_update_rule_for_sgd_matches_the_step_by_hand():
    path, _, grad = gd_path(0.1, steps=3)
    text = filled_update_rule("sgd", 1, path, grad, np.full(3, 0.1), {})
    # theta_1 = (-2.25, 0.0), g_1 = (-2.25, 0), theta_2 = theta_1 - 0.1 g_1 = (-2.025, 0)
    assert "-2.25" in text and "-2.025" in text and r"\eta_t = 0.1" in text
    assert filled_update_rule("sgd", 3, path, grad, np.full(3, 0.1), {}) is None


def test_frame_arrays_are_the_steps_and_scaled_velocity():
    path, _, grad = gd_path(0.1, steps=3)
    velocity = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    arrays = frame_arrays(path, grad, np.full(3, 0.1), {"velocity": velocity})
    np.testing.assert_allclose(decode_f4(arrays["sx"])[:3], np.diff(path[:, 0]), rtol=1e-6)
    np.testing.assert_allclose(decode_f4(arrays["ux"])[:3], -0.1 * grad[:3, 0], rtol=1e-6)
    np.testing.assert_allclose(decode_f4(arrays["vy"]), [-0.2, -0.4, -0.6, 0.0], rtol=1e-6)


def _scene(lr=0.05, **kw):
    path, loss, grad = gd_path(lr)
    minima = [SimpleNamespace(x=0.0, y=0.0, value=0.0, is_global=True)]
    return build_scene(
        domain=BOWL,
        path=path,
        loss=loss,
        grad=grad,
        lr=np.full(len(path) - 1, lr),
        minima=minima,
        floor=0.0,
        bg_key="bowl",
        identity=("bowl", lr),
        **kw,
    )


def test_scene_sends_each_array_once_and_names_the_moving_traces():
    scene = _scene(internals=True)
    data = scene["map"]["data"]
    for name in ("ghost", "trail", "head"):
        assert data[scene["idx"][name]]["x"] == []
    assert set(scene["idx"]["arrows"]) == {"gradient"}  # SGD steps along its gradient
    adam = _scene(internals=True, optimizer="adam", state={"effective_lr": np.ones((40, 2))})
    assert set(adam["idx"]["arrows"]) == {"gradient", "step"} and "ex" in adam["anim"]
    assert scene["id"] != _scene(lr=0.06)["id"]
    assert scene["id"] == _scene(internals=True)["id"]
    assert len(json.dumps(scene)) < 30_000  # 41 points: compact arrays, no background


def test_presentation_theme_is_larger():
    assert PRESENTATION.font_size > 1.5 * SCREEN.font_size
    assert PRESENTATION.line_width > 2 * SCREEN.line_width
    big = _scene(theme=PRESENTATION)
    assert big["present"] and big["map"]["layout"]["font"]["size"] == PRESENTATION.font_size


def test_surface3d_lays_the_path_on_the_surface():
    path, loss, _ = gd_path(0.05)
    fig = surface3d_figure(bowl, BOWL, path, loss, floor=0.0, n=20)
    z = np.array(fig["data"][0]["z"])
    assert z.shape == (20, 20) and np.isfinite(z).all()
    assert np.unravel_index(z.argmin(), z.shape) in {(9, 9), (9, 10), (10, 9), (10, 10)}
    assert len(decode_f4(fig["data"][1]["x"])) == len(path)
    diverging, dloss, _ = gd_path(0.25, steps=12)
    fig = surface3d_figure(bowl, BOWL, diverging, dloss, floor=0.0, n=20)
    inside = first_exit(diverging, BOWL)[0]
    assert len(decode_f4(fig["data"][1]["x"])) == inside


def test_standalone_html_embeds_everything_and_loads_nothing_remote():
    scene = _scene()
    with pytest.raises(ValueError):
        export.standalone_html(scene, title="t")  # no background inline
    scene["bg"]["uri"] = "data:image/png;base64,AAAA"
    page = export.standalone_html(scene, title="Bowl </script>", caption="SGD")
    assert "GVPlayer" in page and "Plotly" in page and len(page) > 3_000_000
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?https?:", page)
    assert "Bowl &lt;/script&gt;" in page


def test_path_csv_by_hand():
    text = export.path_csv(np.array([[1.0, 2.0], [0.5, 1.0]]), np.array([3.0, 0.75]), [0.5])
    assert text.splitlines() == ["step,x,y,loss,lr", "0,1.0,2.0,3.0,0.5", "1,0.5,1.0,0.75,"]
