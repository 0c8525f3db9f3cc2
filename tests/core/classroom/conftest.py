"""The class store on every database it must run on: SQLite always, PostgreSQL when
GV_TEST_POSTGRES_URL names one (scripts/test.sh starts Debian's server and sets it)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from core.classroom.questions import ClassQuestion
from core.classroom.schema import connect, meta
from core.classroom.store import ClassStore

PG_URL = os.environ.get("GV_TEST_POSTGRES_URL", "")


class Clock:
    """A clock the test moves by hand, so that expiry is tested without waiting 12 hours."""

    def __init__(self):
        self.t = datetime(2026, 12, 1, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **delta) -> None:
        self.t += timedelta(**delta)


def _sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'class.sqlite3'}"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not PG_URL,
                reason="GV_TEST_POSTGRES_URL is not set (scripts/test.sh starts PostgreSQL and "
                "sets it; or: export GV_TEST_POSTGRES_URL=$(bash scripts/postgres.sh))",
            ),
        ),
    ]
)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return _sqlite_url(tmp_path)
    engine = sa.create_engine(PG_URL)  # a clean database for each test
    meta.drop_all(engine)
    engine.dispose()
    return PG_URL


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(db_url, clock):
    s = ClassStore(engine=connect(db_url), now=clock)
    yield s
    s.engine.dispose()


@pytest.fixture
def question():
    """Three options, the second right."""
    return QUESTION


QUESTION = ClassQuestion(
    prompt="What happens at this rate?",
    options=("converges", "diverges", "oscillates"),
    answer=1,
    source="test",
    experiment={"lr": "1.1"},
)
