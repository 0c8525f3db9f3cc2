"""Optimizer and outcome colours stay apart for colour-blind readers, and never carry meaning alone.

Colours are compared as a dichromat sees them (Machado et al. 2009, severity 1.0: protanopia,
deuteranopia, tritanopia) by CIEDE2000 (tests/colour_vision.py). The bar, ΔE2000 >= 10: one
unit is about a just-noticeable difference between two large patches side by side; thin lines,
small markers and a badge seen alone need many times that to be named apart at a glance, and
10 is the working bar palette checkers use for "distinct" (Okabe-Ito, the palette the app
uses, clears it in every simulation, its tightest pair at 10.9 under tritanopia). Nothing
here says the check is too strict: it would fail a red/green pair (see the last test).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.catalog.optimizers import CATALOG
from core.catalog.statuses import STATUS_COLOR, STATUS_ICON, STATUS_WORD, STATUSES
from figures.compare.race import Racer, race_scene
from figures.compare.ucurve import curve_traces
from figures.palette import OPTIMIZER_STYLE, SPARE_STYLE, optimizer_style
from tests.colour_vision import (
    MACHADO,
    VISIONS,
    ciede2000,
    hex_rgb,
    lab,
    pair_differences,
    simulate,
)

THRESHOLD = 10.0  # ΔE2000 between any two colours that must be told apart

# Sharma, Wu & Dalal (2005), Table 1: (L1, a1, b1, L2, a2, b2, ΔE00), pairs 1, 7, 13, 17-20, 25, 34.
SHARMA = [
    (50.0, 2.6772, -79.7751, 50.0, 0.0, -82.7485, 2.0425),
    (50.0, 0.0, 0.0, 50.0, -1.0, 2.0, 2.3669),
    (50.0, 2.49, -0.001, 50.0, -2.49, 0.0009, 7.1792),
    (50.0, 2.5, 0.0, 73.0, 25.0, -18.0, 27.1492),
    (50.0, 2.5, 0.0, 61.0, -5.0, 29.0, 22.8977),
    (50.0, 2.5, 0.0, 56.0, -27.0, -3.0, 31.9030),
    (50.0, 2.5, 0.0, 58.0, 24.0, 15.0, 19.4535),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (2.0776, 0.0795, -1.135, 0.9033, -0.0636, -0.5514, 0.9082),
]

OPTIMIZER_COLORS = {name: optimizer_style(name).color for name in CATALOG}
OUTCOME_COLORS = {s: STATUS_COLOR[s][0] for s in STATUSES}


def test_ciede2000_matches_sharmas_test_pairs():
    rows = np.array(SHARMA)
    got = ciede2000(rows[:, 0:3], rows[:, 3:6])
    np.testing.assert_allclose(got, rows[:, 6], atol=5e-4)
    # and it is symmetric
    np.testing.assert_allclose(ciede2000(rows[:, 3:6], rows[:, 0:3]), rows[:, 6], atol=5e-4)


def test_the_simulation_keeps_greys_and_loses_what_each_deficiency_loses():
    # Machado's rows sum to 1: white, black and greys are seen as they are.
    for matrix in MACHADO.values():
        np.testing.assert_allclose(matrix.sum(axis=1), 1.0, atol=1e-5)
    red, green = hex_rgb("#FF0000"), hex_rgb("#00A000")
    blue, yellow = hex_rgb("#0000FF"), hex_rgb("#FFFF00")
    apart = {
        v: (
            float(ciede2000(lab(simulate(red, v)), lab(simulate(green, v)))),
            float(ciede2000(lab(simulate(blue, v)), lab(simulate(yellow, v)))),
        )
        for v in VISIONS
    }
    # Red/green collapse for protans and deutans, not for tritans; blue/yellow the other way.
    assert apart["deuteranopia"][0] < apart["normal"][0] / 2
    assert apart["protanopia"][0] < apart["normal"][0] / 2
    assert apart["tritanopia"][0] > apart["deuteranopia"][0]


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("kind", ["optimizers", "outcomes"])
def test_colours_stay_apart_in_every_simulated_vision(kind, vision):
    colors = OPTIMIZER_COLORS if kind == "optimizers" else OUTCOME_COLORS
    differences = pair_differences(colors, vision)
    closest = min(differences, key=differences.get)
    assert differences[closest] >= THRESHOLD, (kind, vision, closest, differences[closest])


def test_the_check_can_fail_a_red_green_palette():
    differences = pair_differences({"red": "#E41A1C", "green": "#4DAF4A"}, "deuteranopia")
    assert min(differences.values()) < THRESHOLD


def test_every_optimizer_has_a_look_of_its_own_without_colour():
    assert set(CATALOG) <= set(OPTIMIZER_STYLE), set(CATALOG) - set(OPTIMIZER_STYLE)
    looks = [*OPTIMIZER_STYLE.values(), SPARE_STYLE]
    # Dash alone and marker alone each tell every optimizer apart (and the spare one).
    assert len({s.dash for s in looks}) == len(looks)
    assert len({s.symbol for s in looks}) == len(looks)
    assert len({s.color for s in looks}) == len(looks)


def test_race_paths_and_heads_carry_their_optimizers_dash_and_marker():
    path = np.array([[0.5, 0.5], [0.2, 0.1], [0.0, 0.0]])
    racers = [Racer(name, name, path) for name in reversed(list(CATALOG))]
    data = race_scene(((-1.0, 1.0), (-1.0, 1.0)), racers)["map"]["data"]
    looks = set()
    for trace in data:
        role = (trace.get("meta") or {}).get("role")
        if role not in ("race-path", "race-head"):
            continue
        style = OPTIMIZER_STYLE[trace["meta"]["optimizer"]]
        assert trace["marker"]["symbol"] == style.symbol
        assert trace["marker"]["color"] == style.color  # whatever its place in the race
        if role == "race-path":
            assert trace["line"]["dash"] == style.dash
            looks.add((trace["line"]["dash"], trace["marker"]["symbol"]))
    assert len(looks) == len(CATALOG)


def test_sweep_curves_carry_their_optimizers_dash_and_marker():
    lrs = np.array([0.01, 0.1])
    result = {
        "status": np.array(["converged", "diverged"]),
        "final_loss": np.array([0.1, np.inf]),
        "best_loss": np.array([0.1, 0.5]),
    }
    for name in CATALOG:
        final = curve_traces(lrs, result, name=name, optimizer=name, color="#000000", floor=None)[0]
        assert final["line"]["dash"] == OPTIMIZER_STYLE[name].dash
        assert final["marker"]["symbol"] == OPTIMIZER_STYLE[name].symbol


def test_every_outcome_has_a_word_and_a_shape_of_its_own():
    assert set(STATUSES) <= set(STATUS_ICON)
    assert len({STATUS_ICON[s] for s in STATUSES}) == len(STATUSES)
    assert len({STATUS_WORD[s] for s in STATUSES}) == len(STATUSES)
    for a, b in itertools.combinations(STATUSES, 2):
        assert STATUS_COLOR[a][0] != STATUS_COLOR[b][0], (a, b)


def test_the_badge_draws_each_outcomes_shape_before_its_word():
    from types import SimpleNamespace

    from ui.views.badge import ICON_CSS, badge_html

    for status in STATUSES:
        outcome = SimpleNamespace(status=status, step=3, flags=(), explanation="why")
        page = badge_html(outcome)
        assert f'data-status="{status}"' in page
        assert STATUS_WORD[status] in page
        rule = f'.gv-badge[data-status="{status}"]>span:first-child::before'
        assert rule in ICON_CSS and rule in page
        assert STATUS_ICON[status] in page.split(rule, 1)[1].split("}", 1)[0]
