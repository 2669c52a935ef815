"""Choose how rules and model combine, per language group and label, on out-of-event scores (build time only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from vigil.models.combine import Policy
from vigil.models.mapping import AFFECTED_GROUP, HEADS, LABEL_HEADS
from vigil.models.triage_model import LANG_GROUPS
from vigil.models.triage_train import INFORMATIVE_PRECISION  # the rules' `informative` stands where this is kept
from vigil.triage.labels import LABELS

# A rule label stands when the model's calibrated score reaches its floor: 0 is "rule OR model", the model's own
# threshold is "model alone, the rule's cues as explanation". Floors above 0.5 would overrule cues the model merely
# doubts; the grid stops at the threshold.
FLOORS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
MIN_SUPPORT = 30  # positives and negatives a group needs for its own choice (else English's, else "rule OR model")


class RuleView(NamedTuple):
    """What the rules said of one post: labels, the number of distinct cue phrases per label, informative."""

    labels: frozenset[str]
    cues: dict[str, int]
    informative: bool


def rule_views(enrichments: Sequence[dict[str, Any]]) -> list[RuleView]:
    """The rules' view of each post, from its triage enrichment."""
    return [
        RuleView(
            frozenset(e.get("labels") or ()),
            {k: len(v) for k, v in (e.get("cues") or {}).items()},
            bool(e.get("informative")),
        )
        for e in enrichments
    ]


def _f1(t: np.ndarray, p: np.ndarray) -> float:
    tp = float((t & p).sum())
    return 2 * tp / (t.sum() + p.sum()) if t.sum() + p.sum() else 0.0


# A support (a rule label lowering the score another label needs) must raise the mean F1 this much. Measured with
# the choice itself made out of event (bench/eval_triage_models.py): supports +0.001 on HumAID, model thresholds
# re-chosen per label (×0.8–2) +0.000 on HumAID, +0.003 on Kawarith, −0.006 on CrisisLexT26: not kept. At 0.01 a
# support beside `plea` was chosen for `shortages` on every event (+0.003 as applied) but re-chosen without each
# event it lost 0.006 (0.646); at 0.02 none is chosen, and shortages is 0.655 as applied, 0.654 out of event.
MIN_GAIN = 0.02


class Task(NamedTuple):
    """One dataset's judgement of a label: the rules' views, the model's score, what else gives it, the truth."""

    rule: np.ndarray  # the rules gave the label
    two: np.ndarray  # ... with two distinct cues
    score: np.ndarray  # the model's score of the label
    other: np.ndarray  # what else says it (for "affected": the rest of the group)
    rules: dict[str, np.ndarray]  # every other rule label, for supports
    y: np.ndarray


class Choice(NamedTuple):
    """One label's combination."""

    floor: float = 0.0
    two: bool = False
    threshold: float = 0.0  # the model's, for the label alone
    support: tuple[str, float] | None = None


def _pred(t: Task, c: Choice) -> np.ndarray:
    stands = t.rule & ((t.score >= c.floor) | (t.two if c.two else False))
    out = stands | t.other | (~t.rule & (t.score >= c.threshold))
    if c.support is not None:
        out = out | (~t.rule & t.rules[c.support[0]] & (t.score >= c.support[1]))
    return np.asarray(out)


def _mean_f1(tasks: list[Task], c: Choice) -> float:
    return round(sum(_f1(t.y, _pred(t, c)) for t in tasks) / len(tasks), 4)


def _choose_label(tasks: list[Task], threshold: float) -> Choice:
    """The combination with the best mean F1 over the tasks; ties go to the rules (the lower floor)."""
    best = Choice(0.0, False, threshold)
    best_f = _mean_f1(tasks, best)
    for floor in FLOORS:
        if floor > threshold:
            break
        for two in (False, True):
            if two and floor == 0.0:
                continue
            c = Choice(floor, two, threshold)
            f = _mean_f1(tasks, c)
            if f > best_f:
                best, best_f = c, f
    base = best_f
    for sup in sorted(tasks[0].rules):
        if sum(int(t.rules[sup].sum()) for t in tasks) < MIN_SUPPORT:
            continue
        for v in FLOORS[1:]:
            if v >= threshold:
                break
            c = best._replace(support=(sup, v))
            f = _mean_f1(tasks, c)
            if f >= base + MIN_GAIN and f > best_f:
                best, best_f = c, f
    return best


def _enough(y: np.ndarray) -> bool:
    return bool(y.sum() >= MIN_SUPPORT and (~y).sum() >= MIN_SUPPORT)


