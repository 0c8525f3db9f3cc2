"""The page's state: the URL <-> widgets (url_state, model_url), page-prefixed widget keys
(keys), what follows from a change (surface_rate: a picked surface brings its rate), and a
widget the browser missed getting its value again (widget_resync)."""
