"""Train a classifier: logistic regression on hashed tf-idf n-grams, temperature fitted on out-of-fold scores."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from vigil.models.classifier import Classifier, WordHead, fit_temperature
from vigil.models.evaluate import metrics
from vigil.models.features import FeatureParams, Featurizer
from vigil.models.wordvec import WordVectors, build


class TrainError(Exception):
    """The data cannot make a model (too few texts or labels)."""


def _tfidf_features() -> FeatureParams:
    return FeatureParams(weighting="tfidf", mentions="keep")


@dataclass
class TrainParams:
    """The learner's settings (stored in the model card)."""

    learner: str = "sgd"  # "sgd": stochastic gradient, alpha and epochs; "logistic": L-BFGS, C and max_iter
    C: float = 4.0
    alpha: float = 1e-5
    epochs: int = 15
    max_iter: int = 300
    class_weight: str | None = "balanced"  # None, "balanced" or "sqrt" (halfway: the square root of "balanced")
    folds: int = 3
    seed: int = 0
    # add tau × log(label prior) to the scores, tau chosen on the out-of-fold scores (choose_shift); off: on held-out
    # events it lifted information type a little and cost information source more (docs/models.md)
    prior_shift: bool = False
    # event-specific n-grams (docs/models.md "Reaching for 0.67"): a hashed column whose training documents come
    # for at least event_share from one event and that occurs in fewer than event_min events has its idf times
    # event_weight (0: dropped); off while event_share is 0 or the data names no events
    event_share: float = 0.0
    event_min: int = 0
    event_weight: float = 0.0
    # bagging by event: with bags ≥ 2 and as many events, the weights are the mean of `bags` fits, each leaving out
    # a different 1/bags of the training events (one linear model still: the mean of the fits' scores)
    bags: int = 0
    # word vectors learnt from the training texts (models/wordvec.py); a linear head over a text's mean vector takes
    # word_share of the fused log-probabilities; 0: n-grams alone (docs/models.md "Word vectors")
    word_share: float = 0.3
    word_dim: int = 300
    word_window: int = 10
    word_min: int = 3
    word_C: float = 1.0
    features: FeatureParams = field(default_factory=_tfidf_features)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        learner: dict[str, Any] = (
            {"learner": "linear, logistic loss, L-BFGS", "C": self.C, "max_iter": self.max_iter}
            if self.learner == "logistic"
            else {"learner": "linear, logistic loss, SGD", "alpha": self.alpha, "epochs": self.epochs}
        )
        shift = {"prior_shift": "tau × log(label prior) chosen on out-of-fold scores"} if self.prior_shift else {}
        event = (
            {"event_specific": {"share": self.event_share, "min_events": self.event_min, "weight": self.event_weight}}
            if self.event_share > 0
            else {}
        )
        bags = {"bags_by_event": self.bags} if self.bags >= 2 else {}
        words = (
            {
                "word_vectors": {
                    "share": self.word_share,
                    "dim": self.word_dim,
                    "window": self.word_window,
                    "min_count": self.word_min,
                    "C": self.word_C,
                }
            }
            if self.word_share > 0
            else {}
        )
        return {
            **learner,
            **shift,
            **event,
            **bags,
            **words,
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


def _class_weights(y: np.ndarray, how: str | None) -> dict[int, float] | None:
    """Per-class sample weights: none, inverse frequency ("balanced") or its square root ("sqrt")."""
    if how is None:
        return None
    counts = np.bincount(y)
    present = np.flatnonzero(counts)
    w = len(y) / (len(present) * counts[present])
    if how == "sqrt":
        w = np.sqrt(w)
    elif how != "balanced":
        raise TrainError(f"unknown class weighting {how!r}: use balanced, sqrt or none")
    return {int(c): float(v) for c, v in zip(present, w, strict=True)}


def _fit_linear(X: sp.csr_matrix, y: np.ndarray, p: TrainParams) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × outputs) and intercepts of a linear model with logistic loss."""
    from sklearn.linear_model import LogisticRegression, SGDClassifier

    weights = _class_weights(y, p.class_weight)
    model: Any
    if p.learner == "logistic":
        model = LogisticRegression(C=p.C, max_iter=p.max_iter, class_weight=weights)
    elif p.learner == "sgd":
        model = SGDClassifier(
            loss="log_loss", alpha=p.alpha, max_iter=p.epochs, tol=None, class_weight=weights, random_state=p.seed
        )
    else:
        raise TrainError(f"unknown learner {p.learner!r}: use logistic or sgd")
    return _fitted(model, X, y)


def _fitted(model: Any, X: Any, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fit a scikit-learn linear model; its weights (features × outputs) and intercepts as float32."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter bounds the time; the fit is still usable
        model.fit(X, y)
    return np.asarray(model.coef_, dtype=np.float32).T.copy(), np.asarray(model.intercept_, dtype=np.float32)


def featurize(texts: list[str], features: FeatureParams) -> sp.csr_matrix:
    """What fit_matrix trains on: n-gram counts under "tfidf" weighting (idf is fitted on them), else features."""
    return Featurizer(features).raw(texts)


def event_specific(X: sp.csr_matrix, groups: list[str], share: float, min_events: int, hashed: int) -> np.ndarray:
    """Which hashed columns are one event's: at least `share` of their documents in one event, in < min_events."""
    codes = np.unique(np.asarray(groups), return_inverse=True)[1]
    n = X.shape[0]
    docs = sp.csr_matrix((np.ones(X.nnz, dtype=np.float32), X.indices, X.indptr), shape=X.shape)[:, :hashed]
    per_event = sp.csr_matrix((np.ones(n, dtype=np.float32), (codes, np.arange(n))), shape=(codes.max() + 1, n))
    df = (per_event @ docs).tocsc()  # events × columns: how many documents of each event have the column
    total = np.asarray(df.sum(axis=0)).ravel()
    top = df.max(axis=0).toarray().ravel()
    present = df.getnnz(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        concentrated = np.where(total > 0, top / np.maximum(total, 1), 0.0) >= share
    return np.asarray(concentrated & (present < min_events) & (total > 0))


def fit_matrix(
    X: sp.csr_matrix,
    labels: list[str],
    params: TrainParams | None = None,
    groups: list[str] | None = None,
    texts: list[str] | None = None,
    vectors: WordVectors | None = None,
) -> Classifier:
    """A classifier (uncalibrated) from rows of featurize; for callers that featurise once, like the bench.

    With word_share > 0 and the rows' texts, a word head is fitted too, over `vectors` (else built from the texts).
    """
    p = params or TrainParams()
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    idf = None
    if p.features.weighting == "tfidf":
        fz = Featurizer(p.features)
        fz.fit_idf(X)
        if p.event_share > 0 and groups is not None and len(set(groups)) > 1 and fz.idf is not None:
            mask = event_specific(X, groups, p.event_share, p.event_min, 1 << p.features.bits)
            fz.idf = np.where(mask, fz.idf * p.event_weight, fz.idf).astype(np.float32)
        idf, X = fz.idf, fz.weigh(X)
    y = np.array([index[v] for v in labels])
    if p.bags >= 2 and groups is not None and len(set(groups)) >= p.bags:
        w, b = _fit_bagged(X, y, groups, p)
    else:
        w, b = _fit_linear(X, y, p)
    words = _fit_words(texts, y, p, vectors) if p.word_share > 0 and texts is not None else None
    return Classifier(p.features, classes, w, b, idf=idf, words=words)


def word_vectors(texts: list[str], p: TrainParams) -> WordVectors | None:
    """The word vectors a model with these parameters learns from its training texts (None: too few words)."""
    return build(texts, p.word_dim, p.word_window, p.word_min, p.seed)


def _fit_words(texts: list[str], y: np.ndarray, p: TrainParams, vectors: WordVectors | None) -> WordHead | None:
    """A logistic layer over the texts' mean word vectors, with the n-grams' class weights."""
    from sklearn.linear_model import LogisticRegression

    if vectors is None:
        vectors = word_vectors(texts, p)
        if vectors is None:
            return None
    model = LogisticRegression(C=p.word_C, max_iter=500, class_weight=_class_weights(y, p.class_weight))
    weights, intercept = _fitted(model, vectors.embed(texts), y)
    return WordHead(vectors, weights, intercept, p.word_share)


def _fit_bagged(X: sp.csr_matrix, y: np.ndarray, groups: list[str], p: TrainParams) -> tuple[np.ndarray, np.ndarray]:
    """The mean weights of fits each leaving out a different share of the events (a fit lacking a label skipped)."""
    from sklearn.model_selection import GroupKFold

    n_classes = len(np.unique(y))
    fits = [
        _fit_linear(X[tr], y[tr], p)
        for tr, _ in GroupKFold(n_splits=p.bags).split(np.zeros(len(y)), y, groups)
        if len(np.unique(y[tr])) == n_classes
    ]
    if not fits:
        return _fit_linear(X, y, p)
    weights = np.stack([f[0] for f in fits]).mean(axis=0).astype(np.float32)
    return weights, np.stack([f[1] for f in fits]).mean(axis=0).astype(np.float32)


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
    """Fit on all texts; shift, calibrate and measure with k-fold out-of-fold predictions."""
    p = params or TrainParams()
    if len(texts) != len(labels):
        raise TrainError("texts and labels differ in length")
    return train_matrix(featurize(texts, p.features), labels, p, groups, texts)


def train_matrix(
    X: sp.csr_matrix,
    labels: list[str],
    params: TrainParams | None = None,
    groups: list[str] | None = None,
    texts: list[str] | None = None,
) -> TrainResult:
    """What train makes, from rows of featurize (the bench featurises once and trains on many subsets).

    The word head needs the rows' texts: without them (or with word_share 0) the model is n-grams alone. The word
    vectors are learnt once from all the texts (no labels read) and shared by the calibration folds.
    """
    p = params or TrainParams()
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise TrainError(f"need at least two labels, found {len(classes)}: {classes}")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[v] for v in labels])
    if not 0 <= p.word_share < 1:
        raise TrainError(f"word_share {p.word_share}: use a number from 0 up to (not including) 1")
    vectors = word_vectors(texts, p) if p.word_share > 0 and texts is not None else None
    clf = fit_matrix(X, labels, p, groups, texts, vectors)
    splits, how = _folds(y, groups, p.folds, p.seed) if p.folds >= 2 else ([], "none")
    cv = None
    if splits:
        oof = np.zeros((len(y), len(classes)))
        for tr, te in splits:
            fold_groups = [groups[i] for i in tr] if groups is not None else None
            fold_texts = [texts[i] for i in tr] if texts is not None else None
            fold = fit_matrix(X[tr], [labels[i] for i in tr], p, fold_groups, fold_texts, vectors)
            test_texts = [texts[i] for i in te] if texts is not None else None
            oof[te] = _aligned(fold, classes, fold.decision_raw(X[te], test_texts))
        tau = 0.0
        if p.prior_shift:
            log_prior = np.log(np.bincount(y, minlength=len(classes)) / len(y))
            tau = choose_shift(oof, y, log_prior)
            shift = tau * log_prior
            oof = oof + shift
            if clf.words is not None:  # the n-grams' scores weigh 1 - share in the fused ones
                shift = shift / (1.0 - clf.words.share)
            clf.intercept = (clf.intercept + (shift[1:] - shift[0] if len(clf.intercept) == 1 else shift)).astype(
                np.float32
            )
        clf.temperature = fit_temperature(oof, y)
        proba = clf.proba_from_decision(oof)
        pred = [classes[i] for i in proba.argmax(axis=1)]
        cv = metrics(labels, pred, proba.max(axis=1), classes)
        cv["folds"] = len(splits)
        cv["split"] = how
        if p.prior_shift:
            cv["prior_shift"] = round(tau, 4)
    return TrainResult(clf, cv)


