"""The lessons page's views: the course list, one lesson, and its prediction questions.

Lesson text is Markdown with LaTeX, shown with ``st.markdown`` (never as raw HTML). A question
hides the rest of the lesson until it is answered: the learner commits to a prediction before
seeing the experiment. Answers and completed lessons go to `ui.components.progress`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import core.lessons
from core.lessons import (
    ExperimentBlock,
    Lesson,
    LessonError,
    ModelBlock,
    Prose,
    Question,
    Says,
    load_all,
)
from core.lessons.blindfold_block import BlindfoldBlock
from ui import cache as run_cache
from ui.components import progress
from ui.text import plain
from ui.views.lesson_blindfold import render_blindfold
from ui.views.lesson_experiment import render_experiment
from ui.views.lesson_model import render_model

PAGE = "app_pages/lessons.py"

# Larger type for a lecture hall; constant CSS, no lesson text in it.
_PRESENT_CSS = """<style>
.stMainBlockContainer { max-width: 1400px; }
.stMarkdown p, .stMarkdown li, .stRadio label p { font-size: 1.45rem; line-height: 1.5; }
.stMarkdown h1 { font-size: 3rem; }
.stMarkdown h2 { font-size: 2.2rem; }
</style>"""


def load_entries(directory: Path | None = None) -> list:
    """Every lesson (or its error), re-read whenever a file in the folder changes."""
    directory = Path(directory or core.lessons.LESSONS_DIR)  # read late: tests point it elsewhere
    files = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.md"))
    )
    return list(run_cache.shared(_load, (str(directory), files), str(directory), files))


def _load(directory: str, files: tuple) -> tuple:
    from core.lessons.claims import check_runnable

    out = []
    for entry in load_all(directory):
        if isinstance(entry, Lesson):
            try:
                check_runnable(entry)
            except LessonError as error:
                entry = error
        out.append(entry)
    return tuple(out)


def entries_by_slug(entries: list) -> dict:
    return {e.slug: e for e in entries}


def presentation_style() -> None:
    st.html(_PRESENT_CSS)


def render_unknown(slug: str, entries: list, present: bool) -> None:
    st.error(f"There is no lesson called “{plain(slug[:60])}”. Pick one from the list.")
    render_index(entries, present)


def lesson_number(entries: list, slug: str) -> int:
    return next(i for i, e in enumerate(entries) if e.slug == slug) + 1


def _status(entry: Lesson, saved: dict) -> str:
    if saved.get("done"):
        return "Done"
    answered = sum(q.id in saved.get("answers", {}) for q in entry.questions)
    if answered:
        return f"{answered} of {len(entry.questions)} questions answered"
    return "Not started"


def render_index(entries: list, present: bool) -> None:
    st.title("Lessons")
    lessons = [e for e in entries if isinstance(e, Lesson)]
    saved = progress.current()["lessons"]
    done = sum(saved.get(e.slug, {}).get("done", False) for e in lessons)
    minutes = sum(e.minutes for e in lessons)
    st.markdown(
        f"From *what is a learning rate?* to choosing one for a real network: "
        f"{len(lessons)} lessons, about {minutes} minutes in all. Each asks you to predict what "
        f"will happen, then lets you run it."
    )
    if lessons:
        st.progress(done / len(lessons), text=f"Your progress: {done} of {len(lessons)} done")
    for number, entry in enumerate(entries, start=1):
        with st.container(border=True):
            if isinstance(entry, LessonError):
                title = entry.title or entry.slug
                st.markdown(f"**{number}. {plain(title)}**")
                st.error(f"This lesson file has a problem: {plain(entry)}")
                continue
            state = _status(entry, saved.get(entry.slug, {}))
            icon = ":material/check_circle:" if state == "Done" else ":material/school:"
            st.page_link(
                PAGE,
                label=f"{number}. {entry.title}",
                icon=icon,
                query_params=lesson_params(entry.slug, present),
            )
            st.caption(f"{entry.minutes} min · {state} · {entry.summary}")
    if any(saved.values()):
        st.button("Forget my progress on this device", on_click=progress.reset)


def lesson_params(slug: str | None, present: bool) -> dict[str, str]:
    """The lessons page's query: the lesson shown (None: the course list) and the mode."""
    return {**({"lesson": slug} if slug else {}), **({"present": "1"} if present else {})}


