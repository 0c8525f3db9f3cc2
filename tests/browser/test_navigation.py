"""A shared link into any page works on a freshly started server, with the app's navigation."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_deep_link_as_a_fresh_servers_first_request_keeps_the_apps_navigation(
    page, restartable_server
):
    # A folder named pages/ beside app.py made Streamlit run the page script on its own (the
    # legacy multipage mode) until st.navigation had run once: the first visitor of a shared
    # link lost the app's titles, layout and page_config.
    url, _ = restartable_server
    page.goto(f"{url}/walkers?surface=himmelblau")
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Many walkers", timeout=60_000)
    expect(nav).to_contain_text("Learning-rate sweep")
    names = [text.split("\n")[-1].strip() for text in nav.get_by_role("link").all_inner_texts()]
    assert "app" not in names and "walkers" not in names
