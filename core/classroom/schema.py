"""The tables, the database they live in, and the schema's version.

SQLite in the data folder by default (WAL mode: several processes on one machine read while one
writes); PostgreSQL when ``GV_DATABASE_URL`` is set (e.g.
``postgresql+psycopg://user:pass@host/db``). `connect` creates missing tables and records the
schema version; a database written by a newer version of the app is refused with a clear message.
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from core.data_dir import DATA_DIR  # the app's one data folder

SCHEMA_VERSION = 1
ENV_URL = "GV_DATABASE_URL"

meta = sa.MetaData()

schema_version = sa.Table("schema_version", meta, sa.Column("version", sa.Integer, nullable=False))

rooms = sa.Table(
    "class_rooms",
    meta,
    sa.Column("code", sa.String(6), primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("ended_at", sa.DateTime),
    sa.Column("question_id", sa.Integer),  # the question on the projector now
)

questions = sa.Table(
    "class_questions",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("room_code", sa.String(6), sa.ForeignKey("class_rooms.code"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # 1, 2, ... in the room
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),  # the choices' words, in order
    sa.Column("answer", sa.Integer, nullable=False),  # index into options
    sa.Column("source", sa.Text, nullable=False),  # where it came from: a lesson, the playground
    sa.Column("experiment", sa.JSON, nullable=False),  # the run's URL query, for the player
)

rounds = sa.Table(
    "class_rounds",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("question_id", sa.Integer, sa.ForeignKey("class_questions.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),  # 1, then 2 after discussion
    sa.Column("state", sa.String(8), nullable=False),  # open, closed, revealed
    sa.UniqueConstraint("question_id", "number"),
)

members = sa.Table(
    "class_members",
    meta,
    sa.Column("room_code", sa.String(6), sa.ForeignKey("class_rooms.code"), primary_key=True),
    sa.Column("student_id", sa.String(64), primary_key=True),
    sa.Column("nickname", sa.String(64), nullable=False, default=""),
    sa.Column("joined_at", sa.DateTime, nullable=False),
)

votes = sa.Table(
    "class_votes",
    meta,
    sa.Column("round_id", sa.Integer, sa.ForeignKey("class_rounds.id"), primary_key=True),
    sa.Column("student_id", sa.String(64), primary_key=True),  # one vote per student a round
    sa.Column("choice", sa.Integer, nullable=False),
    sa.Column("confidence", sa.Integer, nullable=False),  # 1 (guess) .. 3 (sure)
    sa.Column("at", sa.DateTime, nullable=False),
)


def default_url() -> str:
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'classroom.sqlite3'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA busy_timeout=5000")  # a writer waits up to 5 s for another
    # In WAL mode, NORMAL syncs at checkpoints, not at every commit: a commit survives the
    # process being killed (the restart test does that), and only a power cut could lose the
    # last moments (SQLite's documented trade). A vote is a write; a class sends hundreds.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def connect(url: str | None = None) -> sa.Engine:
    """An engine on ``url`` (default: `default_url`) with the current schema in place."""
    url = url or default_url()
    sqlite = sa.make_url(url).get_backend_name() == "sqlite"
    # A database server can drop idle connections (a restart): test each before use. A SQLite
    # file cannot, and the test would be one more query on every phone's every run.
    engine = sa.create_engine(url, pool_pre_ping=not sqlite)
    if sqlite:
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    meta.create_all(engine)
    with engine.begin() as conn:
        found = conn.execute(sa.select(schema_version.c.version)).scalars().all()
        if not found:
            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        elif max(found) > SCHEMA_VERSION:
            raise RuntimeError(
                f"The class database is at schema version {max(found)}, newer than this app's "
                f"{SCHEMA_VERSION}: update the app, or point {ENV_URL} at another database."
            )
        # Versions below SCHEMA_VERSION would be migrated here, one step at a time.
    return engine
