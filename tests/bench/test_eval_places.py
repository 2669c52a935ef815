"""bench/eval_places.py on IDRISI's held-out events: the place figures the docs report, and the measure itself."""

from __future__ import annotations

import pytest
from bench_script import load

ev = load("eval_places")


def test_agreement_reads_mentions_as_people_write_them():
    assert ev.agree(ev.key("دولة الكويت"), ev.key("الكويت"))
    assert ev.agree(ev.key("#Butte_County"), ev.key("Butte"))
    assert ev.agree(ev.key("California's"), ev.key("California"))
    assert not ev.agree(ev.key("North Carolina"), ev.key("Carolina Beach"))
    assert not ev.agree(ev.key("Texas"), "")


@pytest.mark.skipif(not ev.IDRISI.is_dir(), reason=f"IDRISI shared data absent ({ev.IDRISI})")
@pytest.mark.parametrize(("lang", "target"), [("en", 0.75), ("ar", 0.65)])
def test_places_on_held_out_events_reach_the_targets(lang, target):
    from vigil.triage.places import PlaceMatcher

    tweets = ev.rows(lang, "test")
    assert tweets and not {t["event"] for t in tweets} & ev.DEV[lang]
    counts, _ = ev.score(PlaceMatcher.build(None), tweets)
    _, _, f1 = ev.prf(counts, "all")
    assert f1 >= target
