"""`python -m core models | lr-find | train`: JSON on stdout, one-line errors and exit 2."""

import json
import subprocess
import sys

import pytest

from core.cli import main
from tests.paths import REPO

ROOT = REPO


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_models_lists_both_models(capsys):
    code, out, _ = run(capsys, "models", "--json")
    assert code == 0
    names = [m["name"] for m in json.loads(out)]
    assert names == ["linreg-diabetes", "mlp-digits"]


def test_lr_find_end_to_end_through_python_m_core():
    out = subprocess.run(
        [sys.executable, "-m", "core", "lr-find", "--model", "mlp-digits", "--seed", "1",
         "--start-lr", "1e-6", "--end-lr", "30", "--num-steps", "80", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["lr"][0] == pytest.approx(1e-6)
    assert len(doc["lr"]) == len(doc["loss"]) == len(doc["smoothed"]) <= 80
    assert set(doc["suggestions"]) == {"steepest", "minimum", "valley"}
    for value in doc["suggestions"].values():
        assert doc["lr"][0] < value < doc["lr"][-1]


def test_train_mlp_json_has_curves_and_accuracy(capsys):
    code, out, _ = run(
        capsys, "train", "--model", "mlp-digits", "--optimizer", "momentum", "--lr", "0.05",
        "--steps", "150", "--schedule", "step", "--schedule-param", "step_size=50",
        "--batch-size", "32", "--seed", "3", "--param", "momentum=0.8", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert len(doc["train_loss"]) == len(doc["val_loss"]) == 151 and len(doc["lr"]) == 150
    assert doc["lr"][49] == pytest.approx(0.05) and doc["lr"][50] == pytest.approx(0.005)
    assert 0.5 < doc["val_accuracy"] <= 1 and doc["diverged_at"] is None


def test_train_the_line_gives_its_path(capsys):
    code, out, _ = run(
        capsys, "train", "--model", "linreg-diabetes", "--lr", "0.001", "--steps", "20",
        "--raw-features", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert len(doc["path"]) == 21 and doc["val_accuracy"] is None
    assert doc["train_loss"][-1] < doc["train_loss"][0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "--model", "resnet", "--lr", "0.1"], "Unknown model 'resnet'"),
        (["train", "--model", "mlp-digits", "--lr", "abc"], "lr must be a number"),
        (["train", "--model", "mlp-digits", "--lr", "0.1", "--batch-size", "5000"], "between 1"),
        (["train", "--model", "mlp-digits", "--lr", "0.1", "--steps", "0"], "steps must be"),
        (["train", "--model", "mlp-digits", "--lr", "0.1", "--optimizer", "lbfgs"], "optimizer"),
        (["train", "--model", "mlp-digits", "--lr", "0.1", "--param", "beta1=0.5"], "beta1"),
        (["train", "--model", "mlp-digits", "--lr", "0.1", "--schedule", "step",
          "--schedule-param", "T_max=3"], "T_max"),
        (["train", "--model", "mlp-digits"], "--lr"),
        (["lr-find", "--model", "mlp-digits", "--start-lr", "1", "--end-lr", "0.1"], "below"),
        (["lr-find", "--model", "mlp-digits", "--start-lr", "-1"], "positive"),
        (["lr-find", "--model", "mlp-digits", "--num-steps", "1"], "num-steps"),
        (["lr-find", "--model", "mlp-digits", "--seed", "-3"], "seed"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line(capsys, args, message):
    code, out, err = run(capsys, *args, "--json")
    assert code == 2 and out == ""
    assert err.startswith("error:") and err.count("\n") == 1 and message in err


@pytest.mark.parametrize(
    "args",
    [
        ("surfaces",),
        ("models",),
        ("simulate", "--surface", "bowl", "--lr", "0.1"),
        ("sweep", "--surface", "himmelblau", "--lr-min", "0.001", "--lr-max", "1", "--num", "9"),
        ("analyze", "--surface", "himmelblau"),
        ("lr-find", "--model", "mlp-digits", "--num-steps", "40"),
        ("train", "--model", "mlp-digits", "--lr", "0.1", "--steps", "60"),
        ("train", "--model", "linreg-diabetes", "--lr", "0.1", "--steps", "60"),
    ],
)
def test_without_json_every_command_prints_a_short_summary_of_the_same_result(capsys, args):
    code, doc, _ = run(capsys, *args, "--json")
    doc = json.loads(doc)
    code, text, err = run(capsys, *args)
    assert code == 0 and not err
    lines = text.strip().splitlines()
    assert 1 <= len(lines) <= 16 and not text.lstrip().startswith(("{", "["))
    if isinstance(doc, list):  # a listing: every name, one per line
        assert [line.split()[0] for line in lines] == [item["name"] for item in doc]
    elif "suggestions" in doc:
        assert f"valley {doc['suggestions']['valley']:.4g}" in text
    elif doc.get("val_accuracy") is not None:
        assert f"{100 * doc['val_accuracy']:.1f}%" in text
    elif "train_loss" in doc:
        assert f"validation loss {doc['val_loss'][-1]:.4g}" in text
    elif "results" in doc:
        assert "sgd:" in text and f"{len(doc['lr'])} rates" in text
    elif "minima" in doc:
        assert len(lines) == len(doc["minima"])
    else:
        assert doc["outcome"]["status"] in text
