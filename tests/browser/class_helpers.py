"""What a person does on the live class's pages, shared by the class's browser tests."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import shown  # noqa: F401  (the class tests read it from here)


def button(page, label: str):
    return page.get_by_role("button", name=label, exact=True)


def student_votes(page, option: str, sure: str = "Fairly sure") -> None:
    """Pick an option and how sure, press Send, and see the page confirm it."""
    radios = page.get_by_test_id("stRadio")
    radios.nth(0).get_by_text(option, exact=True).click()
    radios.nth(1).get_by_text(sure, exact=True).click()
    page.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    expect(page.get_by_text(f"Sent: {option}.")).to_be_visible(timeout=30_000)


def metric(page, label: str):
    """The value of one of the projector's counts ("Students joined", "Answered")."""
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")
