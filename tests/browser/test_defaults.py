"""Defaults that teach: a person picks every built-in surface from the "Loss surface" menu,
by clicking, and each opens at its own teaching rate with a descent first, not a blow-up.

The reference is the engine's own teaching rate (`core.valley.sweeps.teaching_rate`) and the badge
the person reads. The saddle has no bottom: sliding off it is its story, so there the badge
may say "Diverged", but only after a long descent (not at step 1).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from core.schema.experiment import FIELD
from core.valley import surfaces
from core.valley.sweeps import teaching_rate
from tests.browser.conftest import IDLE
from ui.controls.lr_control import format_lr

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def _pick(page, name: str) -> None:
    """Open the menu with a click and click the surface's title, then wait out the rerun."""
    title = surfaces.SURFACES[name].title
    page.locator(SIDEBAR).get_by_label("Loss surface").click()
    page.get_by_role("option", name=title, exact=True).click()
    expected = None if name == FIELD["surface"].default else name
    page.wait_for_function(
        "s => (new URLSearchParams(location.search).get('surface')) === s", arg=expected
    )
    page.wait_for_selector(IDLE, state="attached")


def _badge(page) -> str:
    page.wait_for_function("() => document.querySelectorAll('.gv-badge').length === 1")
    return page.locator(".gv-badge").first.inner_text()


def test_every_surface_picked_by_clicking_opens_with_a_descent(page, open_app):
    page.set_default_timeout(90_000)
    open_app(page)
    seen = {}
    for name in [*list(surfaces.SURFACES)[1:], FIELD["surface"].default]:
        _pick(page, name)
        rate = teaching_rate(name)
        lr = _query(page).get("lr", format_lr(FIELD["lr"].default))
        assert lr == format_lr(rate), (name, lr, rate)  # the link names the rate it shows
        badge = _badge(page)
        seen[name] = badge
        if surfaces.SURFACES[name].minima:
            assert not badge.startswith("Diverged"), (name, badge)
        else:  # the saddle: downhill for a long while, then off the map
            step = int(re.search(r"Diverged at step (\d+)", badge).group(1))
            assert step > 20, (name, badge)
    # Back on the default surface: its documented default rate, so the link stays short.
    assert "lr" not in _query(page), page.url
    assert len(seen) == len(surfaces.SURFACES)
