"""The class's store: rooms, questions, rounds and votes, through SQLAlchemy Core.

Two kinds of caller. The instructor holds the secret made with the room and alone may ask a
question, open, close and reveal a round, start the second round, and end the room
(`_instructor` checks it on every such call). A student is a random id held by their session;
they may join, vote (one vote a round: a new one replaces it) and read the room's public state,
which holds no one else's nickname or vote, and the class's answers only after the reveal.
"""

from __future__ import annotations

import functools
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from core.classroom import codes, tally
from core.classroom.errors import ClassError, NotInstructor, RoomEnded, RoomExpired, RoomNotFound
from core.classroom.questions import ClassQuestion
from core.classroom.schema import connect, members, questions, rooms, rounds, votes

LIFETIME = timedelta(hours=12)
ROUNDS_MAX = 2  # vote, discuss, vote again
CONFIDENCE = (1, 2, 3)  # "How sure are you?": guessing, fairly sure, sure
STUDENT_ID_MAX = 64


class Stage(NamedTuple):
    """Where a room stands, all a phone watches for: a change of it redraws the phone's page."""

    ended: bool
    question: int | None  # the question's position in the room (1, 2, ...), None before one
    round: int | None  # the last round's number, None before voting first opens
    state: str | None  # that round's state: open, closed, revealed


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC


