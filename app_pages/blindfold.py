"""Blindfold walk: choose each step's length feeling only the slope, then see the valley."""

from ui.views.blindfold_view import show

show()