SHIFT_GRID = np.round(np.arange(-1.0, 0.5001, 0.05), 2)  # tau < 0 leans further toward rare labels, > 0 back


def shift_score(y: np.ndarray, pred: np.ndarray) -> float:
    """The mean of macro and weighted F1 over the labels present in y (as bench/eval_models.py counts them)."""
    from sklearn.metrics import f1_score

    present = np.unique(y)
    macro = f1_score(y, pred, labels=present, average="macro", zero_division=0)
    weighted = f1_score(y, pred, labels=present, average="weighted", zero_division=0)
    return float(macro + weighted) / 2


def choose_shift(oof: np.ndarray, y: np.ndarray, log_prior: np.ndarray) -> float:
    """The tau whose tau × log(prior) added to out-of-fold scores gives the best mean of macro and weighted F1.

    Balanced class weights lift rare labels for macro F1; how far is best on unseen events differs by dataset, so
    the training data's own out-of-fold scores (by event when it names events) settle it. Ties go to the tau
    nearest 0.
    """
    best, best_tau = -1.0, 0.0
    for tau in sorted(SHIFT_GRID.tolist(), key=abs):
        score = shift_score(y, (oof + tau * log_prior).argmax(axis=1))
        if score > best + 1e-9:
            best, best_tau = score, float(tau)
    return best_tau


def _aligned(fold: Classifier, classes: list[str], d: np.ndarray) -> np.ndarray:
    """A fold's scores in the columns of all classes (a class the fold never saw scores far below the rest)."""
    if fold.classes == classes:
        return d
    out = np.full((len(d), len(classes)), d.min() - 10.0 if d.size else 0.0)
    for j, c in enumerate(fold.classes):
        out[:, classes.index(c)] = d[:, j]
    return out
