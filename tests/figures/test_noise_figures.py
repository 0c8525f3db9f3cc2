"""Noisy gradients in the figures: the sweep's band over seeds, and the noise ball on the map."""

import numpy as np

from core.schema.experiment import Experiment
from core.valley.noise_theory import predicted_ball
from core.valley.simulation import simulate
from core.valley.sweeps import NOISE_SEEDS, sweep
from figures.compare.ucurve import curve_traces
from figures.valley.scene import scene_of_run


def test_a_noisy_sweep_draws_its_median_inside_a_filled_band():
    lrs = np.array([0.01, 0.05, 0.15])
    result = sweep(Experiment(surface="valley", noise=0.5), ["sgd"], lrs).results["sgd"]
    traces = curve_traces(lrs, result, name="SGD", optimizer="sgd", color="#0072B2", floor=0.0)
    roles = [t["meta"]["role"] for t in traces]
    assert roles == ["band_low", "band_high", "final"]
    low, high, median = traces
    assert high["fill"] == "tonexty" and f"{NOISE_SEEDS} seeds" in high["name"]
    assert "median" in median["name"]
    for lo, m, hi in zip(low["y"], median["y"], high["y"], strict=True):
        assert lo <= m <= hi
    exact = sweep(Experiment(surface="valley"), ["sgd"], lrs).results["sgd"]
    plain = curve_traces(lrs, exact, name="SGD", optimizer="sgd", color="#0072B2", floor=0.0)
    assert [t["meta"]["role"] for t in plain] == ["final"]


def test_the_predicted_ball_is_drawn_as_theory_over_the_map():
    exp = Experiment(surface="valley", lr=0.1, noise=1.0)
    ball = predicted_ball(exp)
    scene = scene_of_run(simulate(exp), ball=ball.outline(2.0))
    (trace,) = [
        t for t in scene["map"]["data"] if (t.get("meta") or {}).get("role") == "noise-ball"
    ]
    assert "theory" in trace["name"] and trace["line"]["dash"] == "dash"
    assert scene["map"]["data"].index(trace) in scene["idx"]["stale"]  # this rate's only
    assert scene["map"]["layout"]["showlegend"]
    # Two standard deviations along each eigen-direction: Mahalanobis distance 2 everywhere.
    points = np.stack([trace["x"], trace["y"]], axis=1) - np.asarray(ball.centre)
    along = points @ ball.directions / ball.std
    assert np.allclose(np.hypot(along[:, 0], along[:, 1]), 2.0)
    # No ball where the theory does not speak: Adam, a schedule, a non-quadratic surface.
    assert predicted_ball(exp.replace(optimizer="adam")) is None
    assert predicted_ball(exp.replace(schedule="cosine")) is None
    assert predicted_ball(Experiment(surface="rosenbrock", lr=0.001, noise=1.0)) is None
    assert predicted_ball(exp.replace(noise=0.0)) is None
    assert predicted_ball(exp.replace(lr=0.25)) is None  # past 2/L: no stationary spread
