"""Figures for the built-in triage: per dataset and label, precision, recall and F1 of predicted label sets."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from vigil.models.combine import OR, Policy, combine
from vigil.models.mapping import AFFECTED_GROUP, HEADS

# What each dataset can judge (its classes mapped through the table): HumAID in English, Kawarith in Arabic.
JUDGED: dict[str, tuple[str, ...]] = {
    "humaid": ("casualties", "missing", "evacuation", "infrastructure", "shortages", "advice", "aid"),
    "kawarith": ("affected", "advice", "infrastructure"),
    "crisislex": ("affected", "infrastructure", "advice", "aid", "sympathy", "informative", "eyewitness"),
}
DATASET_NAMES = {"humaid": "English (HumAID)", "kawarith": "Arabic (Kawarith)", "crisislex": "CrisisLexT26"}


class Prediction(NamedTuple):
    """What triage said of one post."""

    labels: frozenset[str]
    informative: bool
    eyewitness: bool


def said(pred: Prediction, head: str) -> bool:
    """Whether a prediction says a head (affected: any label of its group)."""
    if head == "affected":
        return bool(pred.labels & set(AFFECTED_GROUP))
    if head == "informative":
        return pred.informative
    if head == "eyewitness":
        return pred.eyewitness
    return head in pred.labels


def prf(t: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1 and support of boolean arrays."""
    tp = float((t & p).sum())
    pr = tp / p.sum() if p.sum() else 0.0
    rc = tp / t.sum() if t.sum() else 0.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return {"precision": round(pr, 3), "recall": round(rc, 3), "f1": round(f1, 3), "support": int(t.sum())}


def figures(datasets: list[str], Y: np.ndarray, M: np.ndarray, preds: list[Prediction]) -> dict[str, Any]:
    """Per dataset: each judged label's figures, their macro F1, and the share of informative posts given a label."""
    ds = np.array(datasets)
    out: dict[str, Any] = {}
    for name, heads in JUDGED.items():
        idx = np.flatnonzero(ds == name)
        if not len(idx):
            continue
        per: dict[str, dict[str, float]] = {}
        for h in heads:
            j = HEADS.index(h)
            rows = idx[M[idx, j]]
            if not len(rows):
                continue
            per[h] = prf(Y[rows, j].astype(bool), np.array([said(preds[i], h) for i in rows], dtype=bool))
        inf = idx[M[idx, HEADS.index("informative")] & (Y[idx, HEADS.index("informative")] == 1)]
        labelled = float(np.mean([bool(preds[i].labels) for i in inf])) if len(inf) else 0.0
        out[name] = {
            "labels": per,
            "macro_f1": round(
                float(np.mean([v["f1"] for k, v in per.items() if k not in ("informative", "eyewitness")])), 3
            ),
            "informative_labelled": round(labelled, 3),
            "n": len(idx),
        }
    return out


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    """Markdown rows: one per dataset and label, a column group (P / R / F1) per system."""
    systems = list(results)
    head = "| data | label | n | " + " | ".join(f"{s} P / R / F1" for s in systems) + " |"
    lines = [head, "|---|---|---:|" + "---:|" * len(systems)]
    first = results[systems[0]]
    for ds, fig in first.items():
        for lab, v in fig["labels"].items():
            cells = []
            for s in systems:
                w = results[s].get(ds, {}).get("labels", {}).get(lab)
                cells.append(f"{w['precision']:.2f} / {w['recall']:.2f} / **{w['f1']:.2f}**" if w else "–")
            lines.append(f"| {DATASET_NAMES[ds]} | {lab} | {v['support']:,} | " + " | ".join(cells) + " |")
        cells = [f"{results[s].get(ds, {}).get('macro_f1', float('nan')):.3f}" for s in systems]
        lines.append(f"| {DATASET_NAMES[ds]} | **macro F1** (labels) | | " + " | ".join(cells) + " |")
        cells = [f"{results[s].get(ds, {}).get('informative_labelled', float('nan')):.3f}" for s in systems]
        lines.append(f"| {DATASET_NAMES[ds]} | informative posts given a label | | " + " | ".join(cells) + " |")
    return lines


def combined(
    enrichments: list[dict[str, Any]],
    P: np.ndarray,
    groups: list[str],
    thresholds: dict[str, dict[str, float]],
    policies: list[dict[str, Policy]] | None = None,
) -> list[Prediction]:
    """Rules + model as ingest applies them (policies: each post's, by group; None: rule OR model)."""
    out = []
    for k, (e, row, g) in enumerate(zip(enrichments, P.tolist(), groups, strict=True)):
        e = dict(e)
        policy = policies[k].get(g, OR) if policies else OR
        combine(e, dict(zip(HEADS, row, strict=True)), thresholds[g], "post", lambda head: [], policy)
        out.append(Prediction(frozenset(e["labels"]), bool(e["informative"]), bool(e["eyewitness"])))
    return out
