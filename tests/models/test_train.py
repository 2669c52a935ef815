from pathlib import Path

import numpy as np

from vigil.models.classifier import fit_temperature, softmax
from vigil.models.dataset import load
from vigil.models.evaluate import expected_calibration_error, metrics
from vigil.models.train import TrainParams, train

DATA = Path(__file__).parent.parent / "data" / "models"


def test_grouped_folds_fall_back_to_stratified_when_a_fold_lacks_a_label():
    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"], "Event")
    texts, labels, groups = list(ds.texts), list(ds.labels), list(ds.groups)
    texts += ["only in one event: a business offer"] * 3
    labels += ["Business"] * 3
    groups += ["ridgeway-fire"] * 3
    res = train(texts, labels, TrainParams(), groups)
    assert res.cross_validation is not None and res.cross_validation["split"] == "stratified"
    res = train(ds.texts, ds.labels, TrainParams(), ds.groups)
    assert res.cross_validation is not None and res.cross_validation["split"] == "by group"
    assert res.classifier.temperature > 0


def test_temperature_recovers_a_known_scale():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 3
    y = np.array([rng.choice(3, p=p) for p in softmax(logits)])
    assert abs(fit_temperature(logits * 4, y) - 4) < 0.4


def test_metrics_on_a_known_example():
    fig = metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], np.array([0.9, 0.6, 0.8, 0.7]))
    assert fig["per_class"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert fig["per_class"]["b"]["f1"] == 0.8
    assert fig["macro_f1"] == round((2 / 3 + 0.8) / 2, 4)
    assert fig["confusion"] == {"labels": ["a", "b"], "matrix": [[1, 1], [0, 2]]}
    assert abs(expected_calibration_error(np.array([1.0, 0.0]), np.array([0.9, 0.6])) - (0.1 + 0.6) / 2) < 1e-9


def test_choose_shift_undoes_a_known_lean_and_leaves_clear_scores_alone():
    from vigil.models.train import choose_shift, shift_score

    rng = np.random.default_rng(2)
    y = rng.choice(3, size=3000, p=[0.7, 0.2, 0.1])
    log_prior = np.log(np.bincount(y) / len(y))
    assert choose_shift(np.eye(3)[y] * 5.0 + rng.normal(size=(len(y), 3)) * 0.1, y, log_prior) == 0.0
    scores = np.eye(3)[y] * 2.0 + rng.normal(size=(len(y), 3))  # likelihoods alone: the prior helps, tau > 0
    tau = choose_shift(scores, y, log_prior)
    assert tau > 0
    leaning = scores + 0.6 * log_prior  # the same scores already leaning to the frequent label: tau leans back
    assert abs(choose_shift(leaning, y, log_prior) - (tau - 0.6)) <= 0.1
    best = choose_shift(leaning, y, log_prior)
    assert shift_score(y, (leaning + best * log_prior).argmax(axis=1)) > shift_score(y, leaning.argmax(axis=1))


def test_the_chosen_shift_is_folded_into_the_intercept():
    from dataclasses import replace

    from vigil.models.train import featurize, train_matrix

    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"], "Event")
    p = TrainParams(prior_shift=True)
    X = featurize(ds.texts, p.features)
    shifted = train_matrix(X, ds.labels, p, ds.groups)
    plain = train_matrix(X, ds.labels, replace(p, prior_shift=False), ds.groups)
    assert shifted.cross_validation is not None and plain.cross_validation is not None
    tau = shifted.cross_validation["prior_shift"]
    assert "prior_shift" not in plain.cross_validation
    counts = np.array([ds.labels.count(c) for c in shifted.classifier.classes])
    np.testing.assert_array_equal(shifted.classifier.weights, plain.classifier.weights)
    expected = plain.classifier.intercept + tau * np.log(counts / counts.sum())
    np.testing.assert_allclose(shifted.classifier.intercept, expected, atol=1e-5)


def test_two_labels_shift_the_one_margin():
    from vigil.models.train import featurize, train_matrix

    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"], "Event")
    labels = ["Eyewitness" if v == "Eyewitness" else "Other" for v in ds.labels]
    p = TrainParams(prior_shift=True)
    res = train_matrix(featurize(ds.texts, p.features), labels, p, ds.groups)
    assert res.classifier.intercept.shape == (1,) and res.cross_validation is not None
    proba = res.classifier.predict_proba(["I just felt the ground shake here", "officials say the road is closed"])
    assert proba.shape == (2, 2) and np.allclose(proba.sum(axis=1), 1.0)
