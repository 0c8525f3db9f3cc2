"""The badge, the explanation and the theory line never contradict each other.

Every built-in surface x every optimizer x rates across the slider (every 6th value of the
slider's own grid, 1e-5 to 10), each run as the playground runs it. The reference is the run
itself (its status, the steps it took) and the closed-form theory of a quadratic: words that
claim a divergence the run does not show, a convergence it does not reach, an oscillation
"at step 0", or advice to switch to the optimizer already chosen, fail.
"""

import re

import numpy as np
import pytest

from core.catalog.statuses import STATUS_WORD, status_word, step_phrase
from core.optimizers import OPTIMIZERS, TITLES
from core.schema.experiment import Experiment
from core.schema.rate_grid import LR_GRID
from core.valley.simulation import simulate
from core.valley.surfaces import SURFACES
from core.valley.theory import critical_lr, curvature_is_constant
from ui.views.badge import badge_html
from ui.views.theory import AT_CRITICAL, theory_text

RATES = LR_GRID[::6] + (LR_GRID[-1],)


def _runs(surface: str, optimizer: str):
    for lr in RATES:
        exp = Experiment(surface=surface, optimizer=optimizer, lr=lr)
        yield exp, simulate(exp)


def _advice(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.:])\s+", text) if "helps" in s or "help here" in s]


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("surface", list(SURFACES))
def test_badge_explanation_and_theory_agree(surface, optimizer):
    everywhere = curvature_is_constant(SURFACES[surface])
    for exp, run in _runs(surface, optimizer):
        o = run.outcome
        where = f"{surface} {optimizer} lr={exp.lr:g} ({o.status} at {o.step}): "
        words = o.explanation.lower()
        badge = badge_html(o)
        # The badge names the status with the one vocabulary, and counts steps from 1.
        assert STATUS_WORD[o.status] + step_phrase(o.status, o.step) in badge, where
        if o.status in ("diverged", "oscillating"):
            assert o.step >= 1, where + "an outcome that 'starts' at step 0"
        assert not re.search(r"\bstep 0\b", words), where + o.explanation
        # Diverged runs are never said to settle or converge, and the others never to blow up.
        if o.status == "diverged":
            assert "settles" not in words and "converge" not in words, where + words
            assert run.escape is not None, where + "no record of where the last step went"
        else:
            assert "blows up" not in words and "diverge" not in words, where + words
        # Advice never suggests what is already in use.
        for sentence in _advice(o.explanation):
            assert TITLES[optimizer].lower() not in sentence.lower(), where + sentence
            if optimizer in ("adagrad", "rmsprop", "adam"):
                assert "adaptive optimizer" not in sentence, where + sentence
            if optimizer in ("momentum", "nesterov"):
                assert "momentum" not in sentence.lower(), where + sentence
        # The theory line against the run.
        critical = critical_lr(exp)
        caption, warning = theory_text(exp, critical, o, everywhere)
        theory = caption + " " + (warning or "")
        assert "must diverge" not in theory, where + theory
        if critical is None:
            continue
        ratio = exp.lr / critical
        if ratio > 1 + AT_CRITICAL and o.status != "diverged":
            # Above the critical rate without a divergence: the line must say why.
            assert warning and status_word(o.status) in warning, where + theory
            assert "not yet" in warning or "more gently" in warning, where + theory
            if o.status == "converged":  # it cannot have settled where theory forbids it
                start = np.asarray(run.path[0])
                nearest = min(
                    SURFACES[surface].minima, key=lambda m: np.hypot(m.x - start[0], m.y - start[1])
                )
                assert o.minimum != nearest, where + theory
        if o.status == "oscillating" and ratio >= 1 - AT_CRITICAL:
            # At or above the critical rate the bouncing does not die out: no "more steps".
            assert "more steps will not" in words, where + words
        if everywhere and ratio < 1 - AT_CRITICAL:
            # Below the critical rate on a quadratic: nothing can diverge, and no warning.
            assert o.status != "diverged" and warning is None, where + theory
