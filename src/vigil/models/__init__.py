"""Trainable classifiers: datasets, features, training, safe storage, evaluation, apply, labelling queue."""
