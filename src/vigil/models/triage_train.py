"""Train the built-in triage model: a class-weighted logistic head per label on hashed features, out of event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from vigil.models.corpus import Corpus, target_matrix
from vigil.models.features import FeatureParams, Featurizer
from vigil.models.mapping import HEADS
from vigil.models.triage_model import LANG_GROUPS, TriageModel, lang_group

# Chosen by leave-one-event-out (docs/models.md): char 4-grams carry as much as 2-5 at a third of the cost.
FEATURES = FeatureParams(word_ngrams=(1, 2), char_ngrams=(4, 4), bits=20)
MIN_POSITIVES = 30  # a language group with fewer positives of a head takes the English threshold
# `informative` takes the lowest threshold that keeps this precision: the target (0.80) and a margin, since a choice
# made on 36 events kept 0.797 on the 37th (docs/models.md)
INFORMATIVE_PRECISION = 0.81
PRECISION_FLOOR = 0.65  # any other head: the best F1 among thresholds right at least this often out of event


@dataclass
class HeadParams:
    """The learner's settings for every head."""

    alpha: float = 1e-5
    epochs: int = 10
    class_weight: str | None = "balanced"
    seed: int = 0
    # Heads weighted otherwise (docs/models.md "Cues written for the weak labels"): HumAID's requests are a noisy
    # class (appeals, donation drives, needs), and balancing its 6 % of positives fits the noise; unweighted, the
    # shortages head scores F1 0.651 against 0.626 out of event (as applied 0.661 against 0.642).
    head_class_weight: dict[str, str | None] = field(default_factory=lambda: {"shortages": None})

    def class_weight_of(self, head: str) -> str | None:
        """The class weighting of one head."""
        return self.head_class_weight.get(head, self.class_weight)


def languages(c: Corpus) -> list[str]:
    """Each post's language group: the dataset's when it has one, else detected."""
    from vigil.triage.language import detect

    return [lang_group(lang or detect(t)) for t, lang in zip(c.texts, c.langs, strict=True)]


def features(texts: list[str], params: FeatureParams = FEATURES) -> sp.csr_matrix:
    """The feature matrix, as training wants it (repeated columns summed)."""
    return Featurizer(params).transform(texts, canonical=True)


def fit_heads(X: sp.csr_matrix, Y: np.ndarray, M: np.ndarray, p: HeadParams) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × heads) and intercepts: each head fitted on the posts whose data speaks for it."""
    from sklearn.linear_model import SGDClassifier

    W = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    b = np.zeros(Y.shape[1], dtype=np.float32)
    for j in range(Y.shape[1]):
        rows = np.flatnonzero(M[:, j])
        y = Y[rows, j]
        if len(np.unique(y)) < 2:
            b[j] = 10.0 if len(y) and y[0] else -10.0
            continue
        m = SGDClassifier(
            loss="log_loss",
            alpha=p.alpha,
            max_iter=p.epochs,
            tol=None,
            class_weight=p.class_weight_of(HEADS[j]) if Y.shape[1] == len(HEADS) else p.class_weight,
            random_state=p.seed,
        )
        m.fit(X[rows], y)
        W[:, j] = m.coef_[0]
        b[j] = m.intercept_[0]
    return W, b


def _fold(X: sp.csr_matrix, Y: np.ndarray, M: np.ndarray, test: np.ndarray, p: HeadParams) -> np.ndarray:
    W, b = fit_heads(X[~test], Y[~test], M[~test], p)
    return np.asarray(X[test] @ W) + b


def out_of_event(
    X: sp.csr_matrix, Y: np.ndarray, M: np.ndarray, events: list[str], p: HeadParams, jobs: int = 1
) -> np.ndarray:
    """Each post's raw head scores from a model trained without its event."""
    from joblib import Parallel, delayed

    ev = np.array(events)
    names = sorted(set(events))
    parts = Parallel(n_jobs=jobs)(delayed(_fold)(X, Y, M, ev == name, p) for name in names)
    Z = np.zeros(Y.shape, dtype=np.float32)
    for name, part in zip(names, parts, strict=True):
        Z[ev == name] = part
    return Z


