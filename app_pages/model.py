"""Real model: the loss of a real model is a surface too. A two-parameter valley made of real
data, then a small network: the range test, training at its suggestion, schedules."""

from ui.views.model_page import show

show()
