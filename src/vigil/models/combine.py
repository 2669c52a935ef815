"""Rules and model together: the lexicon's labels the model does not overrule, plus those its scores pass."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, NamedTuple

import numpy as np

from vigil.models.mapping import AFFECTED_GROUP, HEADS, LABEL_HEADS
from vigil.triage.labels import LABELS
from vigil.triage.priority import priority_of

SCORE_FLOOR = 0.05  # scores below this are left out of the export (a post would otherwise carry eleven numbers)
TIE = 1e-6  # a score this close to a rounding tie (x.xx5) is rounded by round() itself
_AFFECTED = frozenset(AFFECTED_GROUP)


class Policy(NamedTuple):
    """How one language group's rules and model combine (chosen out of event by `combine_policy.choose`)."""

    floors: Mapping[str, float] = {}  # label (or "informative") -> score a rule's view needs to stand (0: always)
    two_cues: frozenset[str] = frozenset()  # labels whose rule stands regardless when two distinct cues gave it
    support: Mapping[str, tuple[str, float]] = {}  # label -> (a rule label, lower score that adds it beside that rule)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Policy:
        """From triage.json's `combine` entry of one group."""
        return cls(
            {str(k): float(v) for k, v in obj.get("floors", {}).items()},
            frozenset(str(x) for x in obj.get("two_cues", [])),
            {str(k): (str(v[0]), float(v[1])) for k, v in obj.get("support", {}).items()},
        )

    def to_json(self) -> dict[str, Any]:
        """For triage.json."""
        return {
            "floors": dict(self.floors),
            "two_cues": sorted(self.two_cues),
            "support": {k: list(v) for k, v in self.support.items()},
        }


OR = Policy()  # every rule label stands, the model adds what passes its thresholds


def overruled(e: Mapping[str, Any], p: Mapping[str, float], policy: Policy) -> list[str]:
    """Rule labels the model's score says the annotators would not give (below the label's floor, one cue)."""
    if not policy.floors:
        return []
    cues = e.get("cues") or {}
    out = []
    for lab in e.get("labels") or ():
        floor = policy.floors.get(lab, 0.0)
        if floor <= 0.0 or lab not in p or p[lab] >= floor:
            continue
        if lab in policy.two_cues and len(cues.get(lab) or ()) >= 2:
            continue
        out.append(lab)
    return out


def model_labels(
    p: Mapping[str, float],
    thresholds: Mapping[str, float],
    have: set[str],
    policy: Policy = OR,
    barred: Collection[str] = (),
) -> dict[str, str]:
    """Labels the model adds to those the rules found, each with the head that gave it (never a barred one).

    A label the policy supports with a rule label the post has needs only the support's lower score.
    """
    out = {}
    support = policy.support
    for h in LABEL_HEADS:
        if p[h] < thresholds[h]:  # most heads of most posts: the one test
            if not support:
                continue
            sup = support.get(h)
            if sup is None or sup[0] not in have or p[h] < sup[1]:
                continue
        if h not in have and h not in barred:
            out[h] = h
    if p["affected"] >= thresholds["affected"] and _AFFECTED.isdisjoint(have) and _AFFECTED.isdisjoint(out):
        out[max((h for h in AFFECTED_GROUP if h not in barred), key=lambda h: p[h])] = "affected"
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
    rows, cols = np.nonzero(x >= SCORE_FLOOR)  # row by row, each row's heads in HEADS order
    out: list[dict[str, float]] = [{} for _ in range(len(x))]
    for i, head, v in zip(rows.tolist(), [HEADS[c] for c in cols.tolist()], r[rows, cols].tolist(), strict=True):
        out[i][head] = v  # only the ~5 kept of 11 a row are read: 0.65 µs a text, where a dict of all took 3.9
    return out


def combine(
    e: dict[str, Any],
    p: dict[str, float],
    thresholds: dict[str, float],
    kind: str | None,
    words: Callable[[str], list[str]],
    policy: Policy = OR,
    scores: dict[str, float] | None = None,
) -> None:
    """Merge the model's scores into a triaged post's enrichment in place (labels, why, priority, flags).

    A rule label the model overrules moves from `cues` to `overruled` (its cues kept there, its score in `scores`).
    `scores`: the exported scores when already made for the text (`exported_scores`), shared by its posts.
    """
    rules = list(e.get("labels") or [])
    dropped = overruled(e, p, policy)
    if dropped:
        cues = dict(e.get("cues") or {})
        e["overruled"] = {lab: cues.pop(lab, []) for lab in dropped}
        e["cues"] = cues
        rules = [lab for lab in rules if lab not in dropped]
        e["labels"] = rules
    added = model_labels(p, thresholds, set(rules), policy, dropped)
    e["scores"] = {h: round(p[h], 2) for h in HEADS if p[h] >= SCORE_FLOOR} if scores is None else scores
    if added:
        labels = set(rules) | set(added)
        e["labels"] = [lab for lab in LABELS if lab in labels]
        e["model_words"] = {lab: words(head) for lab, head in added.items()}
    # eyewitness stays the rules' (first person, "outside my window"…): the model's head is right 65 % of the time
    # but finds one eyewitness in nine out of event, and the watch places a voice inside on two first-hand posts.
    inf_floor = policy.floors.get("informative", 0.0)
    if e.get("informative") and inf_floor > 0.0 and p["informative"] < inf_floor:
        e["informative"] = False  # the rules' view of it, overruled like a label
    if p["informative"] >= thresholds["informative"]:
        e["informative"] = True
    if added or dropped:
        e["priority"] = priority_of(e["labels"], bool(e.get("eyewitness")))
