"""The controls, built from the field tables: the experiment controls every page shares
(experiment_controls, surface_control, start_control), the rate control (lr_control over the
rate_slider component) and the race's own (race_controls)."""
