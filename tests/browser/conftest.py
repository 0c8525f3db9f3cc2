"""Real-browser fixtures: a real `streamlit run app.py` server and headless Chromium pages.

Reuse them for any page:

    pytestmark = pytest.mark.browser

    def test_something(page, open_app):
        open_app(page, "sweep", {"lr": "0.1"})      # path, query params; waits for the app
        open_app(page, "", wait_for=".gv-map .main-svg")  # or for a chart of your own

`server_url` starts one server per test session on a free port (waiting for
``/_stcore/health``) and stops it at the end; `restartable_server` is a server of one test's
own that it may restart; `browser` is one Chromium per session; `page` is a fresh context and
page per test (no shared cookies, storage or session). Starting, waiting and stopping are
`benchmarks.server_proc`'s, the browser `benchmarks.chromium`'s: the benchmarks drive the
same server and the same browser.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from benchmarks import chromium
from benchmarks.server_proc import free_port, serving, start_server, stop_server, wait_healthy

CHART = ".gv-map .main-svg"  # the playground's map, once plotted
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"  # no script run under way
# What a person waits for: `expect(...)` polls up to this long, as the pages' own default
# timeout does (30 s), not Playwright's 5 s, which a machine busy with a second test worker's
# server and browser overran (a vote's "Sent", a phone following the projector).
EXPECT_TIMEOUT_MS = 30_000


def shown(page, text):
    """Text a sighted person reads: the charts' screen-reader sentences, which may repeat it
    ("Bar chart, Round 1: 3 answers ...", "you stand at ..."), left out, and so are hidden
    elements (a chart Streamlit keeps, stale and not laid out, while a run replaces it)."""
    return page.get_by_text(text).and_(page.locator(":not(.gv-sr-only)")).filter(visible=True)


@pytest.fixture(scope="session")
def server_url():
    """Base URL of a running app server (one per session)."""
    with serving(capture_stderr=True) as (url, _):
        yield url


@pytest.fixture
def restartable_server():
    """(url, restart): a server of this test's own that it may stop and start again on the same
    port (the browser keeps its localStorage, which is per origin)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    state = {"process": start_server(port, capture_stderr=True)}

    def restart():
        stop_server(state["process"])
        state["process"] = start_server(port, capture_stderr=True)
        wait_healthy(url, state["process"])

    try:
        wait_healthy(url, state["process"])
        yield url, restart
    finally:
        stop_server(state["process"])


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    if not chromium.installed():
        pytest.skip(f"Chromium is not installed at {chromium.CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = chromium.launch(playwright)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page (1400 x 1000) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def app_url(server_url: str, path: str = "", params: dict | None = None) -> str:
    query = f"?{urlencode(params)}" if params else ""
    return f"{server_url}/{path.lstrip('/')}{query}"


@pytest.fixture
def open_app(server_url):
    """open_app(page, path="", params=None, wait_for=CHART): load a page, wait for its chart."""

    def _open(tab, path: str = "", params: dict | None = None, wait_for: str | None = CHART):
        tab.goto(app_url(server_url, path, params))
        tab.wait_for_selector('[data-testid="stApp"]', state="attached")
        if wait_for:
            tab.wait_for_selector(wait_for, timeout=60_000)
        return tab

    return _open


def predict_right(page, k: int, question) -> None:
    """Answer the k-th prediction question of the lesson on screen with its right answer, by
    clicking the choice and "Check my prediction", as a learner does; waits for the feedback."""
    group = page.get_by_role("radiogroup").nth(k)
    group.locator("label").nth(question.answer).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Check my prediction') && !b.disabled)"
    )
    page.get_by_role("button", name="Check my prediction").click()
    page.get_by_text("Right:").nth(k).wait_for()
