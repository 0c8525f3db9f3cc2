"""A live class in real Chromium: one instructor and three students (one on a 390 x 844 phone)
through a question with two rounds, the reveal and the summary. The projector's counts change
with nobody touching it; the students' pages follow the instructor's steps by themselves."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.class_helpers import button, metric, shown, student_votes

XSS = "<img src=x onerror=alert(1)>"
SHOTS = os.environ.get("GV_SHOTS", "")  # a folder for screenshots, when looking at it by eye


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.fixture
def contexts(browser):
    made = [
        browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True),
        browser.new_context(viewport={"width": 1000, "height": 900}),
        browser.new_context(viewport={"width": 1000, "height": 900}),
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True),
    ]
    pages = []
    for c in made:
        p = c.new_page()
        p.set_default_timeout(60_000)
        pages.append(p)
    yield pages
    for c in made:
        c.close()


def test_a_class_votes_twice_and_gets_its_summary(server_url, contexts):
    teacher, *students = contexts
    dialogs = []
    for p in contexts:
        p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    teacher.goto(f"{server_url}/classroom")
    button(teacher, "Start a class").click()
    code_cell = teacher.locator("h1 code")
    expect(code_cell).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    code = code_cell.inner_text()
    link = teacher.get_by_test_id("stCode").inner_text().strip()
    assert link.endswith(f"/join?room={code}")
    qr = teacher.get_by_test_id("stImage").locator("img")  # the QR code, big on a projector
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 400  # until a question is asked
    button(teacher, "Ask this question").click()  # the Playground's run: "What happens...?"
    button(teacher, "Open voting").click()
    _shot(teacher, "1-projector-open")

    # two students open the join link; the third types the code on the join page
    students[0].goto(link)
    students[1].goto(link)
    students[2].goto(f"{server_url}/join")
    students[2].get_by_label("Room code").fill(code.lower())
    button(students[2], "Join").click()
    students[0].get_by_label("Nickname (optional)").fill(XSS)
    students[0].get_by_label("Nickname (optional)").press("Enter")
    expect(students[0].get_by_text(f"You are {XSS}")).to_be_visible()

    choices = ("converges smoothly", "diverges", "converges smoothly")
    for page, option in zip(students, choices, strict=True):
        expect(page.get_by_text("What happens at this rate")).to_be_visible()
        student_votes(page, option)
    student_votes(students[1], "too slow")  # a change replaces the vote
    _shot(students[2], "2-phone-sent")

    # the projector counts them by itself: nobody touches the instructor's page
    expect(metric(teacher, "Students joined")).to_have_text("3", timeout=10_000)
    expect(metric(teacher, "Answered")).to_have_text("3", timeout=10_000)
    expect(teacher.get_by_text(f"In the room: {XSS}")).to_be_visible()
    button(teacher, "Close voting").click()
    for page in students:
        expect(page.get_by_text("Voting is closed")).to_be_visible(timeout=10_000)
    button(teacher, "Reveal").click()
    expect(shown(teacher, re.compile(r"Right answer: .*% right"))).to_be_visible()
    verdict = re.compile(r"^(Right!|Not this time)")
    for page in students:
        expect(page.get_by_text(verdict)).to_be_visible(timeout=10_000)
    _shot(teacher, "3-projector-revealed")
    _shot(students[2], "4-phone-revealed")

    button(teacher, "Discuss, then vote again").click()
    for page in students:
        expect(page.get_by_text("Round 2: after discussing")).to_be_visible(timeout=10_000)
        student_votes(page, "converges smoothly", "Sure")
    expect(shown(teacher, "Round 2: 3 answers")).to_be_visible(timeout=10_000)
    expect(shown(teacher, re.compile("Round 1: 3 answers"))).to_be_visible()
    _shot(teacher, "5-projector-round2")
    button(teacher, "Close voting").click()
    button(teacher, "Reveal").click()
    button(teacher, "End class").click()

    expect(teacher.get_by_text("Summary")).to_be_visible()
    with teacher.expect_download() as download:
        teacher.get_by_role("button", name="Download the summary (CSV)").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("question,prompt,right_answer,round1_votes")
    assert len(lines) == 2 and ",3," in lines[1]
    _shot(teacher, "6-summary")
    for page in students:
        expect(page.get_by_text("The class has ended")).to_be_visible(timeout=10_000)
    # the nickname was text everywhere: no image element made of it, no script ran
    for page in contexts:
        assert page.locator("img[src='x']").count() == 0
    assert dialogs == []
