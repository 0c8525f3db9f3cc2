"""What a phone's screen shows, measured in the page: horizontal overflow, the map's box, and
every control a finger must hit that is less than TOUCH_MIN_PX tall.

Controls: buttons (and role=button, tabs), selects, text and number boxes, radios, checkboxes
and toggles, navigation links, range inputs and slider thumbs; only those on screen (a
collapsed sidebar sits off to the left, a closed expander's insides are not drawn).

Shared by the phone journeys and the every-lesson check: the two screens, one touch-screen
page per size (`open_screens`), `idle` (the page drawn) and `problems` (what is wrong on it).
"""

from __future__ import annotations

from tests.browser.conftest import IDLE
from ui.theme import TOUCH_MIN_PX

SCREENS = {"phone": (390, 844), "tablet": (768, 1024)}
# Drawn: the script has finished and no element still waits for its renderer. Streamlit loads
# most renderers (st.html's, which carries the touch style, buttons', charts') on first use in
# each opened tab and shows a skeleton until then; the script may finish before they are in,
# while headings, the header's buttons and popovers already show (ui/theme.py touch()).
WAITING = "[data-testid='stSkeleton']"

CONTROLS = ", ".join(
    [
        "button",
        "[role=button]",
        "[role=tab]",
        "[role=slider]",
        "select",
        "input[type=range]",
        "[data-baseweb=select] > div",
        "[data-testid=stNumberInputContainer]",
        "[data-baseweb=input]",
        "label[data-baseweb=radio]",
        "label[data-baseweb=checkbox]",
        "a[data-testid=stSidebarNavLink]",
    ]
)

MEASURE_JS = """([controls, least, root]) => {
  const W = window.innerWidth;
  const within = document.querySelector(root) || document;
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && r.right > 0 && r.left < W
      && !el.closest('[aria-hidden="true"], [inert]');
  };
  const small = [];
  for (const el of within.querySelectorAll(controls)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < least - 0.5) {
      const name = el.getAttribute("aria-label") || el.innerText || el.getAttribute("data-testid")
        || el.tagName;
      const tag = el.tagName.toLowerCase(), px = r.height.toFixed(0);
      small.push(`${tag} "${name.trim().slice(0, 40)}" ${px}px`);
    }
  }
  const map = document.querySelector(".gv-map .main-svg, .gvr-map .main-svg");
  const box = map ? map.getBoundingClientRect() : null;
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: W,
    map: box ? [box.left, box.right] : null,
    small: small,
  };
}"""


def measure(page, root: str = "body") -> dict:
    """The page's overflow and map, and the small controls under `root` (a CSS selector)."""
    return page.evaluate(MEASURE_JS, [CONTROLS, TOUCH_MIN_PX, root])


def touch_page(browser, screen: str):
    """A new touch-screen context (Chromium's mobile emulation) of SCREENS[screen] and its
    page; the caller closes the page's context."""
    width, height = SCREENS[screen]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.set_default_timeout(180_000)  # a cold server on a busy machine: imports, compiles
    return tab


def open_screens(browser):
    """One touch-screen page per size, for a module's tests:
    `screens = pytest.fixture(scope="module", name="screens")(open_screens)`."""
    pages = {name: touch_page(browser, name) for name in SCREENS}
    yield pages
    for tab in pages.values():
        tab.context.close()


def idle(page) -> None:
    """Wait until the page is drawn: its script finished, every element's renderer in."""
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_function("s => !document.querySelector(s)", arg=WAITING, polling="raf")


def problems(page, where: str, root: str = "body", sidebar: bool = False) -> list[str]:
    """What is wrong on screen. The map is checked with the sidebar closed: while it is open
    the map sits beside or under it, and is laid out again when it closes."""
    seen = measure(page, root)
    found = [f"{where}: {s}" for s in seen["small"]]
    if seen["scrollWidth"] > seen["innerWidth"]:
        found.append(f"{where}: scrolls sideways ({seen['scrollWidth']} > {seen['innerWidth']})")
    box = seen["map"]
    if not sidebar and box and (box[0] < -0.5 or box[1] > seen["innerWidth"] + 0.5):
        found.append(f"{where}: the map {box} leaves the window")
    return found