class ClassStore:
    def __init__(
        self,
        url: str | None = None,
        now=utcnow,
        engine: sa.Engine | None = None,
        stage_max_age: float = 1.0,
    ):
        self.engine = engine if engine is not None else connect(url)
        self.now = now
        # Every phone in the room asks for the stage every few seconds; within this many
        # seconds they share one answer, so 200 phones cost one small query a second, not 100.
        self.stage_max_age = stage_max_age
        self._stages: dict[str, tuple[float, Stage]] = {}
        self._stages_lock = threading.Lock()

    # -- rooms ---------------------------------------------------------------------------
    def create_room(self) -> tuple[str, str]:
        """A new room: (code, secret). The secret is stored only as its hash."""
        secret, now = codes.new_secret(), self.now()
        for _ in range(20):  # a clash among 7e8 codes is rare; try another
            code = codes.new_code()
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        rooms.insert().values(
                            code=code,
                            secret_hash=codes.hash_secret(secret),
                            created_at=now,
                            expires_at=now + LIFETIME,
                        )
                    )
                return code, secret
            except sa.exc.IntegrityError:
                continue
        raise ClassError("Could not find a free room code; try again.")

    def _room(self, conn, code: object, *, live: bool = True):
        code = codes.normalize_code(code)
        row = conn.execute(sa.select(rooms).where(rooms.c.code == code)).first()
        if row is None or not codes.is_code(code):
            raise RoomNotFound(code)
        if self.now() >= row.expires_at:
            raise RoomExpired(code)
        if live and row.ended_at is not None:
            raise RoomEnded(code)
        return row

    def _instructor(self, conn, code: object, secret: object, *, live: bool = True):
        room = self._room(conn, code, live=live)
        if not codes.secret_matches(secret, room.secret_hash):
            raise NotInstructor()
        return room

    def is_instructor(self, code: str, secret: object) -> bool:
        with self.engine.connect() as conn:
            return codes.secret_matches(secret, self._room(conn, code, live=False).secret_hash)

    def end(self, code: str, secret: str) -> None:
        with self.engine.begin() as conn:
            room = self._instructor(conn, code, secret)
            self._close_open_round(conn, room)
            ended = rooms.update().where(rooms.c.code == room.code)
            conn.execute(ended.values(ended_at=self.now()))

    # -- questions and rounds (the instructor) -------------------------------------------
    def ask(self, code: str, secret: str, question: ClassQuestion) -> int:
        """Put ``question`` on the projector (the next question); voting opens separately."""
        with self.engine.begin() as conn:
            room = self._instructor(conn, code, secret)
            self._close_open_round(conn, room)
            count = conn.execute(
                sa.select(sa.func.count()).where(questions.c.room_code == room.code)
            ).scalar_one()
            qid = conn.execute(
                questions.insert().values(
                    room_code=room.code,
                    position=count + 1,
                    prompt=question.prompt,
                    options=list(question.options),
                    answer=question.answer,
                    source=question.source,
                    experiment=dict(question.experiment),
                )
            ).inserted_primary_key[0]
            conn.execute(rooms.update().where(rooms.c.code == room.code).values(question_id=qid))
            return int(qid)

    def open_voting(self, code: str, secret: str) -> int:
        """Open the next round of the current question (1, or 2 after a round has closed)."""
        with self.engine.begin() as conn:
            room = self._instructor(conn, code, secret)
            if room.question_id is None:
                raise ClassError("Pick a question first.")
            last = tally.last_round(conn, room.question_id)
            if last is not None and last.state == "open":
                raise ClassError("Voting is already open.")
            number = 1 if last is None else last.number + 1
            if number > ROUNDS_MAX:
                raise ClassError(f"A question has at most {ROUNDS_MAX} rounds; ask the next one.")
            conn.execute(
                rounds.insert().values(question_id=room.question_id, number=number, state="open")
            )
            return number

    def close_voting(self, code: str, secret: str) -> None:
        self._move_round(code, secret, "open", "closed", "Voting is not open.")

    def reveal(self, code: str, secret: str) -> None:
        self._move_round(code, secret, "closed", "revealed", "Close voting before the reveal.")

    def _move_round(self, code, secret, before: str, after: str, refusal: str) -> None:
        with self.engine.begin() as conn:
            room = self._instructor(conn, code, secret)
            last = tally.last_round(conn, room.question_id)
            if last is None or last.state != before:
                raise ClassError(refusal)
            conn.execute(rounds.update().where(rounds.c.id == last.id).values(state=after))

    def _close_open_round(self, conn, room) -> None:
        if room.question_id is not None:
            last = tally.last_round(conn, room.question_id)
            if last is not None and last.state == "open":
                conn.execute(rounds.update().where(rounds.c.id == last.id).values(state="closed"))

    # -- students ------------------------------------------------------------------------
    def join(self, code: str, student_id: str, nickname: object = "") -> None:
        """Count a student in the room (again: their nickname is updated)."""
        student_id = _student(student_id)
        with self.engine.begin() as conn:
            room = self._room(conn, code)
            values = dict(
                room_code=room.code,
                student_id=student_id,
                nickname=codes.clean_nickname(nickname),
                joined_at=self.now(),
            )
            _upsert(conn, members, values, ("room_code", "student_id"), ("nickname",))

    def vote(self, code: str, student_id: str, choice: int, confidence: int = 2) -> None:
        """This student's answer in the open round; a later vote replaces it."""
        student_id = _student(student_id)
        with self.engine.begin() as conn:
            room = self._room(conn, code)
            last = tally.last_round(conn, room.question_id, questions.c.options)
            if last is None or last.state != "open":
                raise ClassError("Voting is closed.")
            if not isinstance(choice, int) or not 0 <= choice < len(last.options):
                raise ClassError("Pick one of the options.")
            if confidence not in CONFIDENCE:
                raise ClassError("Say how sure you are: 1, 2 or 3.")
            joined = dict(room_code=room.code, student_id=student_id, nickname="")
            _upsert(
                conn, members, {**joined, "joined_at": self.now()}, ("room_code", "student_id"), ()
            )
            values = dict(
                round_id=last.id,
                student_id=student_id,
                choice=choice,
                confidence=confidence,
                at=self.now(),
            )
            _upsert(conn, votes, values, ("round_id", "student_id"), ("choice", "confidence", "at"))

    # -- what each side may read ---------------------------------------------------------
    def student_view(self, code: str, student_id: str) -> dict:
        """The room as a student sees it: the question, the round, their own vote; after the
        reveal, the right answer and the class's counts. Never another student's name or vote."""
        with self.engine.connect() as conn:
            room = self._room(conn, code, live=False)
            return tally.student_view(conn, room, _student(student_id))

    def stage(self, code: str) -> Stage:
        """The room's `Stage`, at most `stage_max_age` seconds old (shared by every caller in
        this process). Raises ClassError for an unknown or expired room, as the views do."""
        code = codes.normalize_code(code)
        with self._stages_lock:
            cached = self._stages.get(code)
        if cached is not None and time.monotonic() - cached[0] < self.stage_max_age:
            return cached[1]
        with self.engine.connect() as conn:
            room = self._room(conn, code, live=False)
            position = number = state = None
            if room.question_id is not None:
                position = conn.execute(
                    sa.select(questions.c.position).where(questions.c.id == room.question_id)
                ).scalar_one()
                last = tally.last_round(conn, room.question_id)
                if last is not None:
                    number, state = last.number, last.state
        stage = Stage(room.ended_at is not None, position, number, state)
        with self._stages_lock:
            if len(self._stages) > 1000:  # rooms come and go: never grow without bound
                self._stages.clear()
            self._stages[code] = (time.monotonic(), stage)
        return stage

    def projector(self, code: str, secret: str) -> dict:
        """The instructor's live view: joined, answered, each round's counts and accuracy."""
        with self.engine.connect() as conn:
            return tally.projector(conn, self._instructor(conn, code, secret, live=False))

    def summary(self, code: str, secret: str) -> list[dict]:
        with self.engine.connect() as conn:
            return tally.summary(conn, self._instructor(conn, code, secret, live=False))

    def summary_csv(self, code: str, secret: str) -> str:
        return tally.to_csv(self.summary(code, secret))


@functools.lru_cache(maxsize=4)
def shared_store(url: str) -> ClassStore:
    """The one store (one connection pool) of this process for a database URL, shared by all
    its sessions: rooms live in the database, so every process behind a balancer sees them."""
    return ClassStore(url)


def _student(student_id: object) -> str:
    if not isinstance(student_id, str) or not 0 < len(student_id) <= STUDENT_ID_MAX:
        raise ClassError("This browser session has no valid student id; reload the page.")
    return student_id


def _upsert(conn, table: sa.Table, values: dict, keys: tuple, update: tuple) -> None:
    """Insert a row, or replace ``update`` columns of the row with the same ``keys``: one
    statement, so two processes writing the same key at once cannot make two rows."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    if update:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: stmt.excluded[c] for c in update}
        )
    else:  # keep the row that is there
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    conn.execute(stmt)
