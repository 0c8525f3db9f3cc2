"""The optimizer catalog: JAX-free, consistent, and the one place an optimizer is added.

AdamW was added by its catalog entry and its file alone (core/optimizers/adamw.py); these tests
follow it into every place that must know it: the schema and URL, the CLI, the race, the sweep,
the walkers, the internals, the update rule, the theory and the lessons.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from core.catalog.optimizers import CATALOG, NAMES, hyper_rows, l2_decay


def test_the_catalog_imports_nothing_heavy():
    code = "import sys, core.catalog.optimizers as c; c.update_rule('adamw')"
    code += "; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.replace("'", '"')))
    assert not {"jax", "numpy", "streamlit", "core.optimizers"} & loaded


def test_a_name_shared_by_optimizers_has_one_range():
    rows = hyper_rows()
    for e in CATALOG.values():
        for h in e.hyper:
            r = rows[h.name]
            assert (h.lo, h.hi, h.lo_open, h.hi_open) == (r.lo, r.hi, r.lo_open, r.hi_open)
            lo_ok = h.default > h.lo if h.lo_open else h.default >= h.lo
            hi_ok = h.default < h.hi if h.hi_open else h.default <= h.hi
            assert lo_ok and hi_ok, (e.name, h.name)  # each default lies in its own range


def test_internals_are_what_each_file_computes():
    import jax.numpy as jnp

    from core import optimizers

    for name, e in CATALOG.items():
        tx = optimizers.make(name, 0.1)
        state = tx.update(jnp.ones(2), tx.init(jnp.zeros(2)), jnp.zeros(2))[1]
        assert tuple(optimizers.state_quantities(name, state, 0.1, {})) == e.internals, name


def test_adamw_is_in_the_schema_and_the_url():
    from core.schema.experiment import FIELD, decode, encode

    exp, view, notices = decode(
        {"optimizer": "adamw", "weight_decay": "0.1", "racers": "sgd,adamw", "rates": "adamw:0.1"}
    )
    assert exp.optimizer == "adamw" and exp.params == {"weight_decay": 0.1} and not notices
    assert view["racers"] == ("sgd", "adamw") and view["rates"] == {"adamw": 0.1}
    assert encode(exp)["optimizer"] == "adamw"
    assert "adamw" in FIELD["optimizer"].choices
    # another optimizer's hyperparameter is dropped with a word, by AdamW's title
    _, _, notices = decode({"optimizer": "adamw", "momentum": "0.5"})
    assert notices == ["momentum does not apply to AdamW; it was ignored."]


def _cli_path(optimizer: str) -> np.ndarray:
    cmd = [sys.executable, "-m", "core", "simulate", "--optimizer", optimizer, "--lr", "0.05"]
    cmd += ["--steps", "3", "--surface", "bowl", "--param", "weight_decay=0.1", "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return np.asarray(json.loads(out.stdout)["path"])


def test_adamw_through_the_cli():
    adamw, adam = _cli_path("adamw"), _cli_path("adam")
    # The first step: Adam's moments see the plain gradient (AdamW) or g + wd p (Adam, L2);
    # AdamW then shrinks the start by lr * wd. Adam's first step is lr * sign(g) per coordinate.
    p0, g0 = adamw[0], adamw[0]  # on the bowl 0.5 (x^2 + y^2) the gradient is the point
    np.testing.assert_allclose(adamw[1], p0 * (1 - 0.05 * 0.1) - 0.05 * np.sign(g0), rtol=1e-5)
    assert not np.allclose(adamw[1:], adam[1:])


def test_adamw_walks_with_its_internals_and_decoupled_decay():
    from core.schema.experiment import Experiment
    from core.valley.simulation import simulate

    wd = 0.5
    exp = Experiment(
        surface="bowl", optimizer="adamw", lr=0.05, steps=5, params={"weight_decay": wd}
    )
    run = simulate(exp)
    assert set(run.state) == {"exp_avg", "exp_avg_sq", "effective_lr"}
    # torch.optim.AdamW on the same surface from the same start, step for step.
    p = torch.tensor(np.asarray(run.path[0], dtype=np.float32), requires_grad=True)
    optim = torch.optim.AdamW([p], lr=0.05, weight_decay=wd)
    for t in range(5):
        optim.zero_grad()
        p.grad = torch.tensor(np.asarray(run.grad[t], dtype=np.float32))
        optim.step()
        np.testing.assert_allclose(p.detach().numpy(), run.path[t + 1], rtol=1e-5, atol=1e-6)
    assert l2_decay("adamw", {"weight_decay": wd}) == 0.0  # the gradient never sees it
    assert l2_decay("adam", {"weight_decay": wd}) == wd


def test_adamw_races_and_sweeps_without_theory():
    from core.schema.experiment import Experiment
    from core.valley.compare import race
    from core.valley.sweeps import sweep
    from core.valley.theory import critical_lr, critical_rates

    exp = Experiment(surface="bowl", lr=0.05, steps=40)
    board = race(exp, {"sgd": 0.05, "adamw": 0.05})
    assert sorted(e.optimizer for e in board) == ["adamw", "sgd"]
    result = sweep(exp, ["adamw"], np.array([0.01, 0.1]))
    assert set(result.results) == {"adamw"}
    assert critical_lr(exp.replace(optimizer="adamw")) is None
    assert "adamw" not in critical_rates(10.0, 0.9)


def test_adamw_has_an_update_rule_and_a_title_for_lessons():
    from core import optimizers
    from core.lessons.blocks import OPTIMIZER_NAMES

    rule = optimizers.update_rule_latex("adamw")
    assert r"(1 - \eta_t \lambda)\,\theta_t" in rule and rule.startswith(r"\begin{gathered}")
    assert "adamw" in OPTIMIZER_NAMES  # lesson choices must say "AdamW", not the engine key
    assert optimizers.TITLES["adamw"] == "AdamW"


@pytest.mark.parametrize("name", NAMES)
def test_every_optimizer_has_its_words(name):
    for h in CATALOG[name].hyper:
        assert h.label and h.help, (name, h.name)


def test_every_optimizer_races_in_a_colour_no_named_one_has():
    from figures.compare.race import RACE_COLORS, racer_color

    for i, name in enumerate(NAMES):
        color = racer_color(name, i)
        others = {c for n, c in RACE_COLORS.items() if n != name}
        assert color not in others, name  # AdamW never looks like SGD, in the race or sweep
        assert racer_color(name) not in others, name


def test_adamws_filled_rule_shows_the_plain_gradient():
    from core.schema.experiment import Experiment
    from core.valley.simulation import simulate
    from figures.valley.internals import _vec, filled_update_rule

    exp = Experiment(surface="bowl", optimizer="adamw", lr=0.05, steps=3)
    run = simulate(exp.replace(params={"weight_decay": 2.0}))
    hyper = {"weight_decay": 2.0}
    e = CATALOG["adamw"]
    text = filled_update_rule(
        e.figure_form, 1, run.path, run.grad, run.lr, run.state, l2_decay("adamw", hyper)
    )
    assert rf"g_t = {_vec(run.grad[1])}" in text  # the moments see no decay
    assert "effective rate per coordinate" in text
    with_l2 = filled_update_rule(e.figure_form, 1, run.path, run.grad, run.lr, run.state, 2.0)
    assert with_l2 != text  # (what Adam's L2 would have shown instead)


def test_a_lesson_can_race_adamw_and_must_name_it_by_its_title():
    from core.lessons import LessonError, parse_text
    from core.lessons.claims import check_question
    from tests.lesson_helpers import lesson_text

    question = (
        "ask: Which settles?\nchoice: Adam\nchoice: AdamW\nanswer: AdamW\n"
        "claim: status converged for optimizer=adamw\nfeedback: It does."
    )
    experiment = (
        "surface: custom\nformula: x^2 + y^2\nstart: 3,2\nlr: 0.05\nsteps: 400\n"
        "vary: optimizer = adam | adamw"
    )
    lesson = parse_text(lesson_text(question, experiment), "adamw.md")
    (q,) = lesson.questions
    (result,) = check_question(q, lesson.experiments[q.experiment_id])
    assert result.holds, result.detail
    with pytest.raises(LessonError, match="engine's name for an optimizer"):
        parse_text(lesson_text(question.replace("AdamW", "adamw"), experiment), "adamw.md")
