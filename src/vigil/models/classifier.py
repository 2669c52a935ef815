"""A trained classifier in memory: hashed features, a linear layer, an optional word-vector head, a temperature."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from vigil.models.features import FeatureParams, Featurizer
from vigil.models.wordvec import WordVectors


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def log_softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise log softmax, numerically stable."""
    z = z - z.max(axis=1, keepdims=True)
    return np.asarray(z - np.log(np.exp(z).sum(axis=1, keepdims=True)))


@dataclass
class WordHead:
    """A linear layer over a text's mean word vector; its log-probabilities weigh `share` in the fused score."""

    vectors: WordVectors
    weights: np.ndarray  # (dim, n_outputs) float32
    intercept: np.ndarray  # (n_outputs,) float32
    share: float

    def decision(self, texts: list[str]) -> np.ndarray:
        """Raw scores of the head, one column per class (two classes: 0 for the first, the margin)."""
        d = self.vectors.embed(texts) @ self.weights + self.intercept
        return np.hstack([np.zeros_like(d), d]) if d.shape[1] == 1 else d


@dataclass
class Classifier:
    """Labels and calibrated scores for texts; weights kept as a dense (features × classes) matrix."""

    params: FeatureParams
    classes: list[str]
    weights: np.ndarray  # (n_features, n_outputs) float32; n_outputs is 1 for two classes
    intercept: np.ndarray  # (n_outputs,) float32
    temperature: float = 1.0
    idf: np.ndarray | None = None  # "tfidf" feature weighting: the idf fitted on the training texts
    words: WordHead | None = None  # trained with word vectors: scores fused with the n-grams' (docs/models.md)

    def __post_init__(self) -> None:
        self.featurizer = Featurizer(self.params, self.idf)

    def decision_raw(self, raw: sp.csr_matrix, texts: list[str] | None = None) -> np.ndarray:
        """Scores from Featurizer.raw rows (counts under "tfidf", weighed here) and, with a word head, the texts."""
        return self.fused(self.decision(self.featurizer.weigh(raw) if self.params.weighting == "tfidf" else raw), texts)

    def fused(self, d: np.ndarray, texts: list[str] | None) -> np.ndarray:
        """The n-grams' scores d as they are, or with a word head its share of both log-probabilities."""
        if self.words is None:
            return d
        if texts is None or len(texts) != len(d):
            raise ValueError("a model with word vectors scores texts: give the texts with their feature rows")
        w = self.words.share
        return (1.0 - w) * log_softmax(d) + w * log_softmax(self.words.decision(texts))

    def decision(self, X: sp.csr_matrix) -> np.ndarray:
        """Raw linear scores, one column per class (two classes: 0 for the first, the margin for the second)."""
        d = np.asarray(X @ self.weights) + self.intercept
        if len(self.classes) == 2 and d.shape[1] == 1:
            d = np.hstack([np.zeros_like(d), d])
        return d

    def proba_from_decision(self, d: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from raw scores."""
        return softmax(d / self.temperature)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probability of each class for each text."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        return self.proba_from_decision(self.fused(self.decision(self.featurizer.transform(texts)), texts))

    def predict(self, texts: list[str]) -> tuple[list[str], np.ndarray]:
        """The most likely label of each text and its calibrated probability."""
        proba = self.predict_proba(texts)
        if not len(proba):
            return [], np.zeros(0)
        best = proba.argmax(axis=1)
        return [self.classes[i] for i in best], proba[np.arange(len(best)), best]


def fit_temperature(d: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that minimises log loss of out-of-fold scores d for true class indices y."""
    if not len(y):
        return 1.0
    grid = np.exp(np.linspace(np.log(0.02), np.log(50.0), 80))
    rows = np.arange(len(y))

    def nll(t: float) -> float:
        z = d / t
        z = z - z.max(axis=1, keepdims=True)
        return float(-(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean())

    losses = [nll(t) for t in grid]
    i = int(np.argmin(losses))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
    for _ in range(30):  # golden-section refinement between the grid neighbours
        a, b = lo + 0.382 * (hi - lo), lo + 0.618 * (hi - lo)
        if nll(a) < nll(b):
            hi = b
        else:
            lo = a
    return float((lo + hi) / 2)
