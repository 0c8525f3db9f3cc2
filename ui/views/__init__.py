"""One view per page (playground_page, race_view, sweep_view, walkers_view, model_page,
lessons_page) and the parts they show: the playground's main area, the lesson players, the
model page's two parts, the outcome badge and the theory line."""
