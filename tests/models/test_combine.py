"""Rules and model combined by a chosen policy: a doubtful rule label is overruled, and every label says why."""

from __future__ import annotations

import numpy as np

from vigil.models.combine import OR, Policy, combine, model_labels
from vigil.models.combine_policy import RuleView, choose
from vigil.models.mapping import HEADS
from vigil.models.triage_model import load

TH = dict.fromkeys(HEADS, 0.5)


def post(labels: list[str], cues: dict[str, list[str]], informative: bool = True) -> dict:
    return {"labels": labels, "cues": cues, "eyewitness": False, "informative": informative, "priority": "high"}


def test_a_rule_label_the_model_doubts_is_overruled_with_its_cues_kept_aside():
    e = post(["missing", "aid"], {"missing": ["still missing"], "aid": ["volunteers"]})
    p = dict.fromkeys(HEADS, 0.0) | {"missing": 0.01, "aid": 0.9, "informative": 0.9}
    combine(e, p, TH, "post", lambda head: [], Policy({"missing": 0.05}))
    assert e["labels"] == ["aid"] and e["cues"] == {"aid": ["volunteers"]}
    assert e["overruled"] == {"missing": ["still missing"]} and e["priority"] == "low"
    assert e["scores"] == {"aid": 0.9, "informative": 0.9}  # the missing head's score is under the export floor


def test_without_a_policy_every_rule_label_stands():
    e = post(["missing"], {"missing": ["still missing"]})
    combine(e, dict.fromkeys(HEADS, 0.0), TH, "post", lambda head: [])
    assert e["labels"] == ["missing"] and "overruled" not in e


def test_two_distinct_cues_stand_where_the_policy_says_so():
    e = post(["aid"], {"aid": ["volunteers", "donate"]})
    combine(e, dict.fromkeys(HEADS, 0.0), TH, "post", lambda head: [], Policy({"aid": 0.2}, frozenset({"aid"})))
    assert e["labels"] == ["aid"]
    e = post(["aid"], {"aid": ["volunteers"]})
    combine(e, dict.fromkeys(HEADS, 0.0), TH, "post", lambda head: [], Policy({"aid": 0.2}, frozenset({"aid"})))
    assert e["labels"] == [] and e["overruled"] == {"aid": ["volunteers"]}


def test_a_supporting_rule_label_lowers_the_score_another_needs_and_words_say_why():
    p = dict.fromkeys(HEADS, 0.0) | {"shortages": 0.2}
    policy = Policy(support={"shortages": ("plea", 0.15)})
    assert model_labels(p, TH, {"plea"}, policy) == {"shortages": "shortages"}
    assert model_labels(p, TH, set(), policy) == {}
    e = post(["plea"], {"plea": ["we need water"]})
    combine(e, p, TH, "post", lambda head: ["water"], policy)
    assert e["labels"] == ["plea", "shortages"] and e["model_words"] == {"shortages": ["water"]}


def test_the_rules_informative_is_overruled_below_its_floor():
    e = post(["sympathy"], {"sympathy": ["thoughts"]})
    combine(e, dict.fromkeys(HEADS, 0.1), TH, "post", lambda head: [], Policy({"informative": 0.3}))
    assert e["informative"] is False


def test_a_policy_survives_its_json_and_the_shipped_model_carries_one():
    pol = Policy({"missing": 0.02, "informative": 0.5}, frozenset({"aid"}), {"shortages": ("plea", 0.15)})
    assert Policy.from_json(pol.to_json()) == pol
    m = load()
    assert m.policy("en").floors and m.policy("nowhere") == OR


def test_choose_overrules_a_rule_that_is_wrong_where_the_model_says_no():
    rng = np.random.default_rng(0)
    n = 2000
    y = rng.random(n) < 0.4
    score = np.where(y, rng.uniform(0.3, 1.0, n), rng.uniform(0.0, 0.6, n))
    rule = y | (rng.random(n) < 0.5)  # the rule finds every positive and half the negatives
    score[rule & ~y] = rng.uniform(0.0, 0.04, int((rule & ~y).sum()))  # ... and the model doubts those
    j = HEADS.index("missing")
    P = np.full((n, len(HEADS)), 0.0)
    P[:, j] = score
    Y = np.zeros((n, len(HEADS)), dtype=np.int8)
    Y[:, j] = y
    M = np.zeros((n, len(HEADS)), dtype=bool)
    M[:, j] = True
    views = [RuleView(frozenset({"missing"} if r else ()), {"missing": 1} if r else {}, False) for r in rule]
    th = {g: dict.fromkeys(HEADS, 0.5) for g in ("en", "ar", "other")}
    got = choose(views, P, Y, M, ["en"] * n, ["humaid"] * n, th)
    assert 0.04 < got["en"].floors["missing"] <= 0.3
    assert "informative" not in got["en"].floors  # no data with negatives: the rules' view stands


def test_informative_falls_back_to_the_models_threshold_when_no_floor_keeps_the_precision():
    rng = np.random.default_rng(1)
    n = 2000
    y = rng.random(n) < 0.5
    score = rng.uniform(0.0, 1.0, n)  # the model knows nothing: no floor keeps precision 0.81
    j = HEADS.index("informative")
    P = np.zeros((n, len(HEADS)))
    P[:, j] = score
    Y = np.zeros((n, len(HEADS)), dtype=np.int8)
    Y[:, j] = y
    M = np.zeros((n, len(HEADS)), dtype=bool)
    M[:, j] = True
    views = [RuleView(frozenset(), {}, bool(r)) for r in rng.random(n) < 0.5]
    th = {g: dict.fromkeys(HEADS, 0.5) | {"informative": 0.7} for g in ("en", "ar", "other")}
    got = choose(views, P, Y, M, ["en"] * n, ["crisislex"] * n, th)
    assert got["en"].floors["informative"] == 0.7  # the rules' view stands only where the model says so anyway
