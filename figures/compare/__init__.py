"""Figures that compare runs: the race, the U-curve of final loss against rate, the
walkers' basins, and grid against random search."""
