"""The catalog: what each optimizer and schedule is, written once.

JAX-free and light: plain data that the schema, the widgets, the CLI, the
theory lines, the explanations, the internals and the lessons derive from.
Each sibling module describes one family: ``optimizers``, ``schedules``, ``statuses`` (the
outcome words and colours), ``range_test`` (the range test's rules), ``limits`` (the step
limit). `figures/` may read it (facts, no engine); nothing here imports JAX or NumPy.
"""
