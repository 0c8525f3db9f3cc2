"""The live class's two pages under AppTest: an instructor session and student sessions on one
database, through a question with two rounds, the reveal and the summary; typed text as text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from core.classroom.schema import ENV_URL
from tests.paths import REPO

APP = str(REPO / "app.py")
XSS = "<img src=x onerror=alert(1)>"
TIMEOUT = 120


@pytest.fixture(autouse=True)
def class_db(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_URL, f"sqlite:///{tmp_path / 'class.sqlite3'}")


def _page(script: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(script)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _click(at: AppTest, label: str) -> None:
    (button,) = [b for b in at.button if b.label == label]
    button.click().run()
    _ok(at)


def _texts(at: AppTest) -> list[str]:
    """Every piece of text the page shows as Markdown (where HTML could come alive)."""
    kinds = (at.markdown, at.caption, at.success, at.error, at.info, at.warning, at.subheader)
    return [str(e.value) for kind in kinds for e in kind]


def _code(at: AppTest) -> str:
    (code,) = [m.value.strip("# `") for m in at.markdown if m.value.startswith("# `")]
    return code


def _vote(student: AppTest, choice: int, sure: int = 2) -> None:
    prediction, confidence = student.radio[0], student.radio[1]
    prediction.set_value(choice)
    confidence.set_value(sure)
    (send,) = [b for b in student.button if b.label == "Send"]
    send.click().run()
    _ok(student)


def test_a_class_from_start_to_summary():
    teacher = _page("app_pages/classroom.py")
    assert "Start a class" in [b.label for b in teacher.button]
    _click(teacher, "Start a class")
    code = _code(teacher)
    assert len(code) == 6
    secret = teacher.session_state["_gv_class_room"][1]
    assert not any(secret in t for t in _texts(teacher))  # the secret is never on a page
    assert any(f"join?room={code}" in c.value for c in teacher.code)
    # the first lesson question (index 1; 0 is the playground's experiment)
    teacher.selectbox[0].set_value(1).run()
    _click(teacher, "Ask this question")
    _click(teacher, "Open voting")

    students = [_page("app_pages/join.py", room=code) for _ in range(3)]
    students[0].text_input[0].input(XSS).run()
    options = students[0].radio[0].options
    for s, choice in zip(students, (0, 1, 1), strict=True):
        _vote(s, choice)
    _vote(students[2], 0)  # a change replaces the vote
    for s in students:
        assert not any(secret in t for t in _texts(s))

    teacher.run()
    assert [m.value for m in teacher.metric][:2] == ["3", "3"]
    _click(teacher, "Close voting")
    _click(teacher, "Reveal")
    (marked,) = [t for t in _texts(teacher) if t.startswith("**Right answer")]
    projector_texts = _texts(teacher)
    for s in students:
        s.run()
        _ok(s)
        verdicts = [e.value for e in (*s.success, *s.error)]
        assert any(v.startswith(("Right!", "Not this time")) for v in verdicts), verdicts
    assert any(o in marked for o in options)  # the students saw the lesson's choices

    _click(teacher, "Discuss, then vote again")
    for s in students:
        s.run()
        _vote(s, 1)
    teacher.run()
    assert len(teacher.get("plotly_chart")) >= 2  # round 1 beside round 2
    _click(teacher, "Close voting")
    _click(teacher, "End class")
    table = teacher.dataframe[0].value
    assert list(table.columns) == ["Question", "Right answer", "Round 1", "Round 2"]
    assert table.iloc[0]["Round 2"].endswith("of 3")
    assert [d.label for d in teacher.get("download_button")] == ["Download the summary (CSV)"]

    # the typed nickname showed as text on every page: escaped wherever Markdown renders
    assert any("img src=x" in t for t in projector_texts), "the projector lists the nickname"
    everywhere = projector_texts + _texts(teacher) + [t for s in students for t in _texts(s)]
    shown = [t for t in everywhere if "img src=x" in t]
    assert all(_escaped(t) for t in shown), shown


def _escaped(text: str) -> bool:
    """Every < and > in ``text`` carries Markdown's backslash escape (shown, not read as HTML)."""
    return not re.search(r"(?<!\\)[<>]", text)


def test_an_unknown_code_gets_a_clear_message():
    student = _page("app_pages/join.py", room="ZZZZZZ")
    assert any("no class with the code" in e.value for e in student.error)


def test_a_typed_code_joins_and_markup_in_it_stays_text():
    student = _page("app_pages/join.py")
    student.text_input[0].input("<b>x</b>").run()
    _click(student, "Join")
    assert any("no class with the code" in e.value for e in student.error)
    assert all("<b>" not in t for t in _texts(student))


def test_the_playground_question_offers_the_outcomes_and_the_engine_answers(monkeypatch):
    from core.classroom.questions import OUTCOMES

    teacher = _page("app_pages/classroom.py", lr="10")  # far past 2/L: the run diverges
    _click(teacher, "Start a class")
    code = _code(teacher)
    assert "learning rate 10," in teacher.selectbox[0].format_func(0)
    _click(teacher, "Ask this question")
    _click(teacher, "Open voting")
    student = _page("app_pages/join.py", room=code)
    assert student.radio[0].options == [w for _, w in OUTCOMES]
    _vote(student, [k for k, _ in OUTCOMES].index("diverged"))
    _click(teacher, "Close voting")
    _click(teacher, "Reveal")
    student.run()
    verdicts = [e.value for e in (*student.success, *student.error, *student.info)]
    assert any(v.startswith("Right!") for v in verdicts), verdicts


def test_a_phone_writes_its_join_once_not_on_every_rerun(monkeypatch):
    from core.classroom.store import ClassStore

    calls = []
    real_join = ClassStore.join
    monkeypatch.setattr(
        ClassStore, "join", lambda self, *a, **k: (calls.append(a), real_join(self, *a, **k))[1]
    )
    teacher = _page("app_pages/classroom.py")
    _click(teacher, "Start a class")
    student = _page("app_pages/join.py", room=_code(teacher))
    student.run()
    student.run()
    assert len(calls) == 1
    student.text_input[0].input("Ann").run()
    assert len(calls) == 2 and calls[-1][-1] == "Ann"


def test_a_reloaded_phone_is_the_same_student_and_a_forged_id_is_not_taken():
    teacher = _page("app_pages/classroom.py")
    _click(teacher, "Start a class")
    code = _code(teacher)
    _click(teacher, "Ask this question")
    _click(teacher, "Open voting")
    phone = _page("app_pages/join.py", room=code)
    _vote(phone, 1)
    me = phone.query_params["me"]
    assert me == phone.session_state["_gv_student"]
    # the tab reloads (a new session, the same address): still one student, the vote kept
    again = _page("app_pages/join.py", room=code, me=me)
    assert again.radio[0].value == 1  # the option it sent, shown as chosen
    teacher.run()
    assert [m.value for m in teacher.metric][:2] == ["1", "1"]
    odd = _page("app_pages/join.py", room=code, me="<b>x</b>")
    assert odd.session_state["_gv_student"] != "<b>x</b>"
