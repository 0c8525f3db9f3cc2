"""Typed formulas and engine messages read verbatim in Chromium, and a copied link keeps the
custom surface and the view toggles (clicks and keys, as a person does it)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HINT = "0.5*x^2 + 5*y^2"


def sidebar_errors(page) -> str:
    return "\n".join(
        page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').all_inner_texts()
    )


def pick_custom(page) -> None:
    box = page.get_by_role("combobox", name="Loss surface")
    box.click()
    page.get_by_role("option", name="Custom formula").click()
    page.get_by_role("textbox", name="Formula in x and y").wait_for()


def test_a_refused_formula_and_the_formula_hint_read_verbatim(page, open_app):
    open_app(page)
    pick_custom(page)
    formula = page.get_by_role("textbox", name="Formula in x and y")
    assert formula.get_attribute("placeholder") == HINT
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar] [data-testid=stAlert]')"
    )
    assert HINT in sidebar_errors(page)  # "Type a formula ..., for example 0.5*x^2 + 5*y^2."

    formula.fill("__import__('os')")
    formula.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stAlert]')]"
        ".some(a => a.innerText.includes('import'))"
    )
    shown = sidebar_errors(page)
    assert "Unknown name '__import__' at position 0" in shown
    assert not page.locator('[data-testid="stSidebar"] [data-testid="stAlert"] strong').count()

    # The box's help, in its tooltip, shows the example as typed (in a code span).
    label = page.locator('[data-testid="stTextInput"]', has=formula)
    label.locator('[data-testid="stTooltipHoverTarget"]').hover()
    tooltip = page.locator('[data-testid="stTooltipContent"]')
    tooltip.wait_for()
    assert HINT in tooltip.inner_text()


def test_a_copied_link_keeps_the_custom_surface_and_the_view_toggles(page, open_app, browser):
    open_app(page)
    page.get_by_text("Optimizer internals", exact=True).click()
    page.get_by_text("3D view", exact=True).click()
    page.wait_for_function("location.search.includes('internals=1')")
    page.wait_for_function("location.search.includes('three=1')")
    pick_custom(page)
    page.wait_for_function("location.search.includes('surface=custom')")
    link = page.url

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(link)
        other.get_by_role("textbox", name="Formula in x and y").wait_for(timeout=60_000)
        assert other.get_by_role("combobox", name="Loss surface").input_value() == "Custom formula"
        assert other.get_by_role("textbox", name="Formula in x and y").input_value() == ""
        other.wait_for_function(
            "() => document.querySelector('[data-testid=stSidebar] [data-testid=stAlert]')"
        )
        assert "Type a formula" in sidebar_errors(other)
        for name in ("Optimizer internals", "3D view"):
            assert other.get_by_role("switch", name=name).is_checked()
    finally:
        fresh.close()
