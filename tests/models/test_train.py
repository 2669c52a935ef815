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


def test_event_specific_marks_columns_of_one_event_and_keeps_shared_ones():
    from vigil.models.features import FeatureParams, Featurizer
    from vigil.models.train import event_specific

    params = FeatureParams(weighting="tfidf", char_ngrams=(3, 3), cues=[])
    texts = ["ridgeway smoke road closed", "ridgeway smoke", "northvale road closed", "harbour road closed"]
    groups = ["fire", "fire", "quake", "storm"]
    X = Featurizer(params).counts(texts)
    hashed = 1 << params.bits

    def column(word: str) -> int:
        row = Featurizer(params).counts([word])
        words = row.indices[row.indices >= hashed // 2]  # the word half of the hashed space
        assert len(words) == 1
        return int(words[0])

    mask = event_specific(X, groups, share=0.9, min_events=2, hashed=hashed)
    assert mask[column("ridgeway")] and mask[column("smoke")] and mask[column("harbour")]
    assert not mask[column("road")] and not mask[column("closed")]
    # no column can have more than all its documents in one event, and none is in fewer than one event
    assert not event_specific(X, groups, share=1.01, min_events=2, hashed=hashed)[column("ridgeway")]
    assert not event_specific(X, groups, share=0.9, min_events=1, hashed=hashed).any()


def test_event_specific_columns_weigh_nothing_in_the_trained_model():
    from vigil.models.train import featurize, fit_matrix

    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"], "Event")
    p = TrainParams(event_share=0.9, event_min=2)
    X = featurize(ds.texts, p.features)
    plain = fit_matrix(X, ds.labels, TrainParams())
    dropped = fit_matrix(X, ds.labels, p, ds.groups)
    assert plain.idf is not None and dropped.idf is not None
    gone = (plain.idf > 0) & (dropped.idf == 0)
    assert 0 < gone.sum() < (plain.idf > 0).sum()
    assert not dropped.weights[: len(dropped.idf)][gone].any()  # a dropped column never enters the fit
    kept = fit_matrix(X, ds.labels, p)  # no events named: nothing to drop
    np.testing.assert_array_equal(kept.idf, plain.idf)
    half = fit_matrix(X, ds.labels, TrainParams(event_share=0.9, event_min=2, event_weight=0.5), ds.groups)
    assert half.idf is not None
    np.testing.assert_allclose(half.idf[gone], plain.idf[gone] * 0.5, rtol=1e-6)


def test_bagged_weights_are_the_mean_of_fits_leaving_events_out():
    from sklearn.model_selection import GroupKFold

    from vigil.models.train import _fit_linear, featurize, fit_matrix

    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"], "Event")
    labels = ["Eyewitness" if v == "Eyewitness" else "Other" for v in ds.labels]
    p = TrainParams(bags=2)
    X = featurize(ds.texts, p.features)
    bagged = fit_matrix(X, labels, p, ds.groups)
    single = fit_matrix(X, labels, TrainParams(), ds.groups)
    assert bagged.idf is not None
    Xw = bagged.featurizer.weigh(X)
    y = np.array([sorted(set(labels)).index(v) for v in labels])
    fits = [_fit_linear(Xw[tr], y[tr], p) for tr, _ in GroupKFold(n_splits=2).split(np.zeros(len(y)), y, ds.groups)]
    np.testing.assert_allclose(bagged.weights, (fits[0][0] + fits[1][0]) / 2, atol=1e-6)
    np.testing.assert_allclose(bagged.intercept, (fits[0][1] + fits[1][1]) / 2, atol=1e-6)
    assert not np.allclose(bagged.weights, single.weights)
    assert fit_matrix(X, labels, p).weights.shape == single.weights.shape  # no events named: one fit


def test_a_model_without_its_event_specific_columns_saves_and_loads_as_any_other(tmp_path):
    from vigil.models import storage

    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"], "Event")
    p = TrainParams(event_share=0.9, event_min=2)
    res = train(ds.texts, ds.labels, p, ds.groups)
    assert (
        res.classifier.idf is not None
        and (res.classifier.idf == 0).sum() > (train(ds.texts, ds.labels).classifier.idf == 0).sum()
    )
    storage.save(tmp_path, "events", res.classifier, {"params": p.to_json()})
    back = storage.load(tmp_path, "events")
    texts = ["smoke near the school in Ridgeway", "officials say the bridge is closed"]
    np.testing.assert_allclose(back.predict_proba(texts), res.classifier.predict_proba(texts), atol=1e-6)
    assert p.to_json()["event_specific"] == {"share": 0.9, "min_events": 2, "weight": 0.0}
