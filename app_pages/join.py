"""Join a live class, the student's page: `/join?room=CODE`."""

from ui.views.join_page import show

show()
