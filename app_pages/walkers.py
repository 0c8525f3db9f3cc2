"""Many walkers: a grid of start points, each coloured by the valley its walker ends in."""

from ui.views.walkers_view import show

show()
