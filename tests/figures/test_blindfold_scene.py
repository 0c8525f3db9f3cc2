"""The blindfold walk's pictures: while walking no surface is drawn and the arrow points down
the slope (against the gradient); the reveal lays the surface under both paths."""

from __future__ import annotations

import numpy as np
import pytest

from figures.valley.blindfold_scene import GAP_FLOOR, feel_figure, loss_figure, reveal_figure


def test_the_arrow_points_against_the_gradient_and_nothing_shows_the_valley():
    fig = feel_figure((-6.0, 5.0))  # the bowl's slope at (-3, 2.5): downhill is (6, -5)
    (arrow,) = fig["layout"]["annotations"]
    tip = np.array([arrow["x"], arrow["y"]])
    np.testing.assert_allclose(tip, np.array([6.0, -5.0]) / np.hypot(6, 5))
    assert (arrow["ax"], arrow["ay"]) == (0, 0) and arrow["showarrow"]
    assert "images" not in fig["layout"] and all(t["type"] == "scatter" for t in fig["data"])
    assert not feel_figure((0.0, 0.0))["layout"]["annotations"][0]["showarrow"]  # flat: none


def test_the_loss_chart_shows_the_gap_above_the_bottom_and_the_goal():
    fig = loss_figure([15.25, 0.61, 0.0], floor=0.0, target=0.01525)
    (trace,) = fig["data"]
    assert trace["y"] == pytest.approx([15.25, 0.61, GAP_FLOOR])  # an exact hit stays drawable
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert fig["layout"]["shapes"][0]["y0"] == pytest.approx(0.01525)
    plain = loss_figure([1.0, -2.0], floor=None, target=None)  # no known bottom: the loss
    assert plain["data"][0]["y"] == [1.0, -2.0] and "shapes" not in plain["layout"]


def test_the_reveal_draws_the_surface_under_both_paths():
    path = np.array([(-3.0, 2.5), (-0.6, 0.5)])
    fig = reveal_figure(
        ((-4.0, 4.0), (-4.0, 4.0)),
        path,
        [],
        you="your walk: 1 step",
        reference=np.array([(-3.0, 2.5), (0.0, 0.0)]),
        reference_name="gradient descent at rate 0.5",
        escape=(9.0, 9.0),
        background="data:image/png;base64,AAAA",
    )
    names = [t["name"] for t in fig["data"]]
    assert names[:3] == ["gradient descent at rate 0.5", "your walk: 1 step", "your last step"]
    assert fig["data"][1]["x"] == [-3.0, -0.6]
    assert fig["layout"]["images"][0]["source"].startswith("data:image/png")
