"""Noisy gradients (issue 15): determinism per seed, no recompiles, the stationary variance of
the theory of quadratics, the noise-floor verdict, and the sweep's band over seeds."""

import numpy as np
import pytest

from core.schema.experiment import Experiment, decode, encode
from core.valley import kernel, stepper
from core.valley.fan import fan
from core.valley.noise_theory import noise_ball, stationary_variance
from core.valley.outcomes import classify, floor_cap
from core.valley.resolver import resolve
from core.valley.simulation import simulate, theta_of
from core.valley.sweeps import NOISE_SEEDS, _summaries, sweep
from core.valley.theory import nearest_analysis

NOISY = Experiment(surface="valley", lr=0.05, steps=150, noise=0.5, seed=3)


def test_the_same_seed_gives_the_same_path_and_another_seed_another():
    a, b = simulate(NOISY), simulate(NOISY)
    assert np.array_equal(a.path, b.path)
    other = simulate(NOISY.replace(seed=4))
    assert not np.allclose(a.path[1:], other.path[1:])
    exact = simulate(NOISY.replace(noise=0.0))
    assert not np.allclose(a.path[1:], exact.path[1:])
    # The largest seed the schema allows is exact in the kernel (packed as two halves).
    top = NOISY.replace(seed=2**31 - 1)
    assert np.array_equal(simulate(top).path, simulate(top).path)
    assert not np.allclose(simulate(top).path[1:], simulate(top.replace(seed=2**31 - 2)).path[1:])


def test_noise_at_step_t_does_not_depend_on_the_run_length():
    """Step t's draw is the same in a 150-step run (bucket 200) and a 400-step one (500)."""
    short, long = simulate(NOISY), simulate(NOISY.replace(steps=400))
    assert np.allclose(short.path, long.path[: len(short.path)], atol=1e-6)


def test_the_noise_added_is_gaussian_with_the_given_sigma():
    """On a plane (constant slope), SGD's step minus the exact step is -lr times the noise."""
    e = Experiment(surface="custom", formula="x + 2*y", start=(0, 0), lr=0.01, steps=2000)
    sigma = 0.7
    exact = np.diff(simulate(e).path, axis=0)
    noisy = np.diff(simulate(e.replace(noise=sigma, seed=11)).path, axis=0)
    xi = (exact - noisy) / e.lr
    assert abs(xi.mean()) < 4 * sigma / np.sqrt(xi.size)
    assert xi.std() == pytest.approx(sigma, rel=0.05)
    assert abs(np.corrcoef(xi[:, 0], xi[:, 1])[0, 1]) < 0.1  # independent coordinates
    assert abs(np.corrcoef(xi[:-1, 0], xi[1:, 0])[0, 1]) < 0.1  # independent steps


def test_a_new_sigma_or_seed_never_recompiles(monkeypatch):
    """Count traces with a Python side effect inside the traced function (`step_noise` runs
    only while JAX traces), on a surface no other test compiles."""
    traces = []
    real = stepper.step_noise
    monkeypatch.setattr(stepper, "step_noise", lambda theta, n: traces.append(n) or real(theta, n))
    e = Experiment(surface="custom", formula="0.5*x^2 + 3*y^2 + 0.0123", lr=0.1, steps=80)
    simulate(e)  # exact gradients: the kernel without noise
    assert traces == []
    for sigma, seed in ((0.5, 0), (0.5, 1), (2.0, 1), (0.01, 12345), (3.0, 2**31 - 1)):
        simulate(e.replace(noise=sigma, seed=seed))
    assert len(traces) == 1  # the flip from 0 to a nonzero sigma compiled once, then never
    res = resolve(e.replace(noise=1.0))
    run = kernel.judged_kernel(res.surface.fn, "sgd", "constant", kernel.bucket(80), (), True)
    assert run._cache_size() == 1
    # The sweep's tallying kernel: seeds are a batch axis, sigma rides in theta too.
    for sigma in (0.5, 1.5):
        sweep(e.replace(noise=sigma), ["sgd"], [0.01, 0.1])
    assert len(traces) == 2


