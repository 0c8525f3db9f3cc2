"""The page's settings in the URL, through the one schema (`core.schema.experiment.decode/encode`).

Opening a copied link restores the same view: `read` decodes the query string (bad values
become visible notices and fall back to their defaults), `write` puts the current experiment
back, keeping only what differs from the defaults, so links stay short and canonical.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.schema.experiment import Experiment, decode, encode
from ui.text import plain


def query() -> dict[str, str]:
    """The current query string as {key: last value}."""
    return {key: st.query_params[key] for key in st.query_params}


def read(values: Mapping[str, Any] | None = None) -> tuple[Experiment, dict, list[str]]:
    """(experiment, view, notices) from the URL (or from ``values``), never raising."""
    return decode(query() if values is None else values, strict=False)


def write(exp: Experiment, view: Mapping[str, Any]) -> dict[str, str]:
    """Make the URL describe ``exp`` and ``view``; returns the query written."""
    return write_query(encode(exp, view))


SENT_KEY = "_gv_url_sent"  # (page, query) this session last put in the address bar


def write_query(target: dict[str, str]) -> dict[str, str]:
    """Make the address bar's query string ``target``; returns it.

    The server's copy of the query is not always what the browser shows: a `st.page_link` or
    `st.switch_page` with ``query_params`` hands the page its parameters without putting them
    in the address bar, so the next click (which reruns from the address bar) would lose them.
    The URL is therefore written whenever it differs from what this session last wrote on
    this page, not only when it differs from the server's copy.
    """
    ctx = get_script_run_ctx()
    sent = (ctx.page_script_hash if ctx else "", sorted(target.items()))
    if target != query() or st.session_state.get(SENT_KEY) != sent:
        st.query_params.from_dict(target)
        st.session_state[SENT_KEY] = sent
    return target


def show_notices(notices: list[str], container=st) -> None:
    """Problems with a shared link, shown where the reader looks first."""
    if notices:
        text = "\n".join(f"- {plain(n)}" for n in notices)  # a link's text, shown as text
        container.warning(f"Some settings in this link could not be used:\n{text}", icon="⚠️")
