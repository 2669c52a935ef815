"""Rules and model together: a post's labels are the lexicon's plus those the model's calibrated scores pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vigil.models.mapping import AFFECTED_GROUP, HEADS, LABEL_HEADS
from vigil.triage.labels import LABELS
from vigil.triage.priority import priority_of

SCORE_FLOOR = 0.05  # scores below this are left out of the export (a post would otherwise carry eleven numbers)


def model_labels(p: dict[str, float], thresholds: dict[str, float], have: set[str]) -> dict[str, str]:
    """Labels the model adds to those the rules found, each with the head that gave it."""
    out = {h: h for h in LABEL_HEADS if h not in have and p[h] >= thresholds[h]}
    if p["affected"] >= thresholds["affected"] and not (have | set(out)) & set(AFFECTED_GROUP):
        out[max(AFFECTED_GROUP, key=lambda h: p[h])] = "affected"
    return out


def combine(
    e: dict[str, Any],
    p: dict[str, float],
    thresholds: dict[str, float],
    kind: str | None,
    words: Callable[[str], list[str]],
) -> None:
    """Merge the model's scores into a triaged post's enrichment in place (labels, why, priority, flags)."""
    rules = list(e.get("labels") or [])
    added = model_labels(p, thresholds, set(rules))
    e["scores"] = {h: round(p[h], 2) for h in HEADS if p[h] >= SCORE_FLOOR}
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