def render_error(entry: LessonError, entries: list, present: bool) -> None:
    st.title(entry.title or entry.slug)
    st.error(
        f"This lesson cannot be shown: **{entry.path.name}**, "
        f"{'line ' + str(entry.line) if entry.line else 'the file'}: {plain(entry.reason)}"
    )
    st.caption("Fix the file and reload; lessons/README.md describes the format.")
    _navigation(entries, entry.slug, present)


def render_lesson(lesson: Lesson, entries: list, present: bool) -> None:
    number = lesson_number(entries, lesson.slug)
    st.caption(f"Lesson {number} of {len(entries)} · about {lesson.minutes} minutes")
    st.title(lesson.title)
    if not present:
        st.markdown(f"*{lesson.summary}*")
    saved = progress.lesson_entry(lesson.slug)
    for part in lesson.parts:
        if isinstance(part, Prose | Says):  # a claim block reads as prose
            st.markdown(part.text)
        elif isinstance(part, ExperimentBlock):
            render_experiment(part, key=f"{lesson.slug}-{part.id}", present=present)
        elif isinstance(part, ModelBlock):
            render_model(part, key=f"{lesson.slug}-{part.id}", present=present)
        elif isinstance(part, BlindfoldBlock):
            render_blindfold(part, present)
        elif isinstance(part, Question):
            answered = _question(lesson, part, saved)
            if not answered:
                st.info("Make your prediction to see the experiment and the rest of the lesson.")
                break
    else:
        st.success("Lesson complete: every prediction made.", icon=":material/check_circle:")
    _navigation(entries, lesson.slug, present)


def _question(lesson: Lesson, question: Question, saved: dict) -> bool:
    """Ask a prediction question; True once it has been answered."""
    key = f"answer-{lesson.slug}-{question.id}"
    given = saved.get("answers", {}).get(question.id)
    if given is not None and not 0 <= given < len(question.choices):
        given = None  # the lesson changed since: ask again
    with st.container(border=True):
        st.markdown(f"**Predict.** {question.ask}")
        choices = list(range(len(question.choices)))
        if given is None:
            st.radio(
                "Your prediction",
                choices,
                index=None,
                format_func=lambda i: question.choices[i],
                key=key,
                label_visibility="collapsed",
            )
            st.button(
                "Check my prediction",
                key=f"{key}-check",
                type="primary",
                disabled=st.session_state.get(key) is None,
                on_click=_answer,
                args=(lesson.slug, question.id, key, [q.id for q in lesson.questions]),
            )
            return False
        st.radio(
            "Your prediction",
            choices,
            index=given,
            format_func=lambda i: question.choices[i],
            key=f"{key}-given",
            disabled=True,
            label_visibility="collapsed",
        )
        right = question.choices[question.answer]
        if given == question.answer:
            st.success(f"Right: {right}", icon=":material/check:")
        else:
            st.warning(f"Not quite. The answer is: {right}", icon=":material/lightbulb:")
        st.markdown(question.feedback)
    return True


def _answer(slug: str, question_id: str, key: str, all_ids: list[str]) -> None:
    choice = st.session_state.get(key)
    if choice is None:
        return
    progress.record_answer(slug, question_id, int(choice))
    if set(all_ids) <= set(progress.lesson_entry(slug)["answers"]):
        progress.mark_done(slug)  # the last prediction completes the lesson


def _navigation(entries: list, slug: str, present: bool) -> None:
    index = lesson_number(entries, slug) - 1
    left, middle, right = st.columns(3)
    if index > 0:
        previous = entries[index - 1]
        left.page_link(
            PAGE,
            label=f"Previous: {previous.title or previous.slug}",
            icon=":material/arrow_back:",
            query_params=lesson_params(previous.slug, present),
        )
    middle.page_link(
        PAGE,
        label="All lessons",
        icon=":material/list:",
        query_params=lesson_params(None, present) or None,
    )
    if index + 1 < len(entries):
        following = entries[index + 1]
        right.page_link(
            PAGE,
            label=f"Next: {following.title or following.slug}",
            icon=":material/arrow_forward:",
            query_params=lesson_params(following.slug, present),
        )
