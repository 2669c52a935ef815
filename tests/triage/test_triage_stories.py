from __future__ import annotations

from vigil.records import Post
from vigil.triage.enricher import TriageEnricher
from vigil.triage.stories import story_of_text


def test_near_identical_copies_share_a_story():
    a = story_of_text("We need ambulances at the north gate, please, save us. https://t.co/abc")
    b = story_of_text("RT @amal: We need ambulances at the north gate — please save us!! https://t.co/xyz")
    c = story_of_text("We need ambulances at the south gate, please, save us.")
    assert a is not None and a == b and a != c


def test_short_texts_have_no_text_story():
    assert story_of_text("help!") is None


def test_reposts_and_quotes_join_their_original_story():
    e = TriageEnricher()
    e.prepare(None)
    original = Post(platform="x", id="1", text="Shelling on the old port since dawn, stay inside everyone")
    repost = Post(platform="x", id="2", kind="repost", repost_of="x:1", text="RT @a: Shelling on the old port…")
    quote = Post(platform="x", id="3", kind="quote", quote_of="x:1", text="this is terrible")
    other = Post(platform="x", id="4", text="ok")
    e.enrich([quote, repost, original, other])
    stories = {p.id: p.enrichment["story"] for p in (original, repost, quote, other)}
    assert stories["1"] == stories["2"] == stories["3"]
    assert stories["4"] != stories["1"]
