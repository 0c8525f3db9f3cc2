"""The real-model lab: scikit-learn's bundled data sets (`data`), the models (`models`), full
and mini-batch training (`training`, `training_kernel`), the learning-rate range test
(`lr_finder`) and the line fit's own 2D valley (`model_surface`).
"""
