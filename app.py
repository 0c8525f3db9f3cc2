"""Gradient Valley: the entry point. `streamlit run app.py` serves every page below."""

from pathlib import Path

import streamlit as st

from ui import a11y, loaded_code, theme
from ui.state import widget_resync

HERE = Path(__file__).parent

# (script, title, url path, icon); the first is the default page at "/".
PAGES = [
    ("app_pages/playground.py", "Playground", "", ":material/landscape:"),
    ("app_pages/race.py", "Race", "race", ":material/sprint:"),
    ("app_pages/sweep.py", "Learning-rate sweep", "sweep", ":material/show_chart:"),
    ("app_pages/walkers.py", "Many walkers", "walkers", ":material/scatter_plot:"),
    ("app_pages/blindfold.py", "Blindfold walk", "blindfold", ":material/visibility_off:"),
    ("app_pages/model.py", "Real model", "model", ":material/model_training:"),
    ("app_pages/lessons.py", "Lessons", "lessons", ":material/school:"),
    ("app_pages/classroom.py", "Live class", "classroom", ":material/groups:"),
    ("app_pages/join.py", "Join a class", "join", ":material/how_to_vote:"),
]

# A local icon (ui/theme.py): a Material icon as favicon makes the browser fetch a font.
st.set_page_config(page_title="Gradient Valley", page_icon=theme.ICON_URL, layout="wide")
pages = [
    st.Page(str(HERE / script), title=title, url_path=url or None, icon=icon, default=not url)
    for script, title, url, icon in PAGES
    if (HERE / script).exists()  # pages land one issue at a time
]
widget_resync.install()  # a widget the browser missed gets its value again (ui/state)
a11y.style()  # a visible focus ring and readable contrast on every page (ui/a11y.py)
theme.touch()  # phones and tablets: controls a finger can hit
st.navigation(pages).run()
loaded_code.freeze_loaded()  # after a page's first run has imported its modules
