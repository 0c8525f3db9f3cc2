"""The learning-rate U-curve: final loss against the rate, shaded by outcome, with theory."""

from ui.sweep_view import show

show()
