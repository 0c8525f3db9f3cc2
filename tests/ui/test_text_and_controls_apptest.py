"""Typed text and engine messages reach the page escaped; controls speak a learner's words.

Streamlit reads the body of st.error/st.warning/st.caption and every help= as Markdown, so the
bodies checked here must hold the text with Markdown's specials escaped (`ui.text.plain`), or
inside a code span; tests/browser/test_plain_text.py checks what Chromium then shows.
"""

from __future__ import annotations

import string

import pytest
from streamlit.testing.v1 import AppTest

from core.schema.experiment import FIELD, Experiment
from core.valley.resolver import surface_of
from tests.paths import REPO
from ui.text import code, plain

PAGE = str(REPO / "app_pages" / "playground.py")
HINT = "0.5*x^2 + 5*y^2"


def page(**query) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def engine_message(formula: str) -> str:
    with pytest.raises(ValueError) as info:
        surface_of(Experiment(surface="custom", formula=formula))
    return str(info.value)


def test_plain_escapes_every_markdown_special_and_nothing_else():
    text = "0.5*x^2 + 5*y^2 __import__('os') [a](b) $x$ :red[y] <b>"
    # Read it back as CommonMark does: a backslash before ASCII punctuation makes it literal.
    # No character that opens inline Markdown may be left bare: emphasis * _, code `, links
    # [ ], HTML < > &, tables |, strikethrough ~, Streamlit's LaTeX $ and :shortcodes:.
    syntax = set("*_`[]<>&|~$:\\")
    read, chars = [], iter(plain(text))
    for c in chars:
        if c == "\\":
            c = next(chars)
            assert c in string.punctuation
        else:
            assert c not in syntax
        read.append(c)
    assert "".join(read) == text
    assert plain("abc β₁ 42, 'quoted', 1e-07 (-0.1).") == "abc β₁ 42, 'quoted', 1e-07 (-0.1)."
    # What opens a block only at a line's start: a list item, a heading, a quote, a rule.
    block = "- a\n  1. b\n# c\n> d\n---\n2) e\n2.5 f"
    assert plain(block) == "\\- a\n  1\\. b\n\\# c\n\\> d\n\\---\n2\\) e\n2.5 f"
    assert "\\_\\_import\\_\\_" in plain("__import__") and plain(HINT) == "0.5\\*x^2 + 5\\*y^2"


def test_code_span_holds_any_text_verbatim():
    assert code(HINT) == f"`{HINT}`"
    assert code("a`b") == "`` a`b ``"  # CommonMark: a longer fence, one space of padding


def test_a_refused_formula_is_shown_verbatim():
    formula = "__import__('os')"
    at = page(surface="custom", formula=formula)
    assert not at.exception
    (error,) = at.sidebar.error
    assert error.value == plain(engine_message(formula))
    assert "\\_\\_import\\_\\_" in error.value  # would render as a bold "import" unescaped


def test_custom_without_a_formula_reopens_custom_and_asks_for_one():
    at = page(surface="custom")  # the link written when "Custom formula" is first picked
    assert not at.exception
    assert at.sidebar.selectbox(key="surface").value == "custom"
    assert at.sidebar.text_input(key="formula").value == ""
    (error,) = at.sidebar.error
    assert error.value == plain(engine_message("")) and plain(HINT) in error.value
    assert not at.warning  # no "showing the default surface instead"
    assert dict(at.query_params) == {"surface": "custom"}


def test_formula_help_and_placeholder_show_the_example_as_typed():
    at = page(surface="custom")
    box = at.sidebar.text_input(key="formula")
    assert box.placeholder == HINT  # a placeholder is plain text
    assert f"`{HINT}`" in box.help  # help is Markdown: the example sits in a code span


def test_a_links_junk_is_shown_as_text():
    at = page(__import__="1")
    (warning,) = at.warning
    assert "\\_\\_import\\_\\_" in warning.value and "__import__" not in warning.value


def test_hyperparameters_have_a_learners_label_and_help():
    at = page(optimizer="adam")
    boxes = {w.key: w for w in at.sidebar.number_input}
    for name in ("beta1", "beta2", "eps", "weight_decay"):
        box = boxes[f"hp_adam_{name}"]
        assert box.label == plain(FIELD[name].label) and box.label != name
        assert box.help == plain(FIELD[name].help)
    assert boxes["hp_adam_beta1"].label == "Momentum β₁"
    at.sidebar.number_input(key="hp_adam_beta1").set_value(0.5).run()
    assert at.query_params["beta1"] == "0.5"  # the URL key is still torch's name


def test_schedule_arguments_have_a_learners_label():
    at = page(schedule="cosine")
    box = at.sidebar.number_input(key="sched_cosine_T_max")
    assert box.label == plain("Period T_max (steps)") and box.help
    at = page(schedule="warmup")
    assert at.sidebar.selectbox(key="sched_warmup_after").label == plain("After the warm-up")


def test_internals_and_3d_toggles_travel_in_the_link():
    at = page(internals="1", three="1")
    assert at.toggle(key="internals").value and at.toggle(key="three").value
    at = page()
    at.toggle(key="internals").set_value(True).run()
    assert at.query_params["internals"] == "1" and "three" not in at.query_params
    at.toggle(key="three").set_value(True).run()
    assert at.query_params["three"] == "1"


def test_the_main_area_says_what_to_do_first_outside_presentation_mode():
    first = [c.value for c in page().main.caption if "learning rate" in c.value]
    assert first and "Play" in first[0] and "click the map" in first[0]
    assert not [c.value for c in page(present="1").main.caption if "press Play" in c.value]
