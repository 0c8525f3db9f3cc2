"""Every lesson of the course on a phone (390 x 844) and a tablet (768 x 1024), as a learner
follows it: the first from the course list, each next one by its "Next" link, by taps. On
each, once drawn: no sideways scrolling, the map inside the window, no control a finger
cannot hit (under 44 px; tests/browser/touch_measure.py says which). All the problems of all
lessons are listed at once. Then one lesson as a shared link opens it: a page's first load,
where Streamlit draws headings, the header's buttons and popovers before the touch style
(ui/theme.py touch()), so it is measured once drawn (touch_measure.idle). One touch-screen
page per size for the module; the journeys (answering a question, tapping the map) are
tests/browser/test_phone_journeys.py's.
"""

from __future__ import annotations

import pytest

from core.lessons import Lesson, load_all
from tests.browser.conftest import app_url
from tests.browser.touch_measure import SCREENS, idle, open_screens, problems

pytestmark = pytest.mark.browser

screens = pytest.fixture(scope="module", name="screens")(open_screens)
MAIN_LINK = "[data-testid='stMain'] a"
# A lesson with a map, a chart and the "Share this experiment" popover: opened by its link, its
# header buttons (28 px) and the popover's button (40 px) were measured before the style came.
SHARED = "cycles-and-annealing"


def _open(page, link: str, lesson: Lesson) -> None:
    """Tap the link that names `lesson`, wait for the lesson to be drawn."""
    page.locator(MAIN_LINK, has_text=link).first.tap()
    page.get_by_role("heading", name=lesson.title, exact=True).wait_for()
    page.wait_for_function(
        "slug => new URLSearchParams(location.search).get('lesson') === slug", arg=lesson.slug
    )
    idle(page)


@pytest.mark.timeout(300)  # 17 lessons and a link, on a busy machine: 25-55 s a size here
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_lesson_fits_the_screen_and_a_finger(screens, server_url, screen):
    lessons = [e for e in load_all() if isinstance(e, Lesson)]
    assert len(lessons) >= 10, "the course's lessons"
    page = screens[screen]
    page.goto(app_url(server_url, "lessons"))
    idle(page)
    found, seen = [], []
    for number, lesson in enumerate(lessons, start=1):
        link = f"{number}. {lesson.title}" if number == 1 else f"Next: {lesson.title}"
        _open(page, link, lesson)
        found += problems(page, f"{screen} lesson {lesson.slug}")
        seen.append(lesson.slug)
    assert seen == [lesson.slug for lesson in lessons]  # every lesson was measured
    # A shared link, opened as a new page: a first load, every renderer loaded again.
    assert SHARED in seen, f"{SHARED} is no longer a lesson: pick another with a map"
    page.goto(app_url(server_url, "lessons", {"lesson": SHARED}))
    page.get_by_text("Share this experiment").first.wait_for()
    idle(page)
    found += problems(page, f"{screen} lesson {SHARED} opened by its link")
    assert not found, "\n".join(found)
