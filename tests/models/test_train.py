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
