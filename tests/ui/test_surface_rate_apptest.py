"""Picking a surface moves the rate to that surface's teaching rate; a link's rate opens.

Through Streamlit's AppTest on the playground and the walkers page (which share the surface
picker). The references: `core.valley.sweeps.teaching_rate` and the runs' own outcomes.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.schema.experiment import FIELD
from core.valley.sweeps import teaching_rate
from tests.paths import REPO

ROOT = REPO
PLAYGROUND = str(ROOT / "app_pages" / "playground.py")
APP = str(ROOT / "app.py")


def playground(**query) -> AppTest:
    at = AppTest.from_file(PLAYGROUND, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def badge_status(at: AppTest) -> str:
    bodies = [e.proto.body for e in at.main if getattr(e, "type", "") == "html"]
    (body,) = [b for b in bodies if "gv-badge" in b]
    return body.split('data-status="')[1].split('"')[0]


def test_picking_a_surface_opens_it_at_its_teaching_rate():
    at = playground()
    assert at.session_state["lr"] == FIELD["lr"].default
    for name in ("ravine", "rosenbrock", "goldstein_price", "valley"):
        at.selectbox(key="surface").select(name).run()
        assert not at.exception, at.exception
        assert at.session_state["lr"] == teaching_rate(name), name
        assert badge_status(at) != "diverged", name
    # Back on the default surface at its default rate: the link is short again.
    assert "lr" not in dict(at.query_params)


def test_a_links_rate_opens_and_a_new_surface_brings_its_own():
    at = playground(surface="ravine", lr="0.3")
    assert at.session_state["lr"] == 0.3  # the link chose it for its surface
    at.number_input(key="lr_exact").set_value(0.007).run()  # the learner's, on this surface
    at.number_input(key="steps").set_value(200).run()  # another setting moves
    assert at.session_state["lr"] == 0.007  # kept while the surface stays
    at.selectbox(key="surface").select("beale").run()
    assert at.session_state["lr"] == teaching_rate("beale")  # a rate belongs to its surface
    assert badge_status(at) != "diverged"


def test_walkers_on_himmelblau_open_at_a_rate_where_walkers_settle():
    at = AppTest.from_file(APP, default_timeout=300)
    at.switch_page("app_pages/walkers.py").run()
    at.sidebar.selectbox(key="cmp_surface").select("himmelblau").run()
    assert not at.exception, at.exception
    assert at.session_state["lr"] == teaching_rate("himmelblau")
    (shares, *_) = at.dataframe
    table = shares.value
    ends = dict(zip(table["ends in"], table["share"], strict=True))
    assert ends.get("diverged", 0) < 0.5, ends  # at 0.05 every walker diverged
    assert sum(v for k, v in ends.items() if k.startswith("minimum")) > 0.5, ends
