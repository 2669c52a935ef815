"""Farewells and pleas as speech acts on the project's own set: the figures docs/triage.md reports hold."""

from __future__ import annotations

import pytest
from bench_script import load

ev = load("eval_speech_acts")


@pytest.fixture(scope="module")
def counts():
    return {split: ev.evaluate(ev.load(split), with_model=False) for split in ev.SPLITS}


def test_the_set_is_as_large_and_varied_as_asked():
    examples = ev.load("all")
    by = {}
    for ex in examples:
        by[(ex["lang"], ex["kind"])] = by.get((ex["lang"], ex["kind"]), 0) + 1
    assert by[("en", "farewell")] >= 150 and by[("en", "plea")] >= 150
    assert by[("ar", "farewell")] >= 100 and by[("ar", "plea")] >= 100
    assert by[("en", "negative")] >= 300 and by[("ar", "negative")] >= 190
    dev2 = ev.load("dev2")
    assert sum(ex["kind"] != "negative" for ex in dev2) >= 600 and sum(ex["kind"] == "negative" for ex in dev2) >= 300
    assert len({ex["text"] for ex in examples}) == len(examples)  # no sentence twice
    test = {ex["text"] for ex in ev.load("test")}
    val = {ex["text"] for ex in ev.load("val")}
    tuned = {ex["text"] for ex in ev.load("dev") + ev.load("dev2") + ev.load("dev3") + ev.load("dev4")}
    assert not test & tuned and not val & tuned and not val & test  # held-out splits share no sentence


def test_the_model_as_applied_is_measured_beside_the_rules(counts):
    text = "Thousands of families are sheltering in schools tonight after the river burst its banks"
    rules, both = ev.labels([text], ["en"], with_model=False)[0], ev.labels([text], ["en"])[0]
    assert not rules and both  # no cue gives it a label; the model's enricher, run after the rules as at ingest, does
    both = ev.evaluate(ev.load("test"))
    # the built-in model has no plea head and overrules neither act; its farewell head only adds farewells
    farewell, plea = (both[(act, "all")] for act in ev.ACTS)
    assert plea.tp == counts["test"][("plea", "all")].tp and plea.fp == counts["test"][("plea", "all")].fp
    assert farewell.tp >= counts["test"][("farewell", "all")].tp + 5  # 119 -> 125 of 145 (docs/triage.md)
    assert farewell.precision >= 0.90 and farewell.recall >= 0.85  # the target: 0.85 each


def test_the_model_adds_farewells_only_where_the_rules_saw_a_weak_sign():
    from vigil.triage.engine import default_triager

    examples = ev.load("dev3") + ev.load("val")
    texts, langs = [str(ex["text"]) for ex in examples], [str(ex["lang"]) for ex in examples]
    added = [
        t
        for t, rules, both in zip(
            texts, ev.labels(texts, langs, with_model=False), ev.labels(texts, langs), strict=True
        )
        if "farewell" in both - rules
    ]
    assert len(added) >= 20  # val: 15 more farewells, dev3: 9 (trained on)
    assert all(default_triager().weak_signs(t).get("farewell") for t in added)


# (split, act) -> the precision and recall reached (docs/triage.md); `val` and `test` were never tuned on
FLOORS = {
    ("dev", "farewell"): (0.97, 0.94),
    ("dev", "plea"): (0.93, 0.98),
    ("dev2", "farewell"): (0.98, 0.93),
    ("dev2", "plea"): (0.96, 0.96),
    ("dev3", "farewell"): (0.98, 0.75),
    ("dev4", "farewell"): (0.97, 0.87),
    ("val", "farewell"): (0.77, 0.30),
    ("val", "plea"): (0.93, 0.59),
    ("test", "farewell"): (0.92, 0.81),
    ("test", "plea"): (0.88, 0.88),
}


@pytest.mark.parametrize(("split", "act"), sorted(FLOORS))
def test_precision_and_recall_hold(counts, split, act):
    c = counts[split][(act, "all")]
    precision, recall = FLOORS[(split, act)]
    assert c.precision >= precision and c.recall >= recall, (c.precision, c.recall)


def test_a_dev_example_misread_shows_in_the_counts(counts):
    ex = {"id": "x", "text": "Save 20% on all winter jackets, goodbye summer!", "lang": "en", "labels": ["farewell"]}
    got = ev.evaluate([ex], with_model=False)
    assert got[("farewell", "en")].fn == 1 and got[("farewell", "en")].recall == 0.0
