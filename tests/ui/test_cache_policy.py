"""One cache module with one bound: every cached engine call and picture of ui/ goes through
ui/cache.py, whose two pools hold at most MAX_ENTRIES entries each for at most TTL seconds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import REPO
from ui import cache as run_cache

ROOT = REPO
CACHES = ("cache_resource", "cache_data", "lru_cache", "cache")


def _cache_uses(path: Path) -> list[tuple[int, str, dict]]:
    """(line, name, keyword arguments) of every cache decorator or call in a file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        call = node if isinstance(node, ast.Call) else None
        target = call.func if call else node
        name = getattr(target, "attr", None) or getattr(target, "id", None)
        if name in CACHES and isinstance(node, ast.Call | ast.Attribute | ast.Name):
            kwargs = {k.arg: k.value for k in call.keywords} if call else {}
            out.append((node.lineno, name, kwargs))
    return out


def test_nothing_in_ui_caches_but_the_cache_module():
    others = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for path in sorted((ROOT / "ui").rglob("*.py"))
        if path.relative_to(ROOT).as_posix() != "ui/cache.py"
        for line, name, _ in _cache_uses(path)
    ]
    assert others == []


def test_run_caches_pools_say_the_one_bound():
    uses = [u for u in _cache_uses(ROOT / "ui" / "cache.py") if u[2]]
    assert {name for _, name, _ in uses} == {"cache_resource", "cache_data"}
    for _, _, kwargs in uses:
        assert ast.literal_eval(kwargs["max_entries"]) == run_cache.MAX_ENTRIES
        assert ast.unparse(kwargs["ttl"]) == "TTL"
    assert 0 < run_cache.MAX_ENTRIES <= 1024 and 0 < run_cache.TTL <= 24 * 3600


@pytest.mark.parametrize("pool", [run_cache.shared, run_cache.copied])
def test_a_pool_keeps_its_entries_and_drops_the_oldest_past_its_bound(pool):
    calls = []

    def work(i):
        calls.append(i)
        return i * i

    run_cache._shared.clear()
    run_cache._copied.clear()
    assert pool(work, (3,), 3) == 9 and pool(work, (3,), 3) == 9
    assert calls == [3]  # kept: computed once
    for i in range(run_cache.MAX_ENTRIES + 1):
        pool(work, (i,), i)
    calls.clear()
    pool(work, (run_cache.MAX_ENTRIES,), run_cache.MAX_ENTRIES)
    assert calls == []  # the newest is still there
    pool(work, (0,), 0)
    assert calls == [0]  # the oldest was dropped to keep the bound
