"""The real-model page's widgets, loaded from its link and written back
(`core.schema.model_settings`).

A session's first visit fills every widget from the link. After that, a widget that Streamlit
dropped (its part was hidden, or the reader went to another page) comes back as the page last
showed it. Each run writes the URL from the widgets, so the address bar always holds a link to
what is on screen.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.schema import model_settings as ms
from ui.controls.lr_control import format_lr, nearest
from ui.state import url_state

LABELS = {"valley": "A real two-parameter valley", "network": "A small neural network"}
# Setting -> the key of the widget that holds it.
WIDGETS = {
    "valley": {"scale": "scale", "lr": "valley_lr", "batch": "batch", "seeds": "seeds",
               "steps": "steps"},
    "network": {"optimizer": "net_opt", "batch": "net_batch", "seed": "net_seed",
                "start_lr": "rt_start", "end_lr": "rt_end", "num_steps": "rt_steps",
                "suggestion": "rule", "schedule": "schedule", "steps": "net_steps"},
}  # fmt: skip
KEPT = "_gv_model_settings"  # each part's settings as the page last showed them


def load(whole_set: int) -> list[str]:
    """Give every widget of the page a value before it is drawn; the link's notices, once.

    ``whole_set`` is the valley's training-set size (its batch slider's "all").
    """
    notices: list[str] = []
    if KEPT not in st.session_state:
        part, settings, notices = ms.decode(url_state.query())
        kept: dict[str, Any] = {p: ms.defaults(p) for p in ms.PARTS}
        kept[part] = {k: v for k, v in settings.items() if k != "present"}
        snapped = nearest(kept["valley"]["lr"])
        if snapped != kept["valley"]["lr"]:
            notices.append(
                f"lr {kept['valley']['lr']:g} is not on the slider; using {format_lr(snapped)}."
            )
            kept["valley"]["lr"] = snapped
        kept["part"] = part
        st.session_state[KEPT] = kept
        st.session_state.setdefault("present", settings["present"])
    kept = st.session_state[KEPT]
    st.session_state.setdefault("part", LABELS[kept["part"]])
    for part, specs in ms.FIELDS.items():
        for spec in specs:
            key = WIDGETS[part][spec.name]
            if key not in st.session_state:
                st.session_state[key] = ms.value_of(spec, kept[part][spec.name], whole_set)
    return notices


def part_of(label: str) -> str:
    return next(part for part, text in LABELS.items() if text == label)


def save(whole_set: int) -> None:
    """Keep the shown part's widget values and write them into the URL."""
    kept = st.session_state[KEPT]
    part = kept["part"] = part_of(st.session_state["part"])
    for spec in ms.FIELDS[part]:
        key = WIDGETS[part][spec.name]
        if key in st.session_state:
            kept[part][spec.name] = ms.setting_of(spec, st.session_state[key], whole_set)
    present = bool(st.session_state.get("present"))
    url_state.write_query(ms.encode(part, {**kept[part], "present": present}))


def presenting() -> bool:
    """Whether presentation mode is on (set from the link by `load`, or on another page)."""
    return bool(st.session_state.get("present", False))


def binder(part: str, whole_set: int):
    """``bind(name, **override)``: the keyword arguments of the widget holding the setting
    ``name`` of ``part``, from its row of the table (`core.schema.model_settings.FIELDS`): its
    key, and its options (a choice: the grid as numbers, ``all`` as ``whole_set``) or its bounds
    (a number). ``override`` replaces what the table cannot say (the rate slider's own grid)."""
    specs = {spec.name: spec for spec in ms.FIELDS[part]}

    def bind(name: str, **override) -> dict[str, Any]:
        spec = specs[name]
        kwargs: dict[str, Any] = {"key": WIDGETS[part][name]}
        if spec.kind == "choice":
            kwargs["options"] = [ms.value_of(spec, c, whole_set) for c in spec.choices]
        elif spec.kind in ("int", "float") and "options" not in override:
            kwargs["min_value"], kwargs["max_value"] = spec.lo, spec.hi
        return {**kwargs, **override}

    return bind
