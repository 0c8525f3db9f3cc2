"""What an instructor's browser sends back as its room is untrusted: only (code, secret) shaped
like the store's own gets through to the check against the room's stored hash."""

from __future__ import annotations

import pytest

from core.classroom.codes import new_code, new_secret
from ui.components.room_key import SECRET_MAX, sanitize


def test_a_room_the_store_made_comes_back_as_it_was():
    room = (new_code(), new_secret())
    assert sanitize(list(room)) == room


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "ABCDEF",
        {"code": "ABCDEF", "secret": "s"},
        ["ABCDEF"],
        ["ABCDEF", "s", "extra"],
        ["abcdef", "s"],  # a code as typed, not as stored
        ["ABCDE0", "s"],  # a look-alike the alphabet leaves out
        ["ABCDEF", ""],
        ["ABCDEF", 42],
        ["ABCDEF", "x" * (SECRET_MAX + 1)],
        ["ABCDEF", "line\nbreak"],
        ["<img src=x onerror=alert(1)>", "s"],
    ],
)
def test_anything_else_is_refused(raw):
    assert sanitize(raw) is None
