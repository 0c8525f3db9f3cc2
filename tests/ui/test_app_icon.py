"""The app's icon reaches Streamlit as a data URL, which it passes through as it is; a file
path it decodes and re-encodes with PIL on every run of every page (~2 ms, measured)."""

from __future__ import annotations

import base64

from tests.paths import REPO
from ui import theme


def test_the_icon_is_the_asset_inline():
    head, _, payload = theme.ICON_URL.partition(",")
    assert head == "data:image/png;base64"
    assert base64.b64decode(payload) == (REPO / "assets" / "icon.png").read_bytes()


def test_the_app_hands_streamlit_the_inline_icon():
    assert "page_icon=theme.ICON_URL" in (REPO / "app.py").read_text(encoding="utf-8")
