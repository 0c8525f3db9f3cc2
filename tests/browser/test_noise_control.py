"""The Playground's "Gradient noise" control in real Chromium: typing a noise changes the path
(to the engine's noisy path for that seed) and the badge (the noise floor), and the link says
so."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.schema.experiment import Experiment

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'


def player_path(page) -> np.ndarray:
    xy = page.evaluate(
        "() => { const p = document.querySelector('.gv-root').__gvPlayer;"
        " return [Array.from(p.x), Array.from(p.y)]; }"
    )
    return np.array(xy).T


def test_the_noise_control_changes_the_path_and_the_outcome(page, open_app):
    open_app(page, "", {"surface": "bowl", "lr": "0.1", "steps": "150"})
    exact = core.simulate(Experiment(surface="bowl", lr=0.1, steps=150))
    np.testing.assert_allclose(player_path(page), exact.path, rtol=1e-5, atol=1e-6)
    assert "Converged" in page.locator(".gv-badge").inner_text()
    old = page.get_attribute(".gv-root", "data-scene")

    box = page.locator(SIDEBAR).get_by_role("spinbutton", name="Gradient noise")
    box.fill("0.5")
    box.press("Enter")
    page.wait_for_function(
        "old => { const r = document.querySelector('.gv-root');"
        " return r && r.getAttribute('data-scene') !== old; }",
        arg=old,
    )
    page.wait_for_function("() => new URL(location.href).searchParams.get('noise') === '0.5'")
    noisy = core.simulate(Experiment(surface="bowl", lr=0.1, steps=150, noise=0.5))
    assert noisy.outcome.status == "noise_floor"
    page.wait_for_function(
        "() => document.querySelector('.gv-badge').innerText.includes('noise floor')"
    )
    np.testing.assert_allclose(player_path(page), noisy.path, rtol=1e-5, atol=1e-5)
    assert not np.allclose(player_path(page), exact.path, atol=1e-3)
    # The seed box appears with the noise, and the theory names the ball it predicts.
    assert page.locator(SIDEBAR).get_by_role("spinbutton", name="Noise seed").count() == 1
    assert page.locator(SIDEBAR).get_by_text("noise ball", exact=False).count() >= 1
