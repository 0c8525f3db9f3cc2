"""The one schema: URL, CLI and lessons read and write experiments through it."""

import pytest

from core.schema.experiment import FIELD, FIELDS, Experiment, ExperimentError, decode, encode

VIEW_DEFAULTS = {
    "present": False,
    "internals": False,
    "three": False,
    "tol": 1e-3,
    "racers": None,
    "rates": None,
}


def test_round_trip_of_every_kind_of_field():
    exp = Experiment(
        surface="custom",
        formula="0.5*x^2 + 5*y^2",
        optimizer="adam",
        lr=0.003,
        steps=250,
        start=(-1.5, 2.25),
        schedule="onecycle",
        seed=7,
        params={"beta1": 0.8, "eps": 1e-6},
        schedule_args={"pct_start": 0.25, "div_factor": 10.0},
    )
    query = encode(exp, {"present": True})
    assert query["start"] == "-1.5,2.25" and query["present"] == "1" and query["lr"] == "0.003"
    back, view, notices = decode(query)
    assert back == exp and view == {**VIEW_DEFAULTS, "present": True}
    assert notices == []


def test_defaults_are_not_written():
    assert encode(Experiment()) == {}
    # A formula only matters for custom surfaces.
    assert encode(Experiment(formula="x^2")) == {}


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("lr", "abc", "lr must be a number"),
        ("lr", "nan", "finite"),
        ("lr", "0", "lr must be at least 1e-07"),
        ("lr", "-1", "at least"),
        ("lr", "1e6", "at most 100"),
        ("steps", "0", "steps must be"),
        ("steps", "1000000000", "at most 10000"),
        ("steps", "2.5", "whole number"),
        ("start", "1", "two numbers"),
        ("start", "inf,0", "finite"),
        ("momentum", "1", "below 1"),
        ("beta2", "1.5", "below 1"),
        ("eps", "-1e-8", "above 0"),
        ("optimizer", "lbfgs", "one of sgd"),
        ("schedule", "magic", "one of constant"),
        ("present", "maybe", "1 or 0"),
    ],
)
def test_bad_values_become_notices_in_the_url_and_errors_when_strict(key, value, fragment):
    exp, _, notices = decode({key: value})
    assert exp == Experiment()  # the default stands in for the refused value
    assert len(notices) == 1 and fragment in notices[0] and "instead" in notices[0]
    with pytest.raises(ExperimentError, match=fragment.split()[0]):
        decode({key: value}, strict=True)


def test_unknown_keys_are_reported():
    exp, _, notices = decode({"bogus": "1"})
    assert exp == Experiment() and len(notices) == 1 and "bogus" in notices[0]


def test_custom_without_formula_stays_custom_in_a_link_and_is_refused_when_strict():
    # The link the app writes when "Custom formula" is first picked, before any typing:
    # it reopens the custom surface with an empty box (the page asks for a formula there).
    exp, _, notices = decode({"surface": "custom"})
    assert (exp.surface, exp.formula, notices) == ("custom", "", [])
    assert decode(encode(exp))[0] == exp
    with pytest.raises(ExperimentError, match="needs a formula"):
        decode({"surface": "custom"}, strict=True)


def test_toggles_of_the_view_travel_in_the_link():
    view = {"present": False, "internals": True, "three": True}
    assert encode(Experiment(), view) == {"internals": "1", "three": "1"}
    _, decoded, notices = decode({"internals": "1", "three": "1"})
    assert decoded["internals"] is True and decoded["three"] is True and not notices


def test_every_hyperparameter_and_schedule_argument_has_a_learners_label_and_help():
    for f in FIELDS:
        if f.group in ("param", "schedule"):
            assert f.label and f.label != f.name and f.help.endswith("."), f.name
    assert FIELD["beta1"].title == "Momentum β₁" and FIELD["T_max"].title == "Period T_max (steps)"


def test_overlong_text_is_refused():
    _, _, notices = decode({"formula": "x+" * 150 + "y", "surface": "custom"})
    assert any("at most 200" in n for n in notices)


def test_every_field_has_a_parseable_default_and_a_unique_name():
    assert len({f.name for f in FIELDS}) == len(FIELDS)
    for f in FIELDS:
        if f.default is not None and f.kind in ("float", "int"):
            assert f.parse(f.format(f.default)) == f.default


def test_number_formatting_is_short_and_exact():
    for v in (0.05, 1e-5, 3.0, 0.1 + 0.2, 12.5):
        assert float(FIELD["lr"].format(v)) == v
    assert FIELD["lr"].format(3.0) == "3" and FIELD["lr"].format(0.05) == "0.05"


def test_race_view_fields_round_trip_and_refuse_junk():
    view = {**VIEW_DEFAULTS, "racers": ("sgd", "adam"), "rates": {"sgd": 0.01, "adam": 0.3}}
    query = encode(Experiment(), view)
    assert query == {"racers": "sgd,adam", "rates": "sgd:0.01,adam:0.3"}
    _, back, notices = decode(query)
    assert back == view and notices == []
    for key, junk in [
        ("racers", "sgd,lbfgs"),
        ("racers", "sgd,sgd"),
        ("rates", "sgd=0.1"),
        ("rates", "sgd:abc"),
        ("rates", "sgd:1e9"),
        ("rates", "sgd:0.1,sgd:0.2"),
    ]:
        _, view, notices = decode({key: junk})
        assert view[key] is None and len(notices) == 1, (key, junk, notices)


def test_the_schema_names_every_optimizer_and_schedule_of_the_engine():
    import inspect

    from core import optimizers, schedules
    from core.schema.experiment import (
        OPTIMIZER_NAMES,
        PARAM_NAMES,
        SCHEDULE_ARG_NAMES,
        SCHEDULE_NAMES,
    )

    assert schedules.SCHEDULES == SCHEDULE_NAMES
    # Every optimizer the schema offers builds, and the keywords its constructor really takes
    # (read off its signature, not the catalog) are all settable through the schema.
    for name in OPTIMIZER_NAMES:
        fn = optimizers.OPTIMIZERS[name]
        optimizers.make(name, 0.1).init(0.0)
        keywords = set(inspect.signature(fn).parameters) - {"learning_rate"}
        assert keywords <= set(PARAM_NAMES), name
    every_arg = {a for args in schedules.PARAMS.values() for a in args}
    assert every_arg <= set(SCHEDULE_ARG_NAMES)
