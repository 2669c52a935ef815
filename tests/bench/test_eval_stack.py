"""The built-in scores bench: without extra columns it is `vigil model train`'s fold; its variants are well formed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from bench_script import load

es = load("eval_stack")


def test_without_builtin_columns_the_fold_is_what_vigil_model_train_makes(type_slice):
    from vigil.models.train import TrainParams, featurize, train_matrix

    texts, y, ev, names = type_slice
    params = replace(TrainParams(), folds=0, word_share=0.0)  # the stack bench measures the n-grams' model
    X = featurize(texts, params.features)
    te, tr = np.flatnonzero(ev == names[0]), np.flatnonzero(ev != names[0])
    ours = es.fit_predict(X, y[tr], tr, te, None, None, params)
    clf = train_matrix(X[tr], y[tr].tolist(), params).classifier
    expected = np.array(clf.classes)[clf.decision_raw(X[te]).argmax(axis=1)]
    assert (ours == expected).all()


def test_score_columns_are_calibrated_logits_clipped_and_scaled():
    calib = np.array([[2.0, 1.0], [0.5, -1.0]], dtype=np.float32)
    Z = np.array([[0.0, 0.0], [10.0, -10.0], [-1.0, 3.0]], dtype=np.float32)
    cols = es.score_columns(Z, calib, 0.5)
    assert np.allclose(cols[0], [0.5 / 4 * 0.5, -1.0 / 4 * 0.5])
    assert np.allclose(cols[1], [1.0, -1.0])  # clipped at ±8, then / 4 × 0.5
    assert np.allclose(cols[2], [(-2.0 + 0.5) / 8, (3.0 - 1.0) / 8])


def test_fusion_gives_every_variant_for_every_held_out_post(type_slice, tmp_path, monkeypatch):
    from vigil.models.train import TrainParams, featurize
    from vigil.models.triage_model import load

    monkeypatch.setattr(es, "CACHE", tmp_path)
    texts, y, ev, names = type_slice
    model = load()
    raw = model.decisions(texts)
    S = np.stack([raw + k for k in range(len(names))])  # one "model" per held-out event, each scoring differently
    params = replace(TrainParams(), folds=0)
    X = featurize(texts, params.features)
    out = es.fusion(X, y, ev, 1, names[1], S, model.calibration, params, [0.5], None, balanced=False)
    te = ev == names[1]
    assert set(out) == {
        "plain",
        "fusion-none unweighted",
        "fusion-upper unweighted",
        "fusion-honest unweighted, shrink 0.5",
    }
    for pred in out.values():
        assert len(pred) == te.sum() and set(pred.tolist()) <= set(y[~te].tolist())
    assert list(tmp_path.glob("stack-ours-*.npz"))  # our scores are cached for the next variant
    again = es.fusion(X, y, ev, 1, names[1], S, model.calibration, params, [0.5], None, balanced=False)
    assert all((again[k] == out[k]).all() for k in out)
