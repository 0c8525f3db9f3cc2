"""Figures of the real-model lab: the range test, training curves, the line fit's own
valley, and their shared look."""
