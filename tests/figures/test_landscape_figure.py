"""The landscape figure: contours of log10 of the loss it is given, the honest title, each
projected path as a line with its start and end, the trained weights at the centre."""

from __future__ import annotations

import numpy as np

from figures.real.landscape import ProjectedPath, landscape_figure, title
from figures.valley.path import decode_f4


def figure(loss=None):
    axis = np.linspace(-1, 1, 5)
    if loss is None:
        loss = np.add.outer(axis**2, axis**2) + 0.1
    coords = np.array([[0.5, -0.5], [0.2, -0.1], [0.0, 0.0]])
    path = ProjectedPath("η = 0.1 (suggested)", "#123456", coords, np.array([0, 8, 16]))
    return figure_of(axis, loss, [path]), axis, loss, coords


def figure_of(axis, loss, paths):
    return landscape_figure(axis, axis, loss, paths, n_params=4810, center_loss=0.1)


def test_contours_are_log10_of_the_loss_over_the_grid():
    fig, axis, loss, _ = figure()
    (contour,) = [t for t in fig["data"] if t["type"] == "contour"]
    np.testing.assert_allclose(contour["z"], np.log10(loss), atol=1e-5)
    np.testing.assert_allclose(decode_f4(contour["x"]), axis)
    assert fig["layout"]["xaxis"]["range"] == [-1.0, 1.0]


def test_the_title_says_it_is_a_slice_and_the_paths_projections():
    fig, *_ = figure()
    text = fig["layout"]["title"]["text"]
    assert text == title(4810)
    assert "2D slice through a 4,810-dimensional loss" in text and "projections" in text


def test_a_path_is_drawn_from_its_start_to_its_end():
    fig, _, _, coords = figure()
    line = next(t for t in fig["data"] if t.get("name") == "η = 0.1 (suggested)")
    np.testing.assert_allclose(decode_f4(line["x"]), coords[:, 0], atol=1e-7)
    np.testing.assert_allclose(decode_f4(line["y"]), coords[:, 1], atol=1e-7)
    ends = next(t for t in fig["data"] if t.get("name", "").endswith("start and end"))
    np.testing.assert_allclose(decode_f4(ends["x"]), coords[[0, -1], 0], atol=1e-7)
    centre = next(t for t in fig["data"] if t.get("name", "").startswith("trained weights"))
    assert centre["x"] == [0.0] and centre["y"] == [0.0]


def test_an_overflowed_loss_is_drawn_at_the_top_level_not_as_nan():
    axis = np.linspace(-1, 1, 5)
    loss = np.full((5, 5), 2.0)
    loss[0, 0] = np.inf
    loss[1, 1] = 100.0
    fig = figure_of(axis, loss, [])
    (contour,) = [t for t in fig["data"] if t["type"] == "contour"]
    z = np.array(contour["z"])
    assert np.all(np.isfinite(z)) and z[0, 0] == z[1, 1] == 2.0
