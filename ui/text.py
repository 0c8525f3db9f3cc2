"""Text the user typed, or a message from the engine, shown as itself and never as Markdown.

Streamlit renders the body of `st.error`, `st.warning`, `st.info`, `st.markdown`, `st.caption`
and every ``help=`` tooltip as Markdown: a formula such as ``0.5*x^2 + 5*y^2`` would turn into
italics (and copy back as a different formula), ``__import__`` into a bold "import". `plain`
escapes every character Markdown (with Streamlit's extensions: LaTeX ``$``, emoji and icon
shortcodes ``:name:``, coloured ``:red[...]``) could read as syntax; `code` shows a formula in a
code span, where nothing is interpreted at all.
"""

from __future__ import annotations

import re

# Characters that open Markdown syntax wherever they stand: emphasis * _, code `, links [ ],
# HTML < > &, strikethrough ~, tables |, Streamlit's LaTeX $ and :shortcodes: / :red[colour].
_INLINE = frozenset("\\`*_[]<>&~$:|")
# ...and what opens a block only at the start of a line: a heading #, a quote >, a list item
# - + or 1. 1), a rule or underline - =.
_LINE_START = re.compile(r"^([ \t]*)(?:([#>+=-])|(\d+)([.)])(?=[ \t]|$))", re.MULTILINE)


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it character for character.

    Only what Markdown could read as syntax gets a backslash (CommonMark makes any escaped
    ASCII punctuation literal), so numbers like 1e-07 and sentences stay readable in the page's
    source and in tests."""
    inline = "".join("\\" + c if c in _INLINE else c for c in str(text))
    return _LINE_START.sub(_escape_marker, inline)


def _escape_marker(match: re.Match) -> str:
    indent, marker, digits, delimiter = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{digits}\\{delimiter}"


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
