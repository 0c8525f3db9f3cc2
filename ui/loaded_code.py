"""Python's cyclic garbage collector, kept off the code the server has loaded.

A full collection walks every object the collector tracks. With Streamlit, JAX and Plotly
loaded that is ~180,000 objects, ~80 ms with the GIL held (measured): every session of the
process stalls while it runs, and with a class of phones creating sessions, full collections
come every few seconds. Modules, functions and classes live as long as the process, so after a
run that imported new modules, `freeze_loaded` moves everything alive into Python's permanent
generation (`gc.freeze`), which collections skip. It does so only when ``sys.modules`` grew:
a few times in a process's life (once per page first opened), so the objects of sessions
alive at that moment that it freezes too are few and bounded. Reference counting still frees
every frozen object that is not in a cycle.
"""

from __future__ import annotations

import gc
import sys

_frozen_at = [0]  # len(sys.modules) at the last freeze


def freeze_loaded() -> bool:
    """Freeze what is alive if modules were imported since the last freeze; True if it did."""
    loaded = len(sys.modules)
    if loaded == _frozen_at[0]:
        return False
    _frozen_at[0] = loaded
    gc.freeze()
    return True
