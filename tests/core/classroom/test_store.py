"""The class store: a room from code to summary, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from core.classroom import codes
from core.classroom.errors import ClassError
from core.classroom.schema import SCHEMA_VERSION, connect, rooms, schema_version


def test_a_room_has_a_readable_code_and_keeps_only_the_secrets_hash(store):
    code, secret = store.create_room()
    assert len(code) == 6 and set(code) <= set(codes.ALPHABET)
    assert not set("0O1IL") & set(codes.ALPHABET)
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(rooms)).one()
    assert secret not in tuple(str(v) for v in row)  # the secret itself is nowhere
    import hashlib

    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert (row.expires_at - row.created_at).total_seconds() == 12 * 3600


def test_a_typed_code_is_forgiving_about_case_and_spaces(store):
    code, _ = store.create_room()
    spaced = f" {code[:3].lower()} {code[3:]} "
    assert store.student_view(spaced, "s1")["code"] == code


def test_a_whole_question_two_rounds_and_the_summary(store, question):
    code, secret = store.create_room()
    store.ask(code, secret, question)
    for s in ("a", "b", "c", "d"):
        store.join(code, s)
    assert store.open_voting(code, secret) == 1
    # round 1: one right (choice 1) of four
    for s, choice in zip("abcd", (0, 1, 2, 0), strict=True):
        store.vote(code, s, choice, confidence=2)
    view = store.projector(code, secret)
    assert view["joined"] == 4 and view["rounds"][0]["counts"] == [2, 1, 1]
    store.close_voting(code, secret)
    store.reveal(code, secret)
    # discussion, then round 2: three right of four
    assert store.open_voting(code, secret) == 2
    for s, choice in zip("abcd", (1, 1, 1, 0), strict=True):
        store.vote(code, s, choice)
    store.close_voting(code, secret)
    rounds = store.projector(code, secret)["rounds"]
    assert [r["accuracy"] for r in rounds] == [0.25, 0.75]
    store.end(code, secret)
    (row,) = store.summary(code, secret)
    assert row["round1_accuracy"] == 0.25 and row["round2_accuracy"] == 0.75
    assert row["right_answer"] == "diverges"
    table = list(csv.DictReader(io.StringIO(store.summary_csv(code, secret))))
    assert table[0]["round1_accuracy"] == "0.250" and table[0]["round2_votes"] == "4"


def test_a_third_round_and_a_vote_while_closed_are_refused(store, question):
    code, secret = store.create_room()
    store.ask(code, secret, question)
    with pytest.raises(ClassError, match="closed"):
        store.vote(code, "a", 0)  # nothing is open yet
    store.open_voting(code, secret)
    with pytest.raises(ClassError, match="already open"):
        store.open_voting(code, secret)
    store.close_voting(code, secret)
    with pytest.raises(ClassError, match="closed"):
        store.vote(code, "a", 0)
    store.open_voting(code, secret)
    store.close_voting(code, secret)
    with pytest.raises(ClassError, match="at most 2 rounds"):
        store.open_voting(code, secret)


def test_the_next_question_closes_the_open_round(store, question):
    code, secret = store.create_room()
    store.ask(code, secret, question)
    store.open_voting(code, secret)
    store.vote(code, "a", 1)
    store.ask(code, secret, question)
    view = store.projector(code, secret)
    assert view["question"]["position"] == 2 and view["rounds"] == []
    with pytest.raises(ClassError, match="closed"):
        store.vote(code, "a", 1)  # the first question's round closed with it
    assert [r["round1_votes"] for r in store.summary(code, secret)] == [1, 0]


@pytest.mark.parametrize("bad", [-1, 3, "1", None, 1.0])
def test_an_option_that_is_not_there_is_refused(store, question, bad):
    code, secret = store.create_room()
    store.ask(code, secret, question)
    store.open_voting(code, secret)
    with pytest.raises(ClassError, match="Pick one"):
        store.vote(code, "a", bad)


def test_the_schema_is_versioned_and_a_newer_one_refused(db_url):
    engine = connect(db_url)
    with engine.begin() as conn:
        assert conn.execute(sa.select(schema_version.c.version)).scalars().all() == [SCHEMA_VERSION]
    connect(db_url).dispose()  # opening again adds no second row
    with engine.begin() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == 1
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION + 1))
    engine.dispose()
    with pytest.raises(RuntimeError, match="newer than this app"):
        connect(db_url)


def test_sqlite_runs_in_wal_mode(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
