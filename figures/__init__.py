"""Figure builders: arrays in, Plotly figure dicts (or HTML) out. Never imports Streamlit.

- `figures.valley.surface`: the surface as a PNG with log-spaced filled contours and level lines,
  its minima, axes fixed on a domain.
- `figures.valley.path`: paths over a surface (any number, any colours), `map_figure`.
- `figures.valley.curves`: loss against step (log), learning rate against step.
- `figures.valley.surface3d`: the surface in 3D with a path on it.
- `figures.valley.internals`: per-frame optimizer arrows and the update rule with numbers in.
- `figures.valley.scene`: one run packed for the client-side player (`figures/js/player*.js`).
- `figures.scripts`: the client-side players' scripts in figures/js, in load order.
- `figures.export`: standalone offline HTML, CSV and JSON.
- `figures.palette`: colour-blind-safe colours and the screen/presentation themes.
"""
