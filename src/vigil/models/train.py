"""Train a classifier: class-balanced linear model on hashed features, temperature fitted on out-of-fold scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from vigil.models.classifier import Classifier, fit_temperature
from vigil.models.evaluate import metrics
from vigil.models.features import FeatureParams, Featurizer


class TrainError(Exception):
    """The data cannot make a model (too few texts or labels)."""


@dataclass
class TrainParams:
    """The learner's settings (stored in the model card)."""

    alpha: float = 1e-4
    epochs: int = 5
    class_weight: str | None = "balanced"
    folds: int = 3
    seed: int = 0
    features: FeatureParams = field(default_factory=FeatureParams)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "learner": "linear, logistic loss, SGD",
            "alpha": self.alpha,
            "epochs": self.epochs,
            "class_weight": self.class_weight,
            "calibration": "softmax temperature on out-of-fold scores",
            "folds": self.folds,
            "seed": self.seed,
            "features": self.features.to_json(),
        }


@dataclass
class TrainResult:
    """The classifier and what cross-validation said about it."""

    classifier: Classifier
    cross_validation: dict[str, Any] | None


def _fit_linear(X: sp.csr_matrix, y: np.ndarray, p: TrainParams) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × outputs) and intercepts of a class-weighted linear model (logistic loss, SGD)."""
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(
        loss="log_loss", alpha=p.alpha, max_iter=p.epochs, tol=None, class_weight=p.class_weight, random_state=p.seed
    )
    model.fit(X, y)
    coef = np.asarray(model.coef_, dtype=np.float32)
    inter = np.asarray(model.intercept_, dtype=np.float32)
    return coef.T.copy(), inter


def fit_matrix(X: sp.csr_matrix, labels: list[str], params: TrainParams | None = None) -> Classifier:
    """A classifier (uncalibrated) from a ready feature matrix; for callers that featurise once, like the bench."""
    p = params or TrainParams()
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    w, b = _fit_linear(X, np.array([index[v] for v in labels]), p)
    return Classifier(p.features, classes, w, b)


def _folds(
    y: np.ndarray, groups: list[str] | None, k: int, seed: int
) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    """Out-of-fold splits: by group (a new crisis) when every fold still trains on every label, else stratified."""
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    n_classes = len(np.unique(y))
    if groups is not None and len(set(groups)) >= k:
        splits = list(GroupKFold(n_splits=k).split(np.zeros(len(y)), y, groups))
        if all(len(np.unique(y[tr])) == n_classes for tr, _ in splits):
            return splits, "by group"
    k = min(k, int(np.bincount(y).min()))
    if k < 2:
        return [], "none"
    return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)), "stratified"


def train(
    texts: list[str], labels: list[str], params: TrainParams | None = None, groups: list[str] | None = None
) -> TrainResult:
    """Fit on all texts; calibrate and measure with k-fold out-of-fold predictions."""
    p = params or TrainParams()
    if len(texts) != len(labels):
        raise TrainError("texts and labels differ in length")
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise TrainError(f"need at least two labels, found {len(classes)}: {classes}")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[v] for v in labels])
    X = Featurizer(p.features).transform(texts, canonical=True)
    weights, inter = _fit_linear(X, y, p)
    clf = Classifier(p.features, classes, weights, inter)
    splits, how = _folds(y, groups, p.folds, p.seed) if p.folds >= 2 else ([], "none")
    cv = None
    if splits:
        oof = np.zeros((len(y), len(classes)))
        for tr, te in splits:
            w, b = _fit_linear(X[tr], y[tr], p)
            oof[te] = Classifier(p.features, classes, w, b).decision(X[te])
        clf.temperature = fit_temperature(oof, y)
        proba = clf.proba_from_decision(oof)
        pred = [classes[i] for i in proba.argmax(axis=1)]
        cv = metrics(labels, pred, proba.max(axis=1), classes)
        cv["folds"] = len(splits)
        cv["split"] = how
    return TrainResult(clf, cv)
