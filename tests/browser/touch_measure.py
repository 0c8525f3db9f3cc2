"""What a phone's screen shows, measured in the page: horizontal overflow, the map's box, and
every control a finger must hit that is less than TOUCH_MIN_PX tall.

Controls: buttons (and role=button, tabs), selects, text and number boxes, radios, checkboxes
and toggles, navigation links, range inputs and slider thumbs; only those on screen (a
collapsed sidebar sits off to the left, a closed expander's insides are not drawn).
"""

from __future__ import annotations

from ui.theme import TOUCH_MIN_PX

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
