"""The words a learner reads beside each schedule argument.

The table of fields (`core.schema.experiment.FIELDS`) takes each setting's label and one line of
help from here, so the sidebar, and anything else that names a setting, says the same thing.
The names themselves (PyTorch's: URL keys, CLI ``--param`` names) stay as they are. Plain
text: the UI shows it escaped, never as Markdown. The optimizers' hyperparameters have their
words in the catalog, `core.catalog.optimizers`.
"""

from __future__ import annotations


def _w(label: str, help: str) -> dict[str, str]:
    return {"label": label, "help": help}


WORDS: dict[str, dict[str, str]] = {
    # Schedule arguments.
    "step_size": _w("Steps between drops (step_size)", "The rate drops every this many steps."),
    "gamma": _w("Factor per drop γ (gamma)", "γ: what the rate is multiplied by at each drop."),
    "start_factor": _w("Start factor", "The rate starts at this fraction of the learning rate."),
    "end_factor": _w("End factor", "The rate ends at this fraction of the learning rate."),
    "total_iters": _w(
        "Length total_iters (steps)", "Steps over which the rate moves from start to end."
    ),
    "T_max": _w("Period T_max (steps)", "Steps for the cosine to fall to the lowest rate."),
    "eta_min": _w("Lowest rate η_min", "The rate at the bottom of the cosine."),
    "base_lr": _w("Lowest rate (base_lr)", "The cycle's lowest rate."),
    "max_lr": _w("Highest rate (max_lr)", "The highest rate the schedule reaches."),
    "step_size_up": _w("Steps up (step_size_up)", "Steps to climb from lowest to highest rate."),
    "step_size_down": _w("Steps down (step_size_down)", "Steps to fall back to the lowest rate."),
    "total_steps": _w("Length total_steps (steps)", "Steps the whole schedule lasts."),
    "pct_start": _w(
        "Share rising (pct_start)", "The fraction of the steps spent raising the rate."
    ),
    "div_factor": _w("Start divisor (div_factor)", "The rate starts at max_lr ÷ this."),
    "final_div_factor": _w(
        "End divisor (final_div_factor)", "The rate ends at the starting rate ÷ this."
    ),
    "warmup_steps": _w("Warm-up steps", "Steps over which the rate grows to the learning rate."),
    "after": _w(
        "After the warm-up", "What the rate does once warmed up: stay, or follow a cosine."
    ),
}
