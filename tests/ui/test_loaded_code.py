"""ui/loaded_code.py: after a run that imported modules, what is alive goes to Python's
permanent generation, which the cyclic collector's full collections no longer walk."""

from __future__ import annotations

import gc
import sys
import types

from tests.paths import REPO
from ui import loaded_code


def test_a_run_that_imported_modules_freezes_what_is_alive_and_a_later_one_does_not():
    gc.unfreeze()
    loaded_code.freeze_loaded()  # whatever this process has imported so far
    module = types.ModuleType("gv_freeze_probe")
    module.objects = [[i] for i in range(1000)]  # a newly imported module's objects
    sys.modules[module.__name__] = module
    try:
        before = gc.get_freeze_count()
        assert loaded_code.freeze_loaded()
        assert gc.get_freeze_count() >= before + 1000  # the module's objects among them
        assert not loaded_code.freeze_loaded()  # nothing new imported: nothing frozen again
    finally:
        del sys.modules[module.__name__]
        gc.unfreeze()


def test_the_app_freezes_after_each_page_run():
    lines = [line.split("#")[0].strip() for line in (REPO / "app.py").read_text().splitlines()]
    run = lines.index("st.navigation(pages).run()")
    assert lines[run + 1] == "loaded_code.freeze_loaded()"
