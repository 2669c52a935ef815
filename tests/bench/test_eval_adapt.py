"""The adaptation bench: pseudo-labels are the surest of each label, EM finds a known prior, masks hit names."""

from __future__ import annotations

import numpy as np
from bench_script import load

ea = load("eval_adapt")


def test_pseudo_rows_are_the_surest_share_of_each_predicted_label():
    proba = np.array([[0.9, 0.1], [0.6, 0.4], [0.8, 0.2], [0.3, 0.7], [0.45, 0.55], [0.7, 0.3]])
    labels = np.array(["a", "a", "a", "b", "b", "a"])
    assert ea.pseudo_rows(proba, labels, 0.5).tolist() == [0, 2, 3]  # 2 of 4 "a" (0.9, 0.8), 1 of 2 "b" (0.7)
    assert ea.pseudo_rows(proba, labels, 0.01).tolist() == [0, 3]  # at least one of each label


def test_em_recovers_a_known_label_prior_of_unlabelled_rows():
    rng = np.random.default_rng(0)
    means = np.eye(3) * 1.5
    truth = np.array([0.7, 0.2, 0.1])
    y = rng.choice(3, size=20000, p=truth)
    x = means[y] + rng.normal(size=(len(y), 3))
    loglik = -0.5 * ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)
    proba = np.exp(loglik - loglik.max(axis=1, keepdims=True))
    proba /= proba.sum(axis=1, keepdims=True)  # exact posteriors under a uniform prior
    start = np.full(3, 1 / 3)
    assert np.abs(proba.mean(axis=0) - truth).max() > 0.1  # the plain mean of the scores is far off
    assert np.abs(ea.em_prior(proba, start) - truth).max() < 0.02


def test_masks_fold_names_and_hashtags_and_keep_the_first_word():
    text = "Flooding in Boulder County, Colorado closes the road #cofloods"
    assert ea.masked([text], "cap") == ["Flooding in Capword Capword, Capword closes the road #cofloods"]
    assert ea.masked([text], "tags") == ["Flooding in Boulder County, Colorado closes the road hashtagtoken"]
    assert ea.masked([text], "") == [text]
