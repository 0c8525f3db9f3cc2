"""The command line: JSON documents on stdout, one-line errors and exit 2 on bad input."""

import json
import subprocess
import sys

import pytest

from tests.paths import REPO

ROOT = REPO


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_surfaces_json():
    out = cli("surfaces", "--json")
    assert out.returncode == 0, out.stderr
    surfaces = json.loads(out.stdout)
    assert len(surfaces) >= 12 and surfaces[0]["name"] == "valley"
    for s in surfaces:
        assert set(s) >= {"name", "title", "formula", "domain", "minima", "start"}
        (x0, x1), (y0, y1) = s["domain"]
        assert x0 < x1 and y0 < y1
        for m in s["minima"]:
            assert set(m) == {"x", "y", "value", "global"}


def test_simulate_json_and_outcome():
    out = cli(
        "simulate",
        "--formula",
        "x^2 + 3*y^2",
        "--optimizer",
        "momentum",
        "--lr",
        "0.05",
        "--steps",
        "300",
        "--start",
        "2,-1",
        "--param",
        "momentum=0.5",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["path"]) == 301 and len(doc["loss"]) == 301 and len(doc["lr"]) == 300
    assert doc["path"][0] == [2.0, -1.0]
    assert doc["outcome"]["status"] == "converged"
    assert set(doc["outcome"]) == {"status", "flags", "step", "minimum", "explanation"}


def test_simulate_with_schedule_and_diverging_run():
    out = cli(
        "simulate",
        "--surface",
        "bowl",
        "--lr",
        "1.5",
        "--steps",
        "100",
        "--schedule",
        "exponential",
        "--schedule-param",
        "gamma=0.999",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["outcome"]["status"] == "diverged"
    # Steps count from 1: the path holds the start and the points of the steps before the
    # one that blew up; where that one went is the "escape".
    assert len(doc["path"]) == doc["outcome"]["step"]
    assert len(doc["escape"]) == 2


def test_sweep_json():
    out = cli(
        "sweep",
        "--surface",
        "bowl",
        "--optimizer",
        "sgd",
        "--optimizer",
        "adam",
        "--lr-min",
        "1e-3",
        "--lr-max",
        "3",
        "--num",
        "25",
        "--steps",
        "200",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["lr"]) == 25 and set(doc["results"]) == {"sgd", "adam"}
    sgd = doc["results"]["sgd"]
    # x^2 + y^2 has L = 2: gradient descent diverges above a = 1.
    assert all(
        (s == "diverged") == (a > 1.0) for a, s in zip(doc["lr"], sgd["status"], strict=True)
    )


def test_analyze_json():
    out = cli("analyze", "--formula", "0.5*x^2 + 25*y^2", "--momentum", "0.5", "--json")
    assert out.returncode == 0, out.stderr
    (m,) = json.loads(out.stdout)["minima"]
    assert m["critical_lr"]["sgd"] == pytest.approx(0.04, rel=1e-5)
    assert m["critical_lr"]["momentum"] == pytest.approx(0.06, rel=1e-5)
    assert set(m["best_lr"]["momentum"]) == {"lr", "momentum"}


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", "--surface", "nowhere", "--lr", "0.1"],
        ["simulate", "--surface", "bowl", "--lr", "abc"],
        ["simulate", "--surface", "bowl", "--lr", "nan"],
        ["simulate", "--surface", "bowl", "--lr", "-1"],
        ["simulate", "--surface", "bowl", "--lr", "0.1", "--steps", "1000000000"],
        ["simulate", "--surface", "bowl", "--lr", "0.1", "--start", "99,0"],
        ["simulate", "--surface", "bowl", "--lr", "0.1", "--param", "beta1=2"],
        ["simulate", "--surface", "bowl", "--lr", "0.1", "--param", "beta1=0.5"],
        ["simulate", "--surface", "bowl", "--lr", "0.1", "--param", "nonsense"],
        ["simulate", "--formula", "__import__('os').system('echo hacked')", "--lr", "0.1"],
        ["simulate", "--formula", "9**9**9", "--lr", "0.1"],
        ["simulate", "--lr", "0.1"],
        ["sweep", "--surface", "bowl", "--lr-min", "1", "--lr-max", "0.1"],
        ["analyze", "--surface", "bowl", "--momentum", "1.5"],
        ["bogus-command"],
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args):
    out = cli(*args, "--json") if args[0] != "bogus-command" else cli(*args)
    assert out.returncode == 2
    assert out.stdout == "" and "hacked" not in out.stdout + out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in out.stderr


def test_a_reader_that_stops_early_gets_no_traceback():
    # The pipe closes long before the ~0.5 MB document (10,001 points) is written.
    out = subprocess.run(
        f"{sys.executable} -m core simulate --surface bowl --lr 0.001 --steps 10000 --json"
        " | head -c 10",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout == '{"path": [' and "Traceback" not in out.stderr


def _run_in_process(capsys, *args: str) -> tuple[int, str, str]:
    from core import cli as core_cli

    code = core_cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("start", [["--start", "-4,6"], ["--start=-4,6"]], ids=["space", "equals"])
def test_a_negative_start_works_as_typed(capsys, start):
    code, out, err = _run_in_process(
        capsys, "simulate", "--surface", "booth", *start, "--lr", "0.05", "--steps", "1", "--json"
    )
    assert code == 0, err
    path = json.loads(out)["path"]
    # Booth f = (x + 2y - 7)^2 + (2x + y - 5)^2 at (-4, 6): the gradient, by hand, is
    # (2*1 + 4*(-7), 4*1 + 2*(-7)) = (-26, -10); one step of 0.05 lands on (-2.7, 6.5).
    assert path[0] == [-4.0, 6.0]
    assert path[1] == pytest.approx([-2.7, 6.5], abs=1e-6)


def test_every_value_may_start_with_a_minus(capsys):
    # A formula that starts with '-' reads the same as the one written with a leading 0.
    runs = [
        _run_in_process(
            capsys, "simulate", "--formula", f, "--lr", "0.01", "--steps", "5", "--json"
        )
        for f in ("-x^2 + 3*y^2 + x^4", "0 - x^2 + 3*y^2 + x^4")
    ]
    assert [code for code, _, _ in runs] == [0, 0], runs
    assert json.loads(runs[0][1])["path"] == json.loads(runs[1][1])["path"]


@pytest.mark.parametrize(
    "args, words",
    [
        (["--start", "-4"], "start must be two numbers"),
        (["--lr", "-1"], "lr must be at least"),
        (["--param", "weight_decay=-1"], "weight_decay must be at least 0"),
        (["--start"], "expected one argument"),
    ],
)
def test_bad_values_that_start_with_a_minus_are_one_line_and_exit_2(capsys, args, words):
    base = ["simulate", "--surface", "booth", "--lr", "0.05"]
    code, out, err = _run_in_process(capsys, *base, *args)
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err


def test_real_model_flags_take_a_minus_value_too(capsys):
    code, _, err = _run_in_process(capsys, "train", "--model", "linreg-diabetes", "--lr", "-0.1")
    assert code == 2 and "lr must be at least" in err and "expected one argument" not in err
