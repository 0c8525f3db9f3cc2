"""Text the user typed, or a message from the engine, shown as itself and never as Markdown.

Streamlit renders the body of `st.error`, `st.warning`, `st.info`, `st.markdown`, `st.caption`
and every ``help=`` tooltip as Markdown: a formula such as ``0.5*x^2 + 5*y^2`` would turn into
italics (and copy back as a different formula), ``__import__`` into a bold "import". `plain`
escapes every character Markdown (with Streamlit's extensions: LaTeX ``$``, emoji and icon
shortcodes ``:name:``, coloured ``:red[...]``) could read as syntax; `code` shows a formula in a
code span, where nothing is interpreted at all.
"""

from __future__ import annotations

# The ASCII punctuation that Markdown (CommonMark, GitHub's tables and strikethrough, and
# Streamlit's LaTeX, shortcodes and colours) can read as syntax. A backslash makes any of them
# literal; quotes, commas, slashes and the like mean nothing and are left as they are.
_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~$:&=")


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it character for character."""
    return "".join("\\" + c if c in _SPECIAL else c for c in str(text))


def code(text: object) -> str:
    """``text`` as an inline code span (shown verbatim, in a monospace font).

    The fence is one backtick longer than the longest run of backticks inside, and padded with
    spaces, as CommonMark prescribes for code that itself holds backticks."""
    text = " ".join(str(text).split("\n"))
    longest, run = 0, 0
    for c in text:
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
