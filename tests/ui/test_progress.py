"""A learner's progress document (`ui.components.progress`): what comes back from the browser
is sanitised, merged as a union, and follows renamed lessons."""

from __future__ import annotations


def test_progress_documents_from_the_browser_are_sanitised_and_merged():
    from ui.components.progress import merge, sanitize

    hostile = {
        "lessons": {
            "01-a": {"done": True, "answers": {"q1": 2, "q2": True, "q3": -1, "Q4": 1, "q5": 99}},
            "../etc": {"done": True, "answers": {}},
            "02-b": {"done": "yes", "answers": ["q1"]},
            "03-c": "junk",
        },
        "extra": 1,
    }
    clean = sanitize(hostile)
    assert clean == {
        "lessons": {
            "01-a": {"done": True, "answers": {"q1": 2}},
            "02-b": {"done": False, "answers": {}},
        }
    }
    assert sanitize("not a document") == sanitize(None) == {"lessons": {}}
    mine = {"lessons": {"01-a": {"done": False, "answers": {"q1": 0, "q2": 1}}}}
    merged = merge(mine, clean)
    assert merged["lessons"]["01-a"] == {"done": True, "answers": {"q1": 0, "q2": 1}}
    assert merged["lessons"]["02-b"] == {"done": False, "answers": {}}
    assert merge(merged, clean) == merged == merge(merged, merged)  # settles after one round


def test_progress_made_under_a_lessons_old_name_moves_to_its_new_one():
    from core.lessons import load_all, renamed
    from ui.components.progress import apply_renames

    stored = {
        "lessons": {
            "08-momentum": {"done": True, "answers": {"q1": 1}},
            "momentum": {"done": False, "answers": {"q2": 0}},
            "too-small": {"done": True, "answers": {}},
        }
    }
    renames = renamed(load_all())
    assert renames["08-momentum"] == "momentum"  # the shipped lessons keep their old names
    moved = apply_renames(stored, renames)
    assert moved == {
        "lessons": {
            "momentum": {"done": True, "answers": {"q1": 1, "q2": 0}},
            "too-small": {"done": True, "answers": {}},
        }
    }
