"""The 2D valley engine: surfaces and typed formulas, the compiled trajectory kernel, the
public `simulate`, outcomes and their explanations, theory (critical rates), sweeps, walkers
and races. Follow a run: `resolver` (Experiment -> resolved numbers) -> `kernel` (one
`lax.scan`) -> `simulation` (the Run) -> `outcomes` -> `explain`.
"""
