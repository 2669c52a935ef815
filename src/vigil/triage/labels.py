"""The triage labels (part of the export contract), their fixed order, and the priority levels."""

from __future__ import annotations

LABELS = (
    "plea",
    "farewell",
    "attack",
    "casualties",
    "missing",
    "evacuation",
    "infrastructure",
    "shortages",
    "rights",
    "advice",
    "aid",
    "sympathy",
)
PRIORITIES = ("critical", "high", "medium", "low")

# Marker rows in a lexicon: not labels, they qualify the cues around them.
NEGATION = "_negation"  # before a cue, in its clause: "no one was [injured]"
NEGATION_AFTER = "_negation_after"  # right after a cue: "[casualties] were not reported"
REPORTED = "_reported"  # reporting verbs: the author relays someone else's words
META = "_meta"  # a quoted cue that names a slogan, song or title is no cue at all
FIRST_PERSON = "_first_person"  # I, we, my, our… in the clause of a cue
EYEWITNESS = "_eyewitness"  # phrases that by themselves say the author is there ("outside my window")
RELAY = "_relay"  # phrases that say the author relays ("according to", "BREAKING:")
MARKERS = (NEGATION, NEGATION_AFTER, REPORTED, META, FIRST_PERSON, EYEWITNESS, RELAY)

# Cues of these labels are cancelled by a negation in their clause ("no one was injured", "not my last video").
NEGATABLE = frozenset({"plea", "farewell", "attack", "casualties", "missing", "evacuation", "infrastructure", "rights"})
# Labels that describe the crisis itself: with a first-person clause they make a post first-hand.
SITUATION = frozenset(
    {"plea", "farewell", "attack", "casualties", "missing", "evacuation", "infrastructure", "shortages"}
)
INFORMATIVE = frozenset(LABELS) - {"sympathy"}
