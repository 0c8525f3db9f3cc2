"""The CLI's --noise and --seed flags come from the schema's table and reach the engine."""

import json

from core.cli import build_parser, main
from core.schema.experiment import FIELDS, Experiment
from core.valley.simulation import simulate


def _run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_experiment_field_has_a_simulate_flag():
    sub = build_parser()._subparsers._group_actions[0].choices["simulate"]
    flags = {o for a in sub._actions for o in a.option_strings}
    for f in FIELDS:
        if f.group == "experiment":
            assert f"--{f.name}" in flags, f.name


def test_noise_and_seed_flags_give_the_engine_s_noisy_path(capsys):
    args = ("simulate", "--surface", "bowl", "--lr", "0.1", "--steps", "120", "--json")
    code, out, err = _run(capsys, *args, "--noise", "0.5", "--seed", "7")
    assert code == 0, err
    doc = json.loads(out)
    run = simulate(Experiment(surface="bowl", lr=0.1, steps=120, noise=0.5, seed=7))
    assert doc["path"] == run.path.tolist()
    assert doc["outcome"]["status"] == "noise_floor"
    code, exact, _ = _run(capsys, *args)
    assert json.loads(exact)["path"] != doc["path"]


def test_a_bad_noise_is_one_line_and_exit_2(capsys):
    code, out, err = _run(capsys, "simulate", "--surface", "bowl", "--lr", "0.1", "--noise", "-1")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "noise must be at least 0" in err


def test_a_noisy_sweep_reports_a_band(capsys):
    args = ("sweep", "--surface", "bowl", "--lr-min", "0.01", "--lr-max", "0.5", "--num", "4")
    code, out, err = _run(capsys, *args, "--noise", "0.5", "--json")
    assert code == 0, err
    r = json.loads(out)["results"]["sgd"]
    assert all(
        lo <= m <= hi
        for lo, m, hi in zip(r["final_loss_lo"], r["final_loss"], r["final_loss_hi"], strict=True)
    )
    assert r["seeds"][0] >= 16
