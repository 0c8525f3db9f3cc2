"""The lessons page's view: the course list, or one lesson, as the address bar names it."""

import streamlit as st

from core.lessons import renamed
from ui.components import progress
from ui.state import url_state
from ui.views.lesson_view import (
    entries_by_slug,
    lesson_params,
    load_entries,
    presentation_style,
    render_error,
    render_index,
    render_lesson,
    render_unknown,
)


def show() -> None:
    """The course list (no ``lesson`` in the URL) or the lesson it names; presentation mode from
    ``present=1`` or carried over from another page."""
    params = st.query_params
    present = params.get("present", "0").strip().lower() in ("1", "true", "yes", "on")
    present = present or bool(st.session_state.get("present"))  # turned on on another page
    st.session_state["present"] = present  # and carried on to the next
    entries = load_entries()
    renames = renamed(entries)
    slug = params.get("lesson")
    slug = renames.get(slug, slug)  # a renamed lesson's old link opens it (and the URL updates)
    progress.sync(renames)
    if present:
        presentation_style()

    if slug is None or slug in entries_by_slug(entries):  # the address bar names what is shown
        url_state.write_query(lesson_params(slug, present))

    if slug is None:
        render_index(entries, present)
    elif slug not in entries_by_slug(entries):
        render_unknown(slug, entries, present)
    else:
        entry = entries_by_slug(entries)[slug]
        if isinstance(entry, Exception):
            render_error(entry, entries, present)
        else:
            render_lesson(entry, entries, present)
