"""Schedule arguments resolved for a run: run-dependent defaults filled in, bad arguments
refused with clear messages."""

from __future__ import annotations

import jax.numpy as jnp
import pytest

from core import schedules as S

# --- resolve: defaults and errors --------------------------------------------------------


def test_resolve_fills_run_dependent_defaults():
    assert S.resolve("cyclic", 0.2, 80, {}) == {
        "base_lr": pytest.approx(0.02),
        "max_lr": 0.2,
        "step_size_up": 10.0,
        "step_size_down": 10.0,
    }
    # torch: step_size_down=None means as long as the climb (was 10, the run's default: #12).
    assert S.resolve("cyclic", 0.2, 80, {"step_size_up": 3}) == {
        "base_lr": pytest.approx(0.02),
        "max_lr": 0.2,
        "step_size_up": 3.0,
        "step_size_down": 3.0,
    }
    assert S.resolve("step", 0.1, 3, {}) == {"step_size": 1.0, "gamma": 0.1}
    assert S.resolve("cosine", 0.1, 200, {}) == {"T_max": 200.0, "eta_min": 0.0}
    assert S.resolve("warmup", 0.1, 200, {"after": "cosine"}) == {
        "warmup_steps": 20.0,
        "after": 1.0,
        "eta_min": 0.0,
        "total_steps": 200.0,
    }
    assert S.resolve("linear", 0.1, 200, {"total_iters": "50"})["total_iters"] == 50.0
    assert S.resolve("constant", 0.1, 10, {}) == {}
    for name in S.SCHEDULES:
        assert tuple(S.resolve(name, 0.1, 100, {})) == S.PARAMS[name]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("cosine", {"T_max": 0}, r"cosine: T_max must be a whole number >= 1 \(got 0\)"),
        ("cosine", {"T_max": 2.5}, r"T_max must be a whole number >= 1"),
        ("step", {"gamma": 0}, r"step: gamma must be a number > 0 \(got 0\)"),
        ("step", {"gamma": float("inf")}, r"gamma must be a number > 0"),
        ("linear", {"start_factor": 0}, r"start_factor must be a number > 0 and <= 1"),
        ("linear", {"start_factor": 1.5}, r"start_factor must be a number > 0 and <= 1"),
        ("linear", {"end_factor": -0.1}, r"end_factor must be a number >= 0 and <= 1"),
        ("onecycle", {"pct_start": 1.0}, r"pct_start must be a number > 0 and < 1"),
        ("onecycle", {"div_factor": -1}, r"div_factor must be a number > 0"),
        ("cyclic", {"step_size_down": 0}, r"step_size_down must be a whole number >= 1"),
        ("cyclic", {"max_lr": "fast"}, r"cyclic: max_lr must be a number \(got 'fast'\)"),
        ("exponential", {"gamma": True}, r"gamma must be a number, not True"),
        ("warmup", {"after": "linear"}, r"after must be one of constant, cosine"),
        (
            "warmup",
            {"after": "cosine", "warmup_steps": 50, "total_steps": 50},
            r"total_steps must be > warmup_steps",
        ),
        (
            "step",
            {"gama": 0.5},
            r"Unknown argument\(s\) gama for schedule 'step'; valid: step_size, gamma",
        ),
        ("constant", {"gamma": 0.5}, r"for schedule 'constant'; valid: none"),
        ("sawtooth", {}, r"Unknown schedule 'sawtooth'; valid schedules: constant, step, "),
    ],
)
def test_resolve_rejects_bad_arguments_with_clear_messages(name, params, message):
    with pytest.raises(S.ScheduleError, match=message):
        S.resolve(name, 0.1, 100, params)


def test_resolve_rejects_bad_runs_and_schedule_error_is_a_value_error():
    with pytest.raises(ValueError, match=r"steps must be a whole number >= 1 \(got 0\)"):
        S.resolve("cosine", 0.1, 0, {})
    with pytest.raises(S.ScheduleError, match=r"lr must be a number >= 0"):
        S.resolve("cosine", float("nan"), 10, {})
    with pytest.raises(S.ScheduleError, match="Unknown schedule"):
        S.lr_at("nope", jnp.arange(3), 0.1, {})
    with pytest.raises(S.ScheduleError, match="Unknown schedule"):
        S.formula_latex("nope")


def test_tables_are_consistent():
    assert set(S.TITLES) == set(S.PARAMS) == set(S.SCHEDULES)
    assert S.SCHEDULES[0] == "constant" and len(S.SCHEDULES) == 8
    for name in S.SCHEDULES:
        latex = S.formula_latex(name)
        assert latex.startswith(r"\eta") or r"\eta_t" in latex
        assert latex.count("{") == latex.count("}")
