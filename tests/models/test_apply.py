from pathlib import Path

import numpy as np

from vigil.models.apply import results_for
from vigil.models.dataset import load
from vigil.models.train import TrainParams, train

DATA = Path(__file__).parent.parent / "data" / "models"


def test_models_with_equal_features_keep_their_own_idf():
    ds = load([DATA / "sources.csv"], "Tweet Text", "Information Source", ["Not labeled"])
    half = len(ds) // 2
    a = train(ds.texts[:half], ds.labels[:half], TrainParams(folds=0)).classifier
    b = train(ds.texts[half:], ds.labels[half:], TrainParams(folds=0)).classifier
    assert a.params == b.params and a.idf is not None and b.idf is not None and not np.array_equal(a.idf, b.idf)
    texts = ["I can hear sirens outside my house", "", "praying for Harbourtown", "roads closed near the river"]
    got = results_for({"a": a, "b": b}, texts)
    assert got[1] == {}
    for name, clf in (("a", a), ("b", b)):
        labels, scores = clf.predict([texts[0], texts[2], texts[3]])
        assert [got[i][name]["label"] for i in (0, 2, 3)] == labels
        assert np.allclose([got[i][name]["score"] for i in (0, 2, 3)], scores, atol=1e-4)
