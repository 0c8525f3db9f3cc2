"""The layers: the engine knows nothing of the UI, the figures nothing of the engine.

- core/ never imports streamlit, ui/ or figures/;
- figures/ never imports streamlit, ui/ or the engine; of core/ it may read only the JAX-free
  catalog (`core.catalog`: facts such as a status colour, written once);
- core/catalog/ imports nothing of ours outside itself (the schema, the engine and the UI
  derive from it, never the other way round).
Imports anywhere in a module's body count (module level and inside functions).
"""

from __future__ import annotations

import ast

import pytest

from tests.architecture.test_import_cycles import ROOT, imports_of, module_files

MODULES = module_files(ROOT)


def _third_party(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _allowed(module: str, target: str) -> bool:
    if module.startswith("core.catalog"):
        return target.startswith("core.catalog")
    if module.startswith("core"):
        return target.startswith("core")
    if module.startswith("figures"):
        return target.startswith(("figures", "core.catalog"))
    return True  # ui/ may use everything below it


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("ui")))
def test_each_layer_imports_only_what_lies_below_it(module):
    path = MODULES[module]
    wrong = sorted(t for t in imports_of(module, path, MODULES) if not _allowed(module, t))
    assert not wrong, f"{module} imports {wrong}"
    assert "streamlit" not in _third_party(path), f"{module} imports streamlit"


def test_the_rule_catches_a_figure_that_reads_the_engine():
    assert not _allowed("figures.valley.path", "core.valley.simulation")
    assert _allowed("figures.real.model", "core.catalog.range_test")
    assert not _allowed("core.valley.kernel", "ui.controls.experiment_controls")
    assert not _allowed("core.catalog.optimizers", "core.schema.experiment")
