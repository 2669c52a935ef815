"""Priority, eyewitness and informativeness from the labels and the cues' surroundings."""

from __future__ import annotations

from vigil.triage.labels import INFORMATIVE

URGENT = frozenset({"plea", "farewell", "attack"})
HIGH = frozenset({"plea", "farewell", "attack", "casualties", "missing", "rights"})
MEDIUM = frozenset({"evacuation", "infrastructure", "shortages", "advice"})
PEOPLE_KINDS = frozenset({"killed", "injured", "missing", "people"})


def priority_of(labels: list[str] | set[str], eyewitness: bool) -> str:
    """The priority level from the labels and whether the post is first-hand (the rules are in the README)."""
    found = set(labels)
    if eyewitness and found & URGENT:
        return "critical"
    if found & HIGH or (eyewitness and found & MEDIUM):
        return "high"
    if found & MEDIUM:
        return "medium"
    return "low"


def is_informative(labels: list[str] | set[str], quantities: list[dict[str, object]]) -> bool:
    """Useful to someone following the crisis: any label but sympathy alone, or a count of people."""
    if set(labels) & INFORMATIVE:
        return True
    return any(q.get("kind") in PEOPLE_KINDS for q in quantities)
