"""Playground: pick a valley, drag the learning rate, watch the path."""

from ui.playground_page import show

show()
