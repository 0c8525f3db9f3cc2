"""The race's own controls: which optimizers race, and the rate each runs at.

A race link carries them in the schema's view fields (`core.schema.experiment`): ``racers`` (which
optimizers, unless all six) and ``rates`` (only the rates typed; the others run at their good
rate). `load` reads them from a link, or from the older form in which ``optimizer`` and ``lr``
set that one optimizer's rate; `view` writes them back. They are kept under RACE_KEY, not
a widget key, so they outlive the race's widgets while another page is shown, and are put back
into the widgets whenever those are missing.
"""

from __future__ import annotations

import streamlit as st

from core import optimizers
from core.schema.experiment import FIELD, OPTIMIZER_NAMES, Experiment

# {"racers": tuple | None, "rates": dict | None}, as in the schema's view.
RACE_KEY = "_gv_cmp_race"


def load(exp: Experiment, view: dict) -> list[str]:
    """Racers and typed rates from a link: ``racers`` and ``rates``, or the older form, in
    which ``optimizer`` and ``lr`` set that one optimizer's rate (``rates`` wins over it)."""
    racers, notices = view.get("racers"), []
    rates = {}
    if exp.lr != FIELD["lr"].default:
        rates[exp.optimizer] = float(exp.lr)
    for name, rate in (view.get("rates") or {}).items():
        if racers is not None and name not in racers:
            notices.append(
                f"rates gives {optimizers.TITLES[name]} a rate, but {optimizers.TITLES[name]} "
                "is not among the racers; that rate was ignored."
            )
            continue
        rates[name] = float(rate)
    st.session_state[RACE_KEY] = {"racers": racers, "rates": rates or None}
    return notices


def experiment(exp: Experiment) -> Experiment:
    """What the race runs, and its link carries: the surface, start, steps and seed only (the
    racers' own rates travel in ``rates``; the sweep's optimizer, rate and hyperparameters
    stay out of it)."""
    return exp.replace(
        optimizer=FIELD["optimizer"].default,
        lr=FIELD["lr"].default,
        params={},
        schedule="constant",
        schedule_args={},
    )


def racers(sidebar) -> list[str]:
    """The multiselect of racers (all six unless a link or earlier visit chose fewer)."""
    ss = st.session_state
    if "cmp_racers" not in ss:
        ss["cmp_racers"] = list(ss.get(RACE_KEY, {}).get("racers") or OPTIMIZER_NAMES)
    return sidebar.multiselect(
        "Optimizers", list(OPTIMIZER_NAMES), key="cmp_racers", format_func=optimizers.TITLES.get
    )


def rates(container, names, good: dict[str, float]) -> tuple[dict, dict]:
    """One rate box per racer, empty meaning its good rate. Returns (rate of every racer,
    only the typed ones)."""
    ss, spec = st.session_state, FIELD["lr"]
    saved = ss.get(RACE_KEY, {}).get("rates") or {}
    every, typed = {}, {}
    for name in names:
        key = f"cmp_rate_{name}"
        if key not in ss and name in saved:
            ss[key] = float(saved[name])
        value = container.number_input(
            optimizers.TITLES[name],
            min_value=spec.lo,
            max_value=spec.hi,
            value=None,
            key=key,
            format="%g",
            step=None,
            placeholder=f"{good[name]:.4g}",
        )
        every[name] = good[name] if value is None else float(value)
        if value is not None:
            typed[name] = float(value)
    return every, typed


def view(names, typed: dict[str, float] | None = None) -> dict:
    """The race's view fields: ``racers`` unless all six race, ``rates`` only where typed
    (``typed`` None: the rate boxes were not drawn this run; keep the rates typed before)."""
    chosen = tuple(names)
    if typed is None:
        typed = st.session_state.get(RACE_KEY, {}).get("rates") or {}
    full = not chosen or set(chosen) == set(OPTIMIZER_NAMES)
    kept = {n: typed[n] for n in chosen if n in typed}
    return {"racers": None if full else chosen, "rates": kept or None}
