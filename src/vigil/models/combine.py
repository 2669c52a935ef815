"""Rules and model together: a post's labels are the lexicon's plus those the model's calibrated scores pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from vigil.models.mapping import AFFECTED_GROUP, HEADS, LABEL_HEADS
from vigil.triage.labels import LABELS
from vigil.triage.priority import priority_of

SCORE_FLOOR = 0.05  # scores below this are left out of the export (a post would otherwise carry eleven numbers)
TIE = 1e-6  # a score this close to a rounding tie (x.xx5) is rounded by round() itself


def model_labels(p: dict[str, float], thresholds: dict[str, float], have: set[str]) -> dict[str, str]:
    """Labels the model adds to those the rules found, each with the head that gave it."""
    out = {h: h for h in LABEL_HEADS if h not in have and p[h] >= thresholds[h]}
    if p["affected"] >= thresholds["affected"] and not (have | set(out)) & set(AFFECTED_GROUP):
        out[max(AFFECTED_GROUP, key=lambda h: p[h])] = "affected"
    return out


def exported_scores(proba: np.ndarray, heads: tuple[str, ...]) -> list[dict[str, float]]:
    """Each row's `{head: round(p, 2)}` for the heads at SCORE_FLOOR or above, as round() gives them, in numpy."""
    # columns in HEADS order; the values round() sees: a float32 score as a Python float
    x = np.asarray(proba, dtype=np.float64)[:, [heads.index(h) for h in HEADS]]
    y = x * 100  # within ~1e-14 of the exact product: rint gives round()'s digits unless y is that close to a tie
    k = np.rint(y)
    near = np.abs(y - np.floor(y) - 0.5) < TIE
    r = k / 100  # the double nearest k/100, as round() returns
    r[near] = [round(v, 2) for v in x[near].tolist()]
    keep = x >= SCORE_FLOOR
    return [
        {h: v for h, v, kept in zip(HEADS, rv, kv, strict=True) if kept}
        for rv, kv in zip(r.tolist(), keep.tolist(), strict=True)
    ]


def combine(
    e: dict[str, Any],
    p: dict[str, float],
    thresholds: dict[str, float],
    kind: str | None,
    words: Callable[[str], list[str]],
    scores: dict[str, float] | None = None,
) -> None:
    """Merge the model's scores into a triaged post's enrichment in place (labels, why, priority, flags).

    `scores`: the exported scores when already made for the text (`exported_scores`), shared by its posts.
    """
    rules = list(e.get("labels") or [])
    added = model_labels(p, thresholds, set(rules))
    e["scores"] = {h: round(p[h], 2) for h in HEADS if p[h] >= SCORE_FLOOR} if scores is None else scores
    if added:
        labels = set(rules) | set(added)
        e["labels"] = [lab for lab in LABELS if lab in labels]
        e["model_words"] = {lab: words(head) for lab, head in added.items()}
    # eyewitness stays the rules' (first person, "outside my window"…): the model's head is right 65 % of the time
    # but finds one eyewitness in nine out of event, and the watch places a voice inside on two first-hand posts.
    if p["informative"] >= thresholds["informative"]:
        e["informative"] = True
    if added:
        e["priority"] = priority_of(e["labels"], bool(e.get("eyewitness")))
