"""The learning-rate U-curve: final loss against the rate, shaded by outcome, with theory."""

from ui.views.sweep_view import show

show()