def test_the_noiseless_kernel_takes_no_random_numbers():
    """sigma = 0 runs the old kernel: same path as before the noise existed (noise 0 is not
    noise times 0; the PRNG is not even in the program)."""
    res = resolve(NOISY.replace(noise=0.0))
    plain = kernel.judged_kernel(res.surface.fn, "sgd", "constant", kernel.bucket(150), ())
    text = plain.lower(theta_of(res)).as_text()
    assert "threefry" not in text and "random" not in text
    assert np.array_equal(
        np.asarray(plain(theta_of(res))[0])[:151, :2].astype(float)[1:],
        simulate(NOISY.replace(noise=0.0)).path[1:],
    )


@pytest.mark.parametrize(("surface", "lr"), [("valley", 0.15), ("valley", 0.05), ("bowl", 0.6)])
def test_stationary_variance_along_both_eigen_directions_matches_theory(surface, lr):
    """lr sigma^2 / (lambda (2 - lr lambda)) along each eigen-direction (valley: curvatures 10
    and 1 along (0.8, 0.6) and (-0.6, 0.8)), from 4 seeds x 2,500 steps after a 500-step
    burn-in, within 10%."""
    sigma, burn, steps = 1.0, 500, 3000
    e = Experiment(surface=surface, lr=lr, steps=steps, noise=sigma)
    a = nearest_analysis(e)
    errors = []
    for seed in range(4):
        path = simulate(e.replace(seed=seed)).path
        errors.append((path[burn:] - (a.x, a.y)) @ a.eigenvectors)
    measured = np.concatenate(errors).var(axis=0)
    for k, curvature in enumerate(a.eigenvalues):
        predicted = stationary_variance(lr, curvature, sigma)
        assert measured[k] == pytest.approx(predicted, rel=0.10), (k, curvature)
    ball = noise_ball(a, lr, sigma)
    assert np.allclose(ball.std**2, [stationary_variance(lr, c, sigma) for c in a.eigenvalues])


def test_the_formula_by_hand():
    # Curvature 10, rate 0.15: 0.15 / (10 * (2 - 1.5)) = 0.03; past 2/L none.
    assert stationary_variance(0.15, 10.0, 1.0) == pytest.approx(0.03)
    assert stationary_variance(0.25, 10.0, 1.0) == np.inf
    assert stationary_variance(0.1, 0.0, 1.0) == np.inf


@pytest.mark.parametrize("seed", range(6))
def test_a_noisy_constant_rate_run_on_a_quadratic_converges_to_the_noise_floor(seed):
    run = simulate(NOISY.replace(seed=seed))
    assert run.outcome.status == "noise_floor"
    assert run.outcome.minimum.is_global
    assert "noise floor" in run.outcome.explanation
    assert "not oscillating" in run.outcome.explanation
    # The verdict is judged the same way by the sweeps' tally (from the same theta).
    res = resolve(run.experiment)
    summaries = _summaries(run.experiment, theta_of(res)[None, :], res)
    cap = floor_cap("sgd", NOISY.lr, NOISY.noise)
    tallied = classify(res.surface, summaries, cap)
    assert tallied["status"][0] == "noise_floor"
    # Its steps past the bottom are the noise's jitter: no "zig-zags" tag beside words that
    # say it is not oscillating, in the single run and in the tally alike.
    assert run.outcome.flags == ()
    assert not tallied["overshoot"][0] and not tallied["oscillation"][0]


def test_a_noisy_run_that_is_still_creeping_is_too_slow_not_the_noise_floor():
    run = simulate(NOISY.replace(lr=0.005))
    assert run.outcome.status == "too_slow"


