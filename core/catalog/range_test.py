"""The range test's suggestion rules, named and titled once (JAX-free).

`core.real.lr_finder` computes each rule; the URL schema's choices, the lessons' vocabulary,
the figure's legend and the pages' labels take the names and titles from here. The order is
the learner's: the default rule first.
"""

RULE_TITLES: dict[str, str] = {
    "minimum": "minimum / 10",  # a tenth of the rate at the lowest smoothed loss
    "valley": "valley",  # half-way into the longest decreasing run of the curve
    "steepest": "steepest descent",  # where the smoothed loss falls fastest per log rate
}
RULES: tuple[str, ...] = tuple(RULE_TITLES)
