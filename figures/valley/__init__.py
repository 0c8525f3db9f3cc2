"""Figures of the 2D valley: the surface picture and map, the path and its scene for the
player, the loss and rate curves, the 3D view, and the optimizer's internals."""