def _tasks(
    lab: str,
    views: Sequence[RuleView],
    P: np.ndarray,
    Y: np.ndarray,
    M: np.ndarray,
    m: np.ndarray,
    ds: np.ndarray,
    th: dict[str, float],
) -> list[Task]:
    """The label judged on its own where a dataset does (HumAID); else, in the affected group, through "affected"."""
    out = []
    for d in sorted(set(ds[m].tolist())):
        md = m & (ds == d)
        head = lab
        if not _enough(Y[md & M[:, HEADS.index(lab)], HEADS.index(lab)].astype(bool)):
            if lab not in AFFECTED_GROUP:
                continue
            head = "affected"
        j = HEADS.index(head)
        idx = np.flatnonzero(md & M[:, j])
        y = Y[idx, j].astype(bool)
        if not _enough(y):
            continue
        if head == "affected":
            # the rest of the group, as the rules and model say it, counts for "affected" too
            rest = set(AFFECTED_GROUP) - {lab}
            other = np.array([bool(views[i].labels & rest) for i in idx.tolist()], dtype=np.bool_)
            other = other | (P[idx, HEADS.index("affected")] >= th["affected"])
            for h in rest:
                other = other | (P[idx, HEADS.index(h)] >= th[h])
        else:
            other = np.zeros(len(idx), dtype=np.bool_)
        rules = {x: np.array([x in views[i].labels for i in idx.tolist()], dtype=np.bool_) for x in LABELS if x != lab}
        out.append(
            Task(
                np.array([lab in views[i].labels for i in idx.tolist()], dtype=np.bool_),
                np.array([views[i].cues.get(lab, 0) >= 2 for i in idx.tolist()], dtype=np.bool_),
                P[idx, HEADS.index(lab)],
                other,
                rules,
                y,
            )
        )
    return out


def choose(
    views: Sequence[RuleView],
    P: np.ndarray,
    Y: np.ndarray,
    M: np.ndarray,
    groups: Sequence[str],
    datasets: Sequence[str],
    thresholds: dict[str, dict[str, float]],
    rows: np.ndarray | None = None,
) -> dict[str, Policy]:
    """Per language group, the combination giving each label its best mean F1 out of event (rows: those to use)."""
    use = np.ones(len(views), dtype=np.bool_) if rows is None else rows
    g = np.array(groups)
    ds = np.array(datasets)
    out: dict[str, Policy] = {}
    for lang in ("en", *[x for x in LANG_GROUPS if x != "en"]):
        th = thresholds[lang]
        chosen: dict[str, Choice] = {}
        for lab in LABEL_HEADS:
            tasks = _tasks(lab, views, P, Y, M, use & (g == lang), ds, th)
            if tasks:
                chosen[lab] = _choose_label(tasks, th[lab])
            elif lang != "en" and lab in out["en"].floors:
                chosen[lab] = Choice(out["en"].floors[lab], lab in out["en"].two_cues, th[lab])
        floors = {lab: c.floor for lab, c in chosen.items() if c.floor > 0}
        inf = _informative_floor(views, P, Y, M, use & (g == lang) & (ds == "crisislex"), th)
        if inf < 0 and lang != "en":
            inf = out["en"].floors.get("informative", 0.0)
        if inf > 0:
            floors["informative"] = inf
        out[lang] = Policy(
            floors,
            frozenset(lab for lab, c in chosen.items() if c.two),
            {lab: c.support for lab, c in chosen.items() if c.support is not None},
        )
    return out


def _informative_floor(
    views: Sequence[RuleView], P: np.ndarray, Y: np.ndarray, M: np.ndarray, m: np.ndarray, th: dict[str, float]
) -> float:
    """The lowest floor at which rules + model keep INFORMATIVE_PRECISION with the most recall (-1: no data).

    When no floor keeps it, the rules' view stands only where the model's own threshold would say it anyway.
    """
    j = HEADS.index("informative")
    idx = np.flatnonzero(m & M[:, j])
    y = Y[idx, j].astype(bool)
    if y.sum() < MIN_SUPPORT or (~y).sum() < MIN_SUPPORT:
        return -1.0
    score = P[idx, j]
    rule = np.array([views[i].informative for i in idx.tolist()], dtype=np.bool_)
    model = score >= th["informative"]
    best, best_recall = th["informative"], -1.0
    for floor in (*FLOORS, th["informative"]):
        pred = (rule & (score >= floor)) | model
        tp = float((pred & y).sum())
        if pred.sum() and tp / pred.sum() >= INFORMATIVE_PRECISION and tp / y.sum() > best_recall:
            best, best_recall = floor, tp / y.sum()
    return best


def to_json(policies: dict[str, Policy]) -> dict[str, Any]:
    """For triage.json's `combine` entry."""
    return {g: p.to_json() for g, p in policies.items()}
