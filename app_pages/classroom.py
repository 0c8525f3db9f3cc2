"""Live class, the instructor's page: start a class, ask the room, reveal, summarize."""

from ui.views.classroom_page import show

show()
