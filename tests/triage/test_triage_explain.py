"""Cues, priority, eyewitness and informative: why a post was flagged, as a desk reads it."""

from __future__ import annotations


def test_cues_are_the_exact_phrases_of_the_text(triager):
    text = "PLEASE send help!! The shelling hasn't stopped near the Old Port"
    r = triager.triage(text, lang="en")
    for phrases in r.cues.values():
        for phrase in phrases:
            assert phrase in text
    assert r.cues["plea"] == ["PLEASE send help"]
    assert r.cues["attack"] == ["shelling"]


def test_arabic_cue_keeps_the_spelling_of_the_text(triager):
    text = "وَالقَصْفُ مستمر على حيّنا"  # with diacritics
    r = triager.triage(text, lang="ar")
    assert "attack" in r.labels
    assert all(p in text for p in r.cues["attack"])


def test_first_hand_plea_is_critical_and_relayed_plea_is_high(triager):
    own = triager.triage("We are trapped in the basement, please send help", lang="en")
    relayed = triager.triage("RT @x: We are trapped in the basement, please send help", lang="en", kind="repost")
    assert own.eyewitness and own.priority == "critical"
    assert not relayed.eyewitness and relayed.priority == "high"


def test_news_report_is_not_eyewitness(triager):
    r = triager.triage("BREAKING: air strikes hit the market, according to local sources", lang="en")
    assert r.labels == ["attack"] and not r.eyewitness and r.priority == "high"


def test_priorities(triager):
    assert triager.triage("I can hear explosions outside my window", lang="en").priority == "critical"
    assert triager.triage("Power is cut across the city", lang="en").priority == "medium"
    assert triager.triage("Praying for everyone tonight", lang="en").priority == "low"
    assert triager.triage("Lovely sunset over the bay", lang="en").priority == "low"


def test_informative(triager):
    assert triager.triage("Water distribution point open at the north school", lang="en").informative
    assert not triager.triage("Praying for everyone tonight", lang="en").informative
    assert triager.triage("Over 200 people sheltering in the stadium", lang="en").informative


def test_video_is_triaged_on_title_text_and_transcript_together():
    from vigil.triage.engine import post_text

    assert post_text("desc", "Title", "spoken words") == "Title\ndesc\nspoken words"
    assert post_text("desc") == "desc"


def test_a_repost_of_the_same_text_is_not_first_hand_even_when_the_text_was_read_before(triager):
    text = "We are trapped in the basement, I can hear the shelling"
    own = triager.triage(text, lang="en", kind="post")
    again = triager.triage(text, lang="en", kind="repost")
    assert own.eyewitness and own.priority == "critical" and "eyewitness" in own.cues
    assert not again.eyewitness and again.priority == "high" and "eyewitness" not in again.cues
    assert own.labels == again.labels
