"""The blindfold walk's kept scores (`ui.components.blindfold_scores`): what comes back from the
browser is sanitised, and merging keeps the fewer steps of each walk and settles at once."""

from __future__ import annotations


def test_scores_from_the_browser_are_sanitised_and_merged_by_the_fewest_steps():
    from ui.components.blindfold_scores import merge, sanitize

    hostile = {
        "best": {
            "surface=bowl": 3,
            "surface=ravine": True,
            "surface=valley": -1,
            "x" * 400: 2,
            "surface=booth": "4",
            "surface=matyas": 7,
        },
        "lessons": {},
    }
    clean = sanitize(hostile)
    assert clean == {"best": {"surface=bowl": 3, "surface=matyas": 7}}
    assert sanitize(None) == sanitize([1]) == sanitize({"best": "x"}) == {"best": {}}
    mine = {"best": {"surface=bowl": 5, "surface=valley": 12}}
    merged = merge(mine, clean)
    assert merged == {"best": {"surface=bowl": 3, "surface=matyas": 7, "surface=valley": 12}}
    assert merge(merged, clean) == merged == merge(merged, merged)
