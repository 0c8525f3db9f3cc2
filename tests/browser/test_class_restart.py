"""A live class survives a server process restarting in the middle of a vote.

Two Streamlit processes share one database, as behind `deploy/serve_class.sh`'s nginx: the
instructor's projector on one, two students' phones on the other. Mid-vote the students'
process is killed (SIGKILL: a crash, not a polite stop) and started again; later the
instructor's own. No vote and no room is lost, the pages reconnect by themselves, the
projector catches up with nobody touching it, and the instructor keeps control of the room.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from benchmarks.server_proc import free_port, start_server, stop_server, wait_healthy
from tests.browser.class_helpers import button, metric, shown, student_votes

pytestmark = pytest.mark.browser


class Process:
    """One Streamlit process on its own port, which the test may crash and start again."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = start_server(self.port, capture_stderr=True)
        wait_healthy(self.url, self.process)

    def crash_and_restart(self) -> None:
        self.process.kill()  # SIGKILL: no shutdown hooks, sessions gone
        self.process.wait(timeout=15)
        self.start()

    def stop(self) -> None:
        stop_server(self.process)


@pytest.fixture
def two_processes():
    made = [Process(), Process()]
    yield made
    for p in made:
        p.stop()


def test_a_restarted_process_loses_no_vote_and_no_room(browser, two_processes):
    projector_process, phones_process = two_processes
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000})]
    contexts += [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(2)]
    teacher, *phones = pages = [c.new_page() for c in contexts]
    for p in pages:
        p.set_default_timeout(60_000)
    try:
        teacher.goto(f"{projector_process.url}/classroom")
        button(teacher, "Start a class").click()
        heading = teacher.locator("h1 code")
        expect(heading).to_have_text(re.compile(r"^[A-Z2-9]{6}$"), timeout=60_000)
        code = heading.inner_text()
        button(teacher, "Ask this question").click()
        button(teacher, "Open voting").click()
        for phone in phones:  # the same room, through the other process
            phone.goto(f"{phones_process.url}/join?room={code}")
            expect(phone.get_by_text("What happens at this rate")).to_be_visible(timeout=60_000)
        student_votes(phones[0], "diverges")
        expect(metric(teacher, "Answered")).to_have_text("1", timeout=15_000)

        # The phones' process crashes mid-vote and comes back on the same port.
        phones_process.crash_and_restart()
        for phone in phones:  # each page reconnects by itself, to the same room
            expect(phone.get_by_text("What happens at this rate")).to_be_visible(timeout=60_000)
        student_votes(phones[1], "converges smoothly")
        student_votes(phones[0], "too slow")  # the same student (its id is in its address)
        expect(metric(teacher, "Students joined")).to_have_text("2", timeout=15_000)
        expect(metric(teacher, "Answered")).to_have_text("2", timeout=15_000)

        # Now the projector's own process crashes: the instructor's page takes its room back.
        projector_process.crash_and_restart()
        # (the page keeps showing what it last drew while it reconnects: wait for the new draw)
        expect(teacher.get_by_text(f"Welcome back: class {code} is still on.")).to_be_visible(
            timeout=90_000
        )
        expect(metric(teacher, "Answered")).to_have_text("2", timeout=15_000)
        # the projector caught up with the vote changed while it was down
        teacher.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some(g => g.data &&"
            " g.data[0].y.includes('too slow') &&"
            " g.data[0].x[g.data[0].y.indexOf('too slow')] === 1)",
            timeout=15_000,
        )
        button(teacher, "Close voting").click()
        button(teacher, "Reveal").click()
        right = shown(teacher, re.compile(r"Right answer: .*% right"))
        expect(right).to_be_visible(timeout=30_000)
        expect(shown(teacher, "Round 1: 2 answers")).to_be_visible(timeout=15_000)
        verdict = re.compile(r"^(Right!|Not this time)")
        for phone in phones:
            expect(phone.get_by_text(verdict)).to_be_visible(timeout=15_000)
    finally:
        for c in contexts:
            c.close()
