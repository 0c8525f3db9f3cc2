"""Resources and security, checked on the source: bounded caches, capped work, escaped HTML,
XSRF on, pinned dependencies. (The running server is checked in test_server_resources.py.)"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from core.schema.experiment import FIELD, MAX_STEPS, Experiment, ExperimentError, decode
from core.valley import sweeps
from figures.export import standalone_html
from tests.paths import REPO
from ui.views.badge import badge_html

ROOT = REPO
APP_DIRS = ("core", "ui", "app_pages", "figures")


def app_sources() -> list[Path]:
    files = [ROOT / "app.py"]
    for folder in APP_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def _name(node: ast.AST) -> str:
    """'functools.lru_cache', 'st.cache_data', 'lru_cache', ... for a decorator expression."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def cache_decorators():
    """(file:line, decorator name, keyword arguments or None when not called) of every cache."""
    found = []
    for path in app_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                name = _name(deco).rsplit(".", 1)[-1]
                if name in ("lru_cache", "cache", "cache_data", "cache_resource"):
                    kwargs = None
                    if isinstance(deco, ast.Call):
                        kwargs = {k.arg: k.value for k in deco.keywords}
                        if deco.args:  # lru_cache(128)
                            kwargs["maxsize"] = deco.args[0]
                    where = f"{path.relative_to(ROOT)}:{deco.lineno}"
                    found.append((where, name, kwargs))
    return found


def test_the_scan_finds_the_caches_it_must_check():
    names = {name for _, name, _ in cache_decorators()}
    assert {"lru_cache", "cache_data", "cache_resource"} <= names


CACHES = cache_decorators()
CACHE_IDS = [f"{where}-{name}" for where, name, _ in CACHES]


# Named by place and kind only: a test's name must not hold a memory address, or the two
# pytest-xdist workers collect different tests.
@pytest.mark.parametrize(("where", "name", "kwargs"), CACHES, ids=CACHE_IDS)
def test_every_cache_is_bounded(where, name, kwargs):
    assert name != "cache", f"{where}: functools.cache is unbounded; use lru_cache(maxsize=...)"
    assert kwargs is not None, f"{where}: @{name} without arguments is unbounded"
    if name == "lru_cache":
        size = kwargs.get("maxsize")
        assert isinstance(size, ast.Constant) and isinstance(size.value, int), where
        assert 0 < size.value <= 1024, f"{where}: maxsize {size.value}"
    else:  # Streamlit's caches: entries and age
        entries = kwargs.get("max_entries")
        assert isinstance(entries, ast.Constant) and 0 < entries.value <= 1024, where
        ttl = kwargs.get("ttl")
        assert ttl is not None and not (isinstance(ttl, ast.Constant) and ttl.value is None), (
            f"{where}: @{name} needs a ttl"
        )


def test_the_work_one_request_can_ask_for_is_capped():
    assert FIELD["steps"].hi == MAX_STEPS <= 10_000
    with pytest.raises(ExperimentError):
        decode({"steps": str(MAX_STEPS + 1)}, strict=True)
    assert sweeps.MAX_RUNS * MAX_STEPS <= 2 * 10**8  # step evaluations in one engine call
    with pytest.raises(ExperimentError):
        sweeps.log_rates(1e-3, 1.0, sweeps.MAX_RUNS + 1)
    exp = Experiment(surface="bowl", steps=10)
    with pytest.raises(ExperimentError):
        sweeps.sweep(exp, ["sgd", "adam"], np.full(sweeps.MAX_RUNS // 2 + 1, 0.1))
    with pytest.raises(ExperimentError):
        sweeps.walkers(exp, np.zeros((sweeps.MAX_RUNS + 1, 2)))


def _fixed_text(node, known: set) -> bool:
    """Text that cannot carry markup someone typed: literals, names already known to hold such
    text (numbers too: the styles interpolate sizes), html.escape(...), and f-strings and sums
    of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.Name):
        return node.id in known
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "html.escape":
        return True  # whatever it was, it is text now
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant)
            or (isinstance(v, ast.FormattedValue) and _fixed_text(v.value, known))
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _fixed_text(node.left, known) and _fixed_text(node.right, known)
    return False


def _module_strings(tree) -> set:
    """Module-level names that hold fixed text (in order: a later line may build on an earlier
    one), plus such names imported from our own ui modules (their modules are scanned too)."""
    known = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ui."):
            source = ROOT / Path(*node.module.split(".")).with_suffix(".py")
            if source.exists():
                theirs = _module_strings(ast.parse(source.read_text(encoding="utf-8")))
                known |= {a.asname or a.name for a in node.names if a.name in theirs}
        elif isinstance(node, ast.Assign) and _fixed_text(node.value, known):
            known |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            if not (node.target.id in known and _fixed_text(node.value, known)):
                known.discard(node.target.id)
        elif isinstance(node, ast.Assign):  # reassigned to something else: no longer fixed
            known -= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return known


def _html_calls():
    """(file:line, first argument) of every st.html / *.html(...) and unsafe_allow_html=True."""
    for path in app_sources():
        if path.parts[-2] == "figures":
            continue  # builders return text; they never render into the page
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_strings = _module_strings(tree)
        escaping = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and "html.escape(" in ast.unparse(node)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            unsafe = any(
                k.arg == "unsafe_allow_html"
                and not (isinstance(k.value, ast.Constant) and not k.value.value)
                for k in node.keywords
            )
            if (_name(node).endswith(".html") or unsafe) and node.args:
                yield (
                    f"{path.relative_to(ROOT)}:{node.lineno}",
                    node.args[0],
                    module_strings,
                    escaping,
                )


def test_no_user_text_reaches_raw_html_unescaped():
    calls = list(_html_calls())
    assert calls, "the scan must see the badge and the presentation styles"
    for where, arg, constants, escaping in calls:
        safe = (
            isinstance(arg, ast.Constant)
            or _fixed_text(arg, constants)
            or (isinstance(arg, ast.Call) and _name(arg) in escaping)
        )
        assert safe, f"{where}: raw HTML from {ast.unparse(arg)!r} is not shown to be escaped"


def test_the_badge_and_the_export_escape_what_they_show():
    class Outcome:
        status = 'diverged"><script>alert(1)</script>'
        step = 3
        flags = ("<img src=x onerror=alert(1)>",)
        explanation = "</span><script>alert(2)</script>"

    text = badge_html(Outcome())
    # (the badge's own one-line script, which makes it a live region, is ours: no typed script)
    assert "<script>alert" not in text and "alert(1)</script>" not in text
    assert "alert(2)</script>" not in text and "<img" not in text
    scene = {"bg": {"key": "k", "uri": "data:,"}, "title": "</script><script>alert(3)</script>"}
    page = standalone_html(scene, title="<b>t</b>", caption="<img src=x onerror=alert(4)>")
    assert "alert(3)</script>" not in page and "<img src=x" not in page and "<b>t</b>" not in page


def test_xsrf_protection_is_not_disabled_in_the_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config.get("server", {}).get("enableXsrfProtection", True) is True
    assert config.get("server", {}).get("enableCORS", True) is True


REQUIREMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[0-9][^\s;#]*$")


@pytest.mark.parametrize("name", sorted(p.name for p in ROOT.glob("requirements*.txt")))
def test_every_dependency_is_pinned(name):
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    entries = [ln.split("#", 1)[0].strip() for ln in lines]
    entries = [e for e in entries if e and not e.startswith("-r ")]
    assert entries
    for entry in entries:
        assert REQUIREMENT.match(entry), f"{name}: {entry!r} is not pinned with =="
