"""A room's stage, what every phone polls: right at each step of the flow, and shared within
its age limit, so a room of phones costs one query a second instead of one each."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.classroom.errors import ClassError
from core.classroom.store import Stage


def _fresh(store):
    store.stage_max_age = 0.0  # every call reads the database
    return store


def test_the_stage_follows_the_instructor_through_a_question(store, question):
    store = _fresh(store)
    code, secret = store.create_room()
    assert store.stage(code) == Stage(False, None, None, None)
    store.ask(code, secret, question)
    assert store.stage(code) == Stage(False, 1, None, None)
    store.open_voting(code, secret)
    assert store.stage(code.lower()) == Stage(False, 1, 1, "open")  # as a student types it
    store.close_voting(code, secret)
    store.reveal(code, secret)
    assert store.stage(code) == Stage(False, 1, 1, "revealed")
    store.open_voting(code, secret)
    assert store.stage(code) == Stage(False, 1, 2, "open")
    store.end(code, secret)
    assert store.stage(code).ended


def test_an_unknown_or_expired_room_is_refused(store, clock):
    with pytest.raises(ClassError):
        store.stage("ABCDEF")
    code, _ = store.create_room()
    clock.advance(hours=13)
    with pytest.raises(ClassError):
        _fresh(store).stage(code)


def test_within_its_age_the_stage_is_shared_not_read_again(store, question):
    code, secret = store.create_room()
    store.ask(code, secret, question)
    store.stage_max_age = 3600.0
    queries = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
    first = store.stage(code)
    reads = len(queries)
    assert reads > 0
    for _ in range(50):  # fifty phones polling
        assert store.stage(code) == first
    assert len(queries) == reads
    store.stage_max_age = 0.0  # past its age: read again
    store.stage(code)
    assert len(queries) > reads
