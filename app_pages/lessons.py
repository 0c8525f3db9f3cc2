"""Lessons: the course list (`/lessons`) and one lesson (`/lessons?lesson=too-large`).

Add `present=1` for presentation mode. Lessons are read from `lessons/*.md` (see
lessons/README.md); a broken file shows its own error and leaves the others untouched.
"""

from ui.views.lessons_page import show

show()
