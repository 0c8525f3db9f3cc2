"""The class's security rules, each a test: the instructor's secret, what a student may read,
unknown and expired codes, one vote per student per round, bounded nicknames."""

from __future__ import annotations

import pytest

from core.classroom import codes
from core.classroom.errors import NotInstructor, RoomEnded, RoomExpired, RoomNotFound

XSS = "<img src=x onerror=alert(1)>"

# Every call only the instructor may make, as (name, call(store, code, secret, question)).
INSTRUCTOR_ONLY = {
    "ask (next question)": lambda s, c, k, q: s.ask(c, k, q),
    "open voting": lambda s, c, k, q: s.open_voting(c, k),
    "close voting": lambda s, c, k, q: s.close_voting(c, k),
    "reveal": lambda s, c, k, q: s.reveal(c, k),
    "end": lambda s, c, k, q: s.end(c, k),
    "projector": lambda s, c, k, q: s.projector(c, k),
    "summary": lambda s, c, k, q: s.summary(c, k),
}


@pytest.fixture
def room(store, question):
    code, secret = store.create_room()
    store.ask(code, secret, question)
    return code, secret


@pytest.mark.parametrize("action", sorted(INSTRUCTOR_ONLY))
@pytest.mark.parametrize("wrong", ["", None, "guess", "other room's"])
def test_only_the_rooms_secret_can_steer_it(store, room, question, action, wrong):
    code, secret = room
    if wrong == "other room's":
        wrong = store.create_room()[1]
    with pytest.raises(NotInstructor, match="Only the instructor"):
        INSTRUCTOR_ONLY[action](store, code, wrong, question)
    assert store.projector(code, secret)["question"]["position"] == 1  # nothing changed
    assert (
        store.projector(code, secret)["rounds"] == [] and not store.projector(code, secret)["ended"]
    )


def test_a_hash_of_the_secret_does_not_open_the_room(store, room, question):
    code, secret = room
    with pytest.raises(NotInstructor):
        store.open_voting(code, codes.hash_secret(secret))


def test_a_student_reads_no_other_name_or_vote_before_the_reveal(store, room):
    code, secret = room
    store.join(code, "other", nickname="Zelda")
    store.open_voting(code, secret)
    store.vote(code, "other", 1)
    store.join(code, "me", nickname="Ann")
    store.vote(code, "me", 0)
    for state in ("open", "closed"):
        view = store.student_view(code, "me")
        assert view["round"]["state"] == state
        assert "Zelda" not in repr(view)
        assert not {"answer", "counts", "accuracy", "right"} & set(view)
        assert view["my_vote"]["choice"] == 0 and view["nickname"] == "Ann"
        if state == "open":
            store.close_voting(code, secret)
    store.reveal(code, secret)
    view = store.student_view(code, "me")
    assert view["right"] is False and view["answer"] == 1 and view["counts"] == [1, 1, 0]
    assert "Zelda" not in repr(view)  # names are never shown to other students


def test_one_vote_per_student_per_round_and_a_change_replaces_it(store, room):
    code, secret = room
    store.open_voting(code, secret)
    for choice in (0, 2, 1):
        store.vote(code, "a", choice, confidence=3)
    (r,) = store.projector(code, secret)["rounds"]
    assert r["counts"] == [0, 1, 0] and r["votes"] == 1
    assert store.student_view(code, "a")["my_vote"] == {"choice": 1, "confidence": 3}


def test_an_unknown_code_gets_a_clear_message(store):
    for code in ("ZZZZZZ", "abc", "", "0O1IL2", "'; DROP TABLE class_rooms; --"):
        with pytest.raises(RoomNotFound, match="no class with the code"):
            store.student_view(code, "s")
        with pytest.raises(RoomNotFound):
            store.join(code, "s")


def test_a_room_expires_after_12_hours_for_everyone(store, room, clock):
    code, secret = room
    clock.advance(hours=11, minutes=59)
    store.join(code, "s")
    clock.advance(minutes=1)
    with pytest.raises(RoomExpired, match="expired"):
        store.join(code, "s2")
    with pytest.raises(RoomExpired):
        store.open_voting(code, secret)
    with pytest.raises(RoomExpired):
        store.student_view(code, "s")


def test_an_ended_room_takes_no_votes_but_keeps_its_summary(store, room):
    code, secret = room
    store.open_voting(code, secret)
    store.vote(code, "a", 1)
    store.end(code, secret)
    with pytest.raises(RoomEnded, match="has ended"):
        store.vote(code, "a", 0)
    with pytest.raises(RoomEnded):
        store.open_voting(code, secret)
    assert store.student_view(code, "a")["ended"] is True
    assert store.summary(code, secret)[0]["round1_accuracy"] == 1.0


def test_a_nickname_is_stored_as_given_but_bounded(store, room):
    code, secret = room
    store.join(code, "x", nickname=XSS)
    store.join(code, "long", nickname="N" * 500)
    names = store.projector(code, secret)["nicknames"]
    assert XSS in names  # as typed: escaping is the page's job, where it is shown
    assert "N" * codes.NICKNAME_MAX in names and "N" * (codes.NICKNAME_MAX + 1) not in names


@pytest.mark.parametrize("bad", ["", None, 7, "x" * 65])
def test_a_missing_or_odd_student_id_is_refused_clearly(store, room, bad):
    code, _ = room
    with pytest.raises(ValueError, match="student id"):
        store.join(code, bad)
