"""What the instructor's and the students' class pages share: the store (one a process, on the
database `core.classroom.schema.default_url` names), the join link and its QR code."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from core.classroom.schema import default_url
from core.classroom.store import ClassStore, shared_store

JOIN_PATH = "join"


def store() -> ClassStore:
    """The class store every session of this process shares. Not in `ui.cache`, which holds
    the engine's calls: a phone's page needs no JAX, and importing it made a fresh process's
    first join take ~1.4 s (measured), while the first students of a class queued behind it."""
    return shared_store(default_url())


def join_url(code: str) -> str:
    """The student's link for room ``code``, on the address this page was opened at."""
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    path = parts.path.rsplit("/", 1)[0]  # the app's root, whatever page this is
    return f"{parts.scheme}://{parts.netloc}{path}/{JOIN_PATH}?{urlencode({'room': code})}"


def qr_svg(url: str, scale: int = 12) -> str:
    """The QR code for ``url`` as SVG (paths only: no text of anyone's in it), ``scale`` pixels
    a module. Error correction M survives a projector's glare and a smudged screen."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2, dark="#000", light="#fff")


def show_qr(url: str, width_px: int = 420) -> None:
    """A QR code big enough to scan from the back of a lecture hall on a projector. st.image
    shows the SVG as an image (st.html's sanitizer would strip it)."""
    st.image(qr_svg(url), width=width_px, caption="Scan to join")
