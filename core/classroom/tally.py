"""What each side reads from the store: the student's view, the projector's, the summary.

Accuracy is the share of a round's votes on the right option (None when nobody voted).
"""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from core.classroom.schema import members, questions, rounds, votes

SUMMARY_COLUMNS = (
    "question",
    "prompt",
    "right_answer",
    "round1_votes",
    "round1_accuracy",
    "round2_votes",
    "round2_accuracy",
)


def _question(conn, question_id):
    if question_id is None:
        return None
    return conn.execute(sa.select(questions).where(questions.c.id == question_id)).first()


def _rounds(conn, question) -> list[dict]:
    """Each round of ``question``: number, state, counts per option, votes, accuracy."""
    out = []
    query = sa.select(rounds).where(rounds.c.question_id == question.id).order_by(rounds.c.number)
    for r in conn.execute(query):
        counts = _counts(conn, r.id, len(question.options))
        out.append(
            {"number": r.number, "state": r.state, "counts": counts, "votes": sum(counts),
             "accuracy": _accuracy(counts, question.answer)}
        )  # fmt: skip
    return out


def _public_question(q) -> dict:
    return {"position": q.position, "prompt": q.prompt, "options": list(q.options)}


def _latest_round(question_id: int, *columns) -> sa.Select:
    """The query for ``columns`` of the question's latest round (the one numbered highest)."""
    query = sa.select(*columns).where(rounds.c.question_id == question_id)
    return query.order_by(rounds.c.number.desc()).limit(1)


def last_round(conn, question_id: int | None, *question_columns):
    """The question's latest round (its row, with ``question_columns`` of the question read in
    the same statement), or None before the first (or without a question)."""
    if question_id is None:
        return None
    query = _latest_round(question_id, rounds, *question_columns)
    if question_columns:
        query = query.join(questions, questions.c.id == rounds.c.question_id)
    return conn.execute(query).first()


def _accuracy(counts: list[int], answer: int) -> float | None:
    total = sum(counts)
    return counts[answer] / total if total else None


def _counts(conn, round_id: int, n_options: int) -> list[int]:
    """Votes per option in one round."""
    per_choice = conn.execute(
        sa.select(votes.c.choice, sa.func.count())
        .where(votes.c.round_id == round_id)
        .group_by(votes.c.choice)
    ).all()
    counts = [0] * n_options
    for choice, n in per_choice:
        counts[choice] = int(n)
    return counts


def student_view(conn, room, student_id: str) -> dict:
    """Read on every phone's every run, so it asks only for the last round and the student's
    own vote, in two statements (the question with its last round; the student's nickname with
    their vote in it); the class's counts only after the reveal (the projector's business)."""
    view = {"code": room.code, "ended": room.ended_at is not None, "question": None, "round": None}
    q = None
    if room.question_id is not None:
        columns = (rounds.c.id, rounds.c.number, rounds.c.state)
        latest = _latest_round(room.question_id, *columns).subquery()
        q = conn.execute(
            sa.select(
                questions.c.position,
                questions.c.prompt,
                questions.c.options,
                questions.c.answer,
                latest.c.id.label("round_id"),
                latest.c.number,
                latest.c.state,
            )
            .select_from(questions.outerjoin(latest, sa.true()))
            .where(questions.c.id == room.question_id)
        ).first()
    round_id = None if q is None else q.round_id
    me = conn.execute(
        sa.select(members.c.nickname, votes.c.choice, votes.c.confidence)
        .select_from(
            members.outerjoin(
                votes, (votes.c.student_id == members.c.student_id) & (votes.c.round_id == round_id)
            )
        )
        .where(members.c.room_code == room.code, members.c.student_id == student_id)
    ).first()
    view["nickname"] = (me.nickname if me is not None else "") or ""
    if q is None:
        return view
    view["question"] = _public_question(q)
    if round_id is None:
        return view
    view["round"] = {"number": q.number, "state": q.state}
    mine = None if me is None or me.choice is None else me
    view["my_vote"] = (
        None if mine is None else {"choice": mine.choice, "confidence": mine.confidence}
    )
    if q.state == "revealed":  # only now: the answer and the class's counts
        counts = _counts(conn, round_id, len(q.options))
        view["answer"] = q.answer
        view["right"] = None if mine is None else mine.choice == q.answer
        view["counts"] = counts
        view["accuracy"] = _accuracy(counts, q.answer)
    return view


def projector(conn, room) -> dict:
    joined = (
        conn.execute(sa.select(members.c.nickname).where(members.c.room_code == room.code))
        .scalars()
        .all()
    )
    view = {
        "code": room.code,
        "ended": room.ended_at is not None,
        "expires_at": room.expires_at,
        "joined": len(joined),
        "nicknames": sorted(n for n in joined if n),
        "question": None,
        "rounds": [],
    }
    q = _question(conn, room.question_id)
    if q is not None:
        view["question"] = {
            **_public_question(q),
            "answer": q.answer,
            "source": q.source,
            "experiment": dict(q.experiment),
        }
        view["rounds"] = _rounds(conn, q)
    return view


def summary(conn, room) -> list[dict]:
    rows = []
    query = sa.select(questions).where(questions.c.room_code == room.code)
    for q in conn.execute(query.order_by(questions.c.position)).all():
        by_number = {r["number"]: r for r in _rounds(conn, q)}
        row = {"question": q.position, "prompt": q.prompt, "right_answer": q.options[q.answer]}
        for n in (1, 2):
            r = by_number.get(n)
            row[f"round{n}_votes"] = r["votes"] if r else 0
            row[f"round{n}_accuracy"] = r["accuracy"] if r else None
        rows.append(row)
    return rows


def to_csv(rows: list[dict]) -> str:
    """The summary as CSV; accuracies as fractions with 3 decimals, empty when nobody voted.
    A cell that a spreadsheet would read as a formula (=, +, -, @) gets a leading quote."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = {}
        for k, v in row.items():
            if v is None:
                v = ""
            elif isinstance(v, float):
                v = f"{v:.3f}"
            elif isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
                v = "'" + v
            cells[k] = v
        writer.writerow(cells)
    return out.getvalue()
