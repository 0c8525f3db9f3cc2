"""The optimizer race: every optimizer from the same start, each at a good rate of its own."""

from ui.views.race_view import show

show()
