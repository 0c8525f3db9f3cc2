"""Limits shared by the schema, the catalog and the engine, written once."""

MAX_STEPS = 10_000  # the longest run (and the longest schedule argument counted in steps)
