"""Playground: pick a valley, drag the learning rate, watch the path."""

from ui.views.playground_page import show

show()