def fit_calibration(Z: np.ndarray, Y: np.ndarray, M: np.ndarray) -> np.ndarray:
    """Platt scaling per head on out-of-event scores: p = sigmoid(a * z + b)."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((2, Y.shape[1]), dtype=np.float32)
    out[0] = 1.0
    for j in range(Y.shape[1]):
        m = M[:, j]
        if len(np.unique(Y[m, j])) < 2:
            continue
        lr = LogisticRegression(C=1e4).fit(Z[m, j : j + 1], Y[m, j])
        out[0, j], out[1, j] = lr.coef_[0, 0], lr.intercept_[0]
    return out


def calibrate(Z: np.ndarray, calib: np.ndarray) -> np.ndarray:
    """Calibrated probabilities from raw scores."""
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(Z * calib[0] + calib[1], -30, 30))))


def best_threshold(p: np.ndarray, y: np.ndarray, floor: float = 0.0) -> float:
    """The probability threshold with the best F1 among those with precision >= floor (none: the best F1)."""
    order = np.argsort(-p)
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    last = np.r_[ps[1:] != ps[:-1], True]  # only cut between distinct scores
    if np.any(last & (tp / k >= floor)):
        last &= tp / k >= floor
    f1 = np.where(last, f1, -1)
    i = int(np.argmax(f1))
    nxt = ps[i + 1] if i + 1 < len(ps) else 0.0
    return float(round(float(ps[i] + nxt) / 2, 4))


def recall_threshold(p: np.ndarray, y: np.ndarray, precision: float) -> float | None:
    """The lowest threshold whose precision is still at least `precision` (None when none is)."""
    order = np.argsort(-p)
    ps, ys = p[order], y[order]
    prec = np.cumsum(ys) / np.arange(1, len(ys) + 1)
    last = np.r_[ps[1:] != ps[:-1], True]
    ok = np.flatnonzero((prec >= precision) & last)
    return float(round(float(ps[ok[-1]]), 4)) if len(ok) else None


def thresholds(P: np.ndarray, Y: np.ndarray, M: np.ndarray, groups: list[str]) -> dict[str, dict[str, float]]:
    """Per language group and head, the best out-of-event F1 at precision >= PRECISION_FLOOR (thin data: English's).

    `informative` instead keeps precision >= INFORMATIVE_PRECISION with the most recall it allows.
    """
    g = np.array(groups)
    out: dict[str, dict[str, float]] = {}
    for lang in ("en", *[x for x in LANG_GROUPS if x != "en"]):
        out[lang] = {}
        for j, h in enumerate(HEADS):
            m = M[:, j] & (g == lang)
            if Y[m, j].sum() >= MIN_POSITIVES and (Y[m, j] == 0).sum() >= MIN_POSITIVES:
                best = best_threshold(P[m, j], Y[m, j], PRECISION_FLOOR)
                if h == "informative":
                    best = recall_threshold(P[m, j], Y[m, j], INFORMATIVE_PRECISION) or best
                out[lang][h] = best
            elif lang != "en":
                out[lang][h] = out["en"][h]
            else:
                out[lang][h] = 0.5
    return out


def choose_thresholds(c: Corpus, P: np.ndarray, Y: np.ndarray, M: np.ndarray, groups: list[str]) -> dict[str, Any]:
    """Thresholds from out-of-event probabilities (informative only where the data has negatives)."""
    only_with_negatives = M.copy()  # HumAID and Kawarith are all informative: no threshold can be chosen on them
    only_with_negatives[np.array(c.datasets) != "crisislex", HEADS.index("informative")] = False
    return thresholds(P, Y, only_with_negatives, groups)


def build(
    c: Corpus, p: HeadParams | None = None, jobs: int = 1, Z: np.ndarray | None = None
) -> tuple[TriageModel, dict[str, Any]]:
    """The model fitted on every post, calibrated and thresholded out of event; and what that measured.

    Z: out-of-event raw scores computed before with the same data and settings (saves the 37 folds).
    """
    p = p or HeadParams()
    ys, ms = target_matrix(c)
    Y, M = np.array(ys, dtype=np.int8), np.array(ms, dtype=bool)
    X = features(c.texts)
    groups = languages(c)
    if Z is None or Z.shape != Y.shape:
        Z = out_of_event(X, Y, M, c.events, p, jobs)
    calib = fit_calibration(Z, Y, M)
    P = calibrate(Z, calib)
    th = choose_thresholds(c, P, Y, M, groups)
    W, b = fit_heads(X, Y, M, p)
    model = TriageModel(FEATURES, HEADS, W, b, calib, th, {})
    return model, {"oof": P, "raw": Z, "groups": groups, "Y": Y, "M": M}
