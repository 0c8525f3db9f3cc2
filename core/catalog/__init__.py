"""The catalog: what each optimizer and schedule is, written once.

JAX-free and light: plain data that the schema, the widgets, the CLI, the
theory lines, the explanations, the internals and the lessons derive from.
Each sibling module describes one family (``optimizers``, ``schedules``).
"""
