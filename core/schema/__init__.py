"""The schema: what a run is, in words a URL, a CLI flag, a widget and a lesson share.

`fields` (one typed row: parse, format, range), `experiment` (the table of fields, the
`Experiment` and its URL codec), `model_settings` (the Real model page's table), `rate_grid`
(the slider's rates). The facts the rows are made of (optimizers, schedules, their words and
ranges) are in `core.catalog`. JAX-free: importing it stays cheap.
"""
