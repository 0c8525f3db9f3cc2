"""An instructor's shared link opened fresh in presentation mode keeps every setting.

Presentation mode reports the window's height once (one extra rerun). Reported while the first
run was still drawing the page, that rerun cut the run short, and the widgets it had not drawn
yet came back at their defaults: the Race's "Steps" at 1 and no racers ticked, while the race
itself ran 150 steps with all of them. Reported before the browser had taken in the
widgets the first run drew, it did the same (`ui/state/widget_resync`).
"""

from __future__ import annotations

import pytest

from core.catalog.optimizers import TITLES
from tests.browser.conftest import IDLE

pytestmark = pytest.mark.browser


def test_a_presentation_link_to_the_race_keeps_its_settings(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{server_url}/race?present=1&steps=120")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(1500)  # the height report and its rerun
    page.wait_for_selector(IDLE, state="attached")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("spinbutton", name="Steps").input_value() == "120"
    chips = sidebar.locator('[data-testid="stMultiSelect"]').inner_text()
    assert all(title in chips for title in TITLES.values()), chips
    context.close()
