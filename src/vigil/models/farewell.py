"""A farewell the rules saw only a weak sign of, completed by the built-in model's farewell head (nowhere else)."""

from __future__ import annotations

from typing import Any

from vigil.triage.labels import LABELS
from vigil.triage.priority import priority_of

FAREWELL = "farewell"


def complete(e: dict[str, Any], p: float, signs: list[str], words: list[str]) -> None:
    """Give a post farewell in place: the rules' weak cue phrases, the head's score and its words say why."""
    have = set(e.get("labels") or ()) | {FAREWELL}
    e["labels"] = [lab for lab in LABELS if lab in have]
    e["cues"] = {**(e.get("cues") or {}), FAREWELL: signs}  # copies: a text's dicts are shared by its posts
    e["scores"] = {**(e.get("scores") or {}), FAREWELL: round(p, 2)}
    e["model_words"] = {**(e.get("model_words") or {}), FAREWELL: words}
    e["priority"] = priority_of(e["labels"], bool(e.get("eyewitness")))
