"""The accessibility audit, in real Chromium: axe-core (the engine accessibility engineers use)
on every page of the app and every lesson, in normal and in presentation mode. No critical and
no serious violation, colour contrast included.

One server, one browser context, one page: the pages are visited in sequence through the
sidebar and the lessons' own links, as a person moves (no reloads, so presentation mode,
switched on by its toggle on the Playground, carries over to every page as it does for an
instructor). Each visit is a test of its own (`normal/Race`, `present/lesson:momentum`), and
prints the rules axe ran and the violations of any impact it found there.
"""

from __future__ import annotations

import ast

import pytest

from core.lessons import Lesson, load_all
from tests.browser.a11y_helpers import audit, go_to, report, settle
from tests.paths import REPO

pytestmark = pytest.mark.browser


def _page_titles() -> list[str]:
    """The sidebar's pages, read from app.py's PAGES table (importing app.py would run it)."""
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES"
    )
    rows = ast.literal_eval(table)
    return [title for script, title, _, _ in rows if (REPO / script).exists()]


TITLES = _page_titles()
LESSONS = [e for e in load_all() if isinstance(e, Lesson)]
VISITS = [
    (mode, where)
    for mode in ("normal", "present")
    for where in [*TITLES, *(f"lesson:{lesson.slug}" for lesson in LESSONS)]
]


@pytest.fixture(scope="module")
def tab(browser, server_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server_url)
    settle(page)
    yield page
    context.close()


def test_axe_finds_an_unlabelled_button(browser):
    """The audit can fail: a button without a name and grey-on-white text are reported."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<button></button><p style="color:#bbb">faint</p></main></body></html>'
    )
    found = {v["id"] for v in audit(page)["blocking"]}
    context.close()
    assert {"button-name", "color-contrast"} <= found


def _presentation_on(page) -> None:
    """Switch presentation mode on by its toggle on the Playground (once a session)."""
    if getattr(page, "_gv_present", False):
        return
    go_to(page, TITLES[0])
    toggle = page.locator("label", has_text="Presentation mode").locator("input")
    if not toggle.is_checked():
        page.get_by_text("Presentation mode", exact=True).click()
        settle(page)
    assert toggle.is_checked()
    page._gv_present = True


def _open_lesson(page, slug: str) -> None:
    """Open a lesson by its links: "Next" from the lesson before it, else its card in the
    course list (reached by "All lessons" from a lesson, or the sidebar)."""
    number, lesson = next((i, e) for i, e in enumerate(LESSONS, 1) if e.slug == slug)
    following = page.get_by_role("link", name=f"Next: {lesson.title}", exact=True)
    if following.count():
        following.click()
    else:
        back = page.get_by_role("link", name="All lessons", exact=True)
        if back.count():
            back.click()
        else:
            go_to(page, "Lessons")
        page.get_by_role("link", name=f"{number}. {lesson.title}").click()
    page.get_by_role("heading", name=lesson.title, exact=True).wait_for()
    settle(page)


@pytest.mark.parametrize(("mode", "where"), VISITS, ids=[f"{m}/{w}" for m, w in VISITS])
def test_no_serious_violation(tab, mode, where, record_property):
    if mode == "present":
        _presentation_on(tab)
    if where.startswith("lesson:"):
        _open_lesson(tab, where.removeprefix("lesson:"))
    else:
        go_to(tab, where)
    result = audit(tab)
    record_property("axe", f"{mode}/{where}: {result['rules']} rules, {result['counts']}")
    print(f"axe {mode}/{where}: {result['rules']} rules ran, violations {result['counts']}")
    assert not result["blocking"], f"{mode}/{where}:\n{report(result['blocking'])}"
