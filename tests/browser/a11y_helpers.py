"""What the accessibility tests share: axe-core run in the page, a page's settling, and moving
between the app's pages by the sidebar as a person does (no reload, so one session carries
presentation mode from page to page).

axe-core comes from `axe-playwright-python` (its bundled axe.min.js); a violation counts when
its impact is "critical" or "serious". EXCLUDE lists, narrowly, the Streamlit-internal
elements left out of the audit, each with why (docs/ACCESSIBILITY.md repeats them).
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

BLOCKING = ("critical", "serious")

# Elements of Streamlit's own chrome that app code cannot change, left out of the audit:
# (CSS selector, why). Whole rules are never disabled.
EXCLUDE: tuple[tuple[str, str], ...] = ()

# The page has finished drawing: its title is there, no script is running, no element is left
# stale from the last run, every player and every Plotly chart is drawn.
SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') === 'running') return false;
  if (!document.querySelector('[data-testid="stMain"] h1')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if ([...document.querySelectorAll('.gv-root')].some(r => !r.querySelector('[data-scene]')
      && !r.hasAttribute('data-scene'))) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(c => c.querySelector('.main-svg'));
}"""

_AXE = Axe()


def settle(page, timeout: float = 90_000) -> None:
    """Wait until the page is drawn and stays so a moment (a rerun may follow a first run)."""
    page.wait_for_function(SETTLED_JS, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED_JS, timeout=timeout)


def audit(page, exclude: tuple[tuple[str, str], ...] = EXCLUDE) -> dict:
    """axe-core on the page as it is: {"blocking": [violations critical or serious],
    "counts": {rule id: nodes} of every violation, "rules": how many rules ran}."""
    context = {"include": [["html"]], "exclude": [[sel] for sel, _ in exclude]}
    options = {"resultTypes": ["violations"]}
    result = _AXE.run(page, context=context if exclude else None, options=options).response
    violations = result["violations"]
    ran = {
        r["id"]
        for key in ("passes", "violations", "incomplete", "inapplicable")
        for r in result.get(key, [])
    }
    return {
        "blocking": [v for v in violations if v["impact"] in BLOCKING],
        "counts": {v["id"]: len(v["nodes"]) for v in violations},
        "rules": len(ran),
    }


def report(violations: list) -> str:
    """Each violation's rule, impact and the elements it names (selector, HTML, message)."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:8]:
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            message = checks[0]["message"] if checks else ""
            lines.append(f"    {node['target']}  {node['html'][:140]}  {message}")
    return "\n".join(lines)


H1_JS = "() => (document.querySelector('[data-testid=\"stMain\"] h1') || {}).innerText || ''"


def go_to(page, title: str) -> None:
    """Open one of the app's pages by its sidebar link, as a person does (unless it is the
    page on screen), and wait until the new page's title replaced the old one's and it
    settled."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True)
    href = link.get_attribute("href") or ""
    if href.rstrip("/") == page.url.split("?")[0].rstrip("/"):
        settle(page)
        return
    before = page.evaluate(H1_JS)
    link.click()
    page.wait_for_function(f"() => ({H1_JS})() !== {before!r}", timeout=90_000)
    settle(page)
