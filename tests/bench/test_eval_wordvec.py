"""The word-vector bench: its fused share of the training texts' vectors is what `vigil model train` makes."""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np
from bench_script import load

ew = load("eval_wordvec")


def test_the_fused_default_share_is_the_trained_model(type_slice):
    from vigil.models.train import TrainParams, featurize, train_matrix

    texts, labels, ev, names = type_slice
    p = replace(TrainParams(), word_dim=64, folds=0)
    X = featurize(texts, p.features)
    args = argparse.Namespace(vectors_from="train", join="fuse", shares=[p.word_share])
    _, out = ew.fold(names[0], texts, labels, ev, X, [], args, p)
    te, tr = np.flatnonzero(ev == names[0]), np.flatnonzero(ev != names[0])
    clf = train_matrix(X[tr], labels[tr].tolist(), p, ev[tr].tolist(), [texts[i] for i in tr]).classifier
    assert clf.words is not None
    expected = np.array(clf.classes)[clf.decision_raw(X[te], [texts[i] for i in te]).argmax(axis=1)]
    assert (out[f"fused {p.word_share}"] == expected).all()
    assert not (out["n-grams"] == expected).all()  # the word layer changes some labels


def test_vectors_from_shared_leave_the_held_out_event_out():
    corpus = [("a", "flood water rising in the north district"), ("b", "storm winds in the south district")] * 200
    p = replace(ew.TrainParams(), word_dim=4, word_min=2)
    shared = ew.vectors_for("a", [], np.array([], dtype=int), corpus, "shared", p)
    everything = ew.vectors_for("a", [], np.array([], dtype=int), corpus, "all", p)
    assert shared is not None and everything is not None
    assert "flood" not in shared.words and "flood" in everything.words