def test_the_same_runs_without_noise_are_judged_as_before():
    for lr, status in ((0.05, "converged"), (0.005, "too_slow"), (0.25, "diverged")):
        assert simulate(NOISY.replace(noise=0.0, lr=lr)).outcome.status == status


def test_the_tally_and_the_recorded_rows_agree_on_noisy_runs():
    from core.valley.judge import judge

    e = NOISY.replace(steps=100)
    res = resolve(e)
    thetas = np.stack([theta_of(res, lr=lr) for lr in (0.01, 0.05, 0.15, 0.3)])
    thetas = np.concatenate([thetas[:, :], thetas], axis=0)
    thetas[4:, 12] += 1  # seed_lo: another seed
    tallied = _summaries(e, thetas, res)
    run = kernel.trajectory_kernel(res.surface.fn, "sgd", "constant", kernel.bucket(100), (), True)
    for theta, summary in zip(thetas, tallied, strict=True):
        rows = np.asarray(run(theta))
        judged = judge(np, theta, rows, kernel.bucket(100))
        assert np.allclose(judged, summary, equal_nan=True, rtol=1e-5, atol=1e-6)


def test_the_noisy_sweep_is_a_band_over_at_least_16_seeds():
    assert NOISE_SEEDS >= 16
    lrs = [0.01, 0.05, 0.15]
    r = sweep(NOISY, ["sgd"], lrs).results["sgd"]
    assert (r["seeds"] == NOISE_SEEDS).all()
    assert np.all(r["final_loss_lo"] <= r["final_loss"]) and np.all(
        r["final_loss"] <= r["final_loss_hi"]
    )
    assert np.all(r["final_loss_lo"] < r["final_loss_hi"])  # a real spread
    # The band's median at one rate is the median of the single runs over the same seeds.
    finals = [
        simulate(NOISY.replace(lr=0.05, seed=NOISY.seed + k)).loss[-1] for k in range(NOISE_SEEDS)
    ]
    assert r["final_loss"][1] == pytest.approx(np.median(finals), rel=1e-4)
    assert r["final_loss_hi"][1] == pytest.approx(np.percentile(finals, 90), rel=1e-4)
    assert r["status"][1] == "noise_floor"
    # The ball grows with the rate: the median floor at 0.15 is above the one at 0.05.
    assert r["final_loss"][2] > r["final_loss"][1]
    exact = sweep(NOISY.replace(noise=0.0), ["sgd"], lrs).results["sgd"]
    assert "final_loss_lo" not in exact and exact["status"][1] == "converged"


def test_the_fan_at_a_rate_is_the_noisy_single_run():
    f = fan(NOISY, lrs=[0.05, 0.15])
    for k, lr in enumerate((0.05, 0.15)):
        run = simulate(NOISY.replace(lr=lr))
        assert f.outcomes[k].status == run.outcome.status
        assert np.allclose(f.drawn[k][-1, :2], run.path[-1], atol=1e-5)


def test_noise_in_the_url_round_trips_and_is_checked():
    e, _, notices = decode({"noise": "0.5", "seed": "4"})
    assert e.noise == 0.5 and e.seed == 4 and not notices
    assert encode(e) == {"seed": "4", "noise": "0.5"}
    assert "noise" not in encode(Experiment())
    _, _, notices = decode({"noise": "-1"})
    assert notices and "noise must be at least 0" in notices[0]


def test_each_walker_feels_its_own_noise_and_is_the_single_run_with_its_seed():
    from core.valley.sweeps import walkers

    start = (2.0, 1.0)
    e = NOISY.replace(steps=60)
    result = walkers(e, [start] * 3)  # three walkers from one start
    assert len({tuple(np.round(p, 6)) for p in result.final}) == 3  # three different walks
    for i, final in enumerate(result.final):
        run = simulate(e.replace(start=start, seed=e.seed + i))
        assert np.allclose(final, run.path[-1], rtol=1e-5, atol=1e-5)
        assert result.status[i] == run.outcome.status
