"""The words for what became of a run: one status, any of the flags (see core/outcomes.py).

Kept apart from the engine so that light readers (the lesson parser) use the same vocabulary
without loading JAX.
"""

STATUSES = ("converged", "diverged", "oscillating", "too_slow", "stalled")
FLAGS = ("overshoot", "oscillation", "local_minimum")
