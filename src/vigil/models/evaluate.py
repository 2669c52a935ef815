"""Evaluation figures: per-class precision/recall/F1, macro and weighted F1, confusion matrix, calibration, groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _round(x: float) -> float:
    return round(float(x), 4)


def expected_calibration_error(correct: np.ndarray, scores: np.ndarray, bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over equal-width score bins, weighted by bin size."""
    if not len(scores):
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(scores, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            total += m.sum() * abs(correct[m].mean() - scores[m].mean())
    return float(total / len(scores))


def metrics(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    scores: np.ndarray | None = None,
    classes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Every figure for one set of predictions (labels absent from the model count as misses)."""
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    labels = sorted(set(classes or []) | set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    present = [lab for lab in labels if lab in set(y_true)]
    out: dict[str, Any] = {
        "n": len(y_true),
        "accuracy": _round(np.mean(np.array(y_true) == np.array(y_pred))) if len(y_true) else 0.0,
        "macro_f1": _round(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "weighted_f1": _round(f1_score(y_true, y_pred, labels=present, average="weighted", zero_division=0)),
        "per_class": {
            lab: {"precision": _round(p[i]), "recall": _round(r[i]), "f1": _round(f[i]), "support": int(s[i])}
            for i, lab in enumerate(labels)
        },
        "confusion": {"labels": labels, "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
    }
    if scores is not None and len(scores):
        correct = (np.array(y_true) == np.array(y_pred)).astype(float)
        out["calibration_error"] = _round(expected_calibration_error(correct, np.asarray(scores, dtype=float)))
    return out


def by_group(
    y_true: Sequence[str], y_pred: Sequence[str], groups: Sequence[str], classes: Sequence[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Headline figures per group (event, file): n, accuracy, macro and weighted F1, per-class F1."""
    out: dict[str, dict[str, Any]] = {}
    g = np.array(groups)
    t, pr = np.array(y_true), np.array(y_pred)
    for name in sorted(set(groups)):
        m = g == name
        full = metrics(t[m].tolist(), pr[m].tolist(), None, classes)
        out[name] = {
            "n": full["n"],
            "accuracy": full["accuracy"],
            "macro_f1": full["macro_f1"],
            "weighted_f1": full["weighted_f1"],
            "f1": {lab: v["f1"] for lab, v in full["per_class"].items() if v["support"]},
        }
    return out
