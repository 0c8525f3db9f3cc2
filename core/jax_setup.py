"""Process-wide JAX settings, applied once before the first compilation.

JAX's persistent compilation cache makes a fresh process's first trajectory compile 2-3x faster,
but by default it stores nothing on these machines (every compile is under the 1 s threshold;
see shared/PLATFORM.md), so the thresholds are lowered. The cache lives in the app's own data
folder (`core.data_dir`: ``$GRADIENT_VALLEY_DATA``, default ``<project>/data``).
"""

from __future__ import annotations

import os

import jax

from core.data_dir import DATA_DIR

CACHE_DIR = DATA_DIR / "jax-cache"


def configure() -> None:
    # Every call here is small and its result is wanted at once. With asynchronous dispatch the
    # CPU client hands any program its cost model does not call cheap (over ~1,000 flops: a
    # table over 500 steps is enough) to a worker thread, and waking it costs 20-50 us here
    # (measured; a whole warm trajectory takes 20). Synchronous dispatch runs it on the caller.
    jax.config.update("jax_cpu_enable_async_dispatch", False)
    if os.environ.get("GRADIENT_VALLEY_NO_JAX_CACHE"):
        return
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout still runs, only without the cache
        return
    jax.config.update("jax_compilation_cache_dir", str(CACHE_DIR))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)


configure()
