"""The words (and colours) for what became of a run: one status, any of the flags (see
core/valley/outcomes.py). Every place that names an outcome (the badge, the theory line, the race
table, the sweep's bands, the lessons, the walkers' tiles) reads them from here.

Kept apart from the engine, JAX-free, so that light readers (the lesson parser, the figure
builders) use the same vocabulary without loading JAX.
"""

STATUSES = ("converged", "noise_floor", "diverged", "oscillating", "too_slow", "stalled")
FLAGS = ("overshoot", "oscillation", "local_minimum")

# status -> its name ("Converged"), how a band of rates behaves ("converges"), and the
# preposition before its step ("at step 12"; an oscillation goes on "from step 3").
STATUS_WORD = {
    "converged": "Converged",
    "noise_floor": "Converged to the noise floor",
    "diverged": "Diverged",
    "oscillating": "Oscillating",
    "too_slow": "Too slow",
    "stalled": "Stalled",
}
STATUS_VERB = {
    "converged": "converges",
    "noise_floor": "reaches the noise floor",
    "diverged": "diverges",
    "oscillating": "oscillates",
    "too_slow": "too slow",
    "stalled": "stalls",
}
STEP_WORD = {"oscillating": "from step"}  # every other status: "at step"

# status -> (colour, text colour on it): Okabe-Ito colours (Okabe & Ito, "Color Universal
# Design", 2008), each readable with the text colour given.
STATUS_COLOR = {
    "converged": ("#009E73", "#000000"),  # 6.1:1 (white on it: 3.4:1, under WCAG AA's 4.5)
    "noise_floor": ("#0072B2", "#FFFFFF"),
    "diverged": ("#D55E00", "#000000"),  # 5.4:1 (white on it: 3.9:1)
    "oscillating": ("#E69F00", "#000000"),
    "too_slow": ("#56B4E9", "#000000"),
    "stalled": ("#CC79A7", "#000000"),
}
# status -> a shape drawn before its word on the badge, so the outcome never rests on colour
# alone: glyphs of different outline (DejaVu Sans and the common system fonts have them).
STATUS_ICON = {
    "converged": "\u2713",  # a tick
    "noise_floor": "\u2248",  # "about equal": settled, give or take the noise
    "diverged": "\u2715",  # a cross
    "oscillating": "\u223f",  # a sine wave
    "too_slow": "\u25d4",  # a clock face a quarter gone
    "stalled": "\u2016",  # a pause sign
}
FLAG_WORD = {
    "overshoot": "overshoots",
    "oscillation": "zig-zags",
    "local_minimum": "caught in a local minimum",
}


def status_word(status: str) -> str:
    """The status as a word in a sentence or a table cell: "too slow", "diverged"."""
    return STATUS_WORD.get(status, str(status).replace("_", " ")).lower()


def step_phrase(status: str, step: int | None) -> str:
    """ " at step 12" / " from step 3" / "" (no step)."""
    return "" if step is None else f" {STEP_WORD.get(status, 'at step')} {int(step)}"
