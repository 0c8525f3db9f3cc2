"""Several server processes on one database (deploy/serve_class.sh runs one per core): every
process sees the same room, and votes written at once from all of them are all counted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.classroom.schema import connect
from core.classroom.store import ClassStore
from tests.paths import REPO


@pytest.fixture
def store(db_url):
    """The store on the real clock: the voters' processes read the real time, so a room made
    at the test clock's fixed hour would have expired for them once that day passed 21:00."""
    s = ClassStore(engine=connect(db_url))
    yield s
    s.engine.dispose()


VOTERS = 40  # students per process
PROCESSES = 3

# One process's students: each joins and votes twice (the second replaces the first).
VOTER = """
import sys
from core.classroom.store import ClassStore
url, code, tag, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = ClassStore(url)
for i in range(n):
    me = f"{tag}-{i}"
    store.join(code, me, nickname=me)
    store.vote(code, me, 0)
    store.vote(code, me, 1, confidence=3)
"""


# A server process runs every session's script in its own thread: many threads of each
# process read and write at once, sharing the process's engine (its pool, and on SQLite the
# WAL file) with the other processes.
THREADED_VOTER = """
import sys, threading
from core.classroom.store import ClassStore
url, code, tag, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = ClassStore(url)
failures = []
def student(i):
    me = f"{tag}-{i:03d}-thread-student"
    try:
        store.join(code, me, nickname="")
        store.student_view(code, me)
        store.vote(code, me, 0)
        store.stage(code)
        store.vote(code, me, 2, confidence=1)
    except Exception as error:
        failures.append(repr(error))
threads = [threading.Thread(target=student, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
sys.exit(f"{len(failures)} failed: {failures[:3]}" if failures else 0)
"""


def _vote_from_processes(store, db_url, question, script: str, tags: list[str]):
    """Open a room with ``question``, run ``script`` once per tag as its own process (each
    process's VOTERS students), wait for all; the projector's view after."""
    code, secret = store.create_room()
    store.ask(code, secret, question)
    store.open_voting(code, secret)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, db_url, code, tag, str(VOTERS)],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in tags
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
    return store.projector(code, secret)


def test_votes_from_many_threads_of_two_processes_are_all_counted(store, db_url, question):
    view = _vote_from_processes(store, db_url, question, THREADED_VOTER, ["t0", "t1"])
    assert view["joined"] == 2 * VOTERS
    assert view["rounds"][0]["counts"] == [0, 0, 2 * VOTERS]


def test_votes_from_several_processes_at_once_are_all_counted(store, db_url, question):
    tags = [f"p{k}" for k in range(PROCESSES)]
    view = _vote_from_processes(store, db_url, question, VOTER, tags)
    assert view["joined"] == VOTERS * PROCESSES
    assert view["rounds"][0]["counts"] == [0, VOTERS * PROCESSES, 0]
