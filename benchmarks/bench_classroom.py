"""A live class under load: many phones join and vote while the projector counts them.

    python benchmarks/bench_classroom.py                  # 200 students, 2 processes + nginx
    python benchmarks/bench_classroom.py --students 20    # a quick run
    python benchmarks/bench_classroom.py --url http://127.0.0.1:8080   # a server already up

No browsers: each student and the projector speak Streamlit's websocket protocol
(`benchmarks/st_client.py`). By default it starts `deploy/serve_class.sh` (2 Streamlit
processes behind nginx, on its own ports, run folder and SQLite database) and stops it after.
The projector session starts a class through its buttons (so the secret stays in its server
session, as in a browser), asks the Playground question and opens voting; then every student
opens `/join?room=CODE` and votes once, all within ``--window`` seconds. The projector's live
fragment redraws "Answered" every second; the latency of the k-th vote is the time from sending
it to the first projector redraw that counts k votes.

The bar (issue 14): 200 students within 10 s, the final tally equal to the votes sent, p95
vote-to-projector <= 1 s. Exit status 0 when met, 1 when not. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from benchmarks.st_client import ProtocolError, Session, check_loopback  # noqa: E402
from core.classroom.questions import OUTCOMES  # noqa: E402  the Playground question's options

SURE = "Fairly sure"  # one of ui.views.join_page.SURE (not imported: it needs a Streamlit run)
LISTEN = "127.0.0.1:8679"
BASE_PORT = 8672
CATCH_UP = 30.0  # seconds the projector is watched after the last phone left, at most


def trigger(session: Session, label: str) -> WidgetState:
    return WidgetState(id=session.widget_id(label), trigger_value=True)


def choose(session: Session, label: str, option: str) -> WidgetState:
    """A radio left at ``option`` (its formatted text, as Streamlit's radio sends it)."""
    return WidgetState(id=session.widget_id(label), string_value=option)


def _room_code(session: Session) -> str:
    for msg in session.last.values():
        element = msg.delta.new_element
        if element.WhichOneof("type") == "markdown" and element.markdown.body.startswith("# `"):
            return element.markdown.body.strip("# `")
    raise ProtocolError("the projector shows no room code")


class Tab(Session):
    """A browser tab. A fragment with ``run_every`` is rerun by the browser: the server
    announces it (an ``auto_rerun`` message) and the tab asks for it each interval."""

    fragments: dict[str, float] = {}

    def _observe(self, msg, kind, result) -> None:
        if kind == "auto_rerun":
            self.fragments = {**self.fragments, msg.auto_rerun.fragment_id: msg.auto_rerun.interval}
        super()._observe(msg, kind, result)

    async def auto_rerun(self) -> None:
        for fragment_id in self.fragments:
            state = ClientState(
                query_string=self.query_string,
                page_script_hash=self.page_script_hash,
                page_name=self.page_name,
                fragment_id=fragment_id,
                is_auto_rerun=True,
            )
            state.cached_message_hashes.extend(self._cache)
            await self._ws.send(BackMsg(rerun_script=state).SerializeToString())


async def start_projector(url: str) -> tuple[Session, str]:
    projector = Tab(url, page="classroom", timeout=120)
    await projector.connect()
    await projector.run()
    for label in ("Start a class", "Ask this question", "Open voting"):
        result = await projector.run([trigger(projector, label)])
        if not result.ok:
            raise ProtocolError(f"{label!r}: {result.exceptions or result.status}")
    return projector, _room_code(projector)


async def watch(projector: Session, until: float, seen: list, expected: int) -> None:
    """Ask for the projector's live fragment every second, as the browser does, and note
    (time, answered) each time "Answered" is drawn, until ``until`` (perf_counter)."""
    if not projector.fragments:
        raise ProtocolError("the projector has no live fragment")
    interval = min(projector.fragments.values())
    next_tick = time.perf_counter()
    while (left := until - time.perf_counter()) > 0 and (not seen or seen[-1][1] < expected):
        if time.perf_counter() >= next_tick:
            await projector.auto_rerun()
            next_tick += interval
        try:
            wait = max(0.01, min(left, next_tick - time.perf_counter()))
            data = await asyncio.wait_for(projector._ws.recv(), wait)
        except TimeoutError:
            continue
        msg = ForwardMsg()
        msg.ParseFromString(data)
        msg = projector._resolve(msg)
        if msg.WhichOneof("type") != "delta":
            continue
        element = msg.delta.new_element
        if element.WhichOneof("type") == "metric" and element.metric.label == "Answered":
            seen.append((time.perf_counter(), int(element.metric.body)))


async def poll(tab: Tab, seconds: float) -> None:
    """Stay on the page for ``seconds``, asking for its live fragment as a browser does."""
    end = time.perf_counter() + seconds
    interval = min(tab.fragments.values(), default=seconds)
    while end - time.perf_counter() > 0:
        await tab.auto_rerun()
        tick = time.perf_counter() + interval
        while (wait := min(end, tick) - time.perf_counter()) > 0:
            try:
                await asyncio.wait_for(tab._ws.recv(), wait)
            except TimeoutError:
                break


async def student(url: str, code: str, start_at: float, until: float, sent: list, errors: list):
    await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    phone = Tab(f"{url}/?room={code}", page="join", timeout=60)
    try:
        await phone.connect()
        first = await phone.run()
        if not first.ok:
            raise ProtocolError(f"join: {first.exceptions or first.status}")
        await poll(phone, random.uniform(0.5, 2.0))  # reading the question
        choice = random.choice(OUTCOMES)[1]
        states = [
            choose(phone, "Your prediction", choice),
            choose(phone, "How sure are you?", SURE),
        ]
        t0 = time.perf_counter()
        result = await phone.run([*states, trigger(phone, "Send")])
        if not result.ok:
            raise ProtocolError(f"vote: {result.exceptions or result.status}")
        sent.append(t0)
        await poll(phone, until - time.perf_counter())  # still on the page, as a phone would be
    except (ProtocolError, OSError) as error:
        errors.append(str(error)[:200])
    finally:
        await phone.close()


def latencies(sent: list[float], seen: list[tuple[float, int]]) -> list[float]:
    """For the k-th vote sent: first projector redraw counting >= k votes, minus its send time."""
    out = []
    for k, t_sent in enumerate(sorted(sent), start=1):
        shown = [t for t, n in seen if n >= k and t >= t_sent]
        out.append(shown[0] - t_sent if shown else float("inf"))
    return out


async def bench(url: str, students: int, window: float) -> dict:
    projector, code = await start_projector(url)
    sent: list[float] = []
    errors: list[str] = []
    seen: list[tuple[float, int]] = []
    t0 = time.perf_counter()
    starts = [t0 + random.uniform(0, window - 4.0) for _ in range(students)]
    until = t0 + window + 5.0
    tasks = [student(url, code, s, until, sent, errors) for s in starts]
    watching = asyncio.create_task(watch(projector, until + CATCH_UP, seen, students))
    await asyncio.gather(*tasks)
    await watching  # the projector may still be catching up: until it counts every vote
    await projector.close()
    lat = sorted(latencies(sent, seen))
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else float("inf")
    last_vote = max(sent) - t0 if sent else float("nan")
    return {
        "code": code,
        "students": students,
        "votes_sent": len(sent),
        "tally": max((n for _, n in seen), default=0),
        "errors": errors,
        "last_vote_s": last_vote,
        "p50": lat[len(lat) // 2] if lat else float("inf"),
        "p95": p95,
        "max": lat[-1] if lat else float("inf"),
    }


def serve(run_dir: str, action: str) -> None:
    env = {
        **os.environ,
        "GV_WORKERS": "2",
        "GV_LISTEN": LISTEN,
        "GV_BASE_PORT": str(BASE_PORT),
        "GV_RUN_DIR": run_dir,
        "GV_DATABASE_URL": f"sqlite:///{run_dir}/class.sqlite3",
    }
    subprocess.run(["bash", str(ROOT / "deploy" / "serve_class.sh"), action], env=env, check=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start serve_class.sh)")
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0, help="seconds to join and vote")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 1000 or not 4.0 <= args.window <= 120:
        parser.error("--students 1..1000, --window 4..120")
    run_dir = None
    url = args.url
    if url is None:
        run_dir = tempfile.mkdtemp(prefix="gv-bench-class-")
        serve(run_dir, "start")
        url = f"http://{LISTEN}"
    check_loopback(url)
    try:
        r = asyncio.run(bench(url.rstrip("/"), args.students, args.window))
    finally:
        if run_dir:
            serve(run_dir, "stop")
    print(
        f"room {r['code']}: {r['students']} students, {r['votes_sent']} votes sent, "
        f"projector tally {r['tally']}, last vote at {r['last_vote_s']:.1f} s, "
        f"{len(r['errors'])} errors"
    )
    print(f"vote -> projector: p50 {r['p50']:.2f} s, p95 {r['p95']:.2f} s, max {r['max']:.2f} s")
    for e in r["errors"][:5]:
        print("  error:", e)
    ok = (
        not r["errors"]
        and r["votes_sent"] == r["students"] == r["tally"]
        and r["last_vote_s"] <= args.window
        and r["p95"] <= 1.0
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
