"""The page's settings in the URL, through the one schema (`core.experiment.decode/encode`).

Opening a copied link restores the same view: `read` decodes the query string (bad values
become visible notices and fall back to their defaults), `write` puts the current experiment
back, keeping only what differs from the defaults, so links stay short and canonical.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from core.experiment import Experiment, decode, encode


def query() -> dict[str, str]:
    """The current query string as {key: last value}."""
    return {key: st.query_params[key] for key in st.query_params}


def read(values: Mapping[str, Any] | None = None) -> tuple[Experiment, dict, list[str]]:
    """(experiment, view, notices) from the URL (or from ``values``), never raising."""
    return decode(query() if values is None else values, strict=False)


def write(exp: Experiment, view: Mapping[str, Any]) -> dict[str, str]:
    """Make the URL describe ``exp`` and ``view``; returns the query written."""
    return write_query(encode(exp, view))


def write_query(target: dict[str, str]) -> dict[str, str]:
    """Make the URL's query string ``target`` (untouched if it already is); returns it."""
    if target != query():
        st.query_params.from_dict(target)
    return target


def show_notices(notices: list[str], container=st) -> None:
    """Problems with a shared link, shown where the reader looks first."""
    if notices:
        text = "\n".join(f"- {n}" for n in notices)
        container.warning(f"Some settings in this link could not be used:\n{text}", icon="⚠️")
