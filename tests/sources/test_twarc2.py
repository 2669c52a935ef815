from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Post, Problem
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions
from vigil.sources.twarc2.importer import Twarc2Importer
from vigil.store.queries import PostFilter

PAGE = DATA / "twarc2" / "page_with_bad_line.jsonl"


def test_retweet_takes_full_text_from_includes_and_bad_line_is_reported():
    recs = list(Twarc2Importer().iter_records(PAGE, ImportOptions()))
    posts = {r.uid: r for r in recs if isinstance(r, Post)}
    problems = [r for r in recs if isinstance(r, Problem)]
    rt = posts["twitter:100"]
    assert rt.kind == "repost" and rt.repost_of == "twitter:99"
    assert rt.text == posts["twitter:99"].text
    assert rt.text.endswith("the road is cut.")
    assert posts["twitter:101"].hashtags == ["Harbor"]
    assert posts["twitter:101"].metrics.views == 50
    assert len(problems) == 1 and problems[0].where == "line 2"


def test_reingest_changes_nothing(ws):
    first = ingest(ws, [PAGE])[0].counts
    second = ingest(ws, [PAGE])[0].counts
    assert (first.new, first.failed) == (3, 1)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    recs = list(iter_records(ws, PostFilter()))
    assert [len(r["captures"]) for r in recs] == [2, 2, 2]
    assert all(r["versions"] == 1 for r in recs)


def test_a_bad_date_is_reported_and_the_rest_of_the_page_kept(tmp_path):
    page = {
        "data": [
            {"id": "1", "text": "first", "author_id": "9", "created_at": "yesterday at noon"},
            {"id": "2", "text": "second", "author_id": "9", "created_at": "2026-03-01T10:00:00.000Z"},
        ],
        "includes": {"users": [{"id": "9", "username": "amal"}]},
    }
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    recs = list(Twarc2Importer().iter_records(path, ImportOptions()))
    problems = [r for r in recs if isinstance(r, Problem)]
    posts = {r.id: r for r in recs if isinstance(r, Post)}
    assert [p.where for p in problems] == ["line 1, data[0]"]
    assert "yesterday at noon" in problems[0].message
    assert posts["1"].created_at is None and posts["1"].time_quality == "unknown"
    assert posts["2"].time_quality == "exact"


def test_a_referenced_tweet_repeated_in_later_pages_is_read_once_unless_its_bytes_change(tmp_path, ws):
    orig = {"id": "99", "text": "Ambulances cannot reach us", "author_id": "9", "public_metrics": {"like_count": 1}}
    newer = {**orig, "public_metrics": {"like_count": 7}}

    def page(n: int, included: dict) -> str:
        rt = {"id": str(n), "text": "RT @amal: Ambulances…", "author_id": "8",
              "referenced_tweets": [{"type": "retweeted", "id": "99"}]}  # fmt: skip
        users = [{"id": "9", "username": "amal"}, {"id": "8", "username": "relay"}]
        return json.dumps({"data": [rt], "includes": {"users": users, "tweets": [included]}}) + "\n"

    path = tmp_path / "pages.jsonl"
    path.write_text(page(1, orig) + page(2, orig) + page(3, newer) + page(4, newer), encoding="utf-8")
    posts = [r for r in Twarc2Importer().iter_records(path, ImportOptions()) if isinstance(r, Post)]
    assert [p.id for p in posts] == ["1", "99", "2", "3", "99", "4"]
    assert [p.metrics.likes for p in posts if p.id == "99"] == [1, 7]
    assert all(p.text == "Ambulances cannot reach us" for p in posts)  # retweets still take the full text
    counts = ingest(ws, [path])[0].counts
    assert (counts.new, counts.updated, counts.unchanged) == (5, 0, 0)  # one batch: the newer copy is stored
    assert {r["id"]: r["metrics"]["likes"] for r in iter_records(ws, PostFilter())}["99"] == 7


def test_a_later_page_without_the_media_expansion_keeps_the_media_known(tmp_path, ws):
    tweet = {"id": "7", "text": "The bakery after the strike", "author_id": "9",
             "attachments": {"media_keys": ["3_7"]}, "public_metrics": {"like_count": 3}}  # fmt: skip
    photo = {"media_key": "3_7", "type": "photo", "url": "https://pbs.example.org/bakery.jpg"}
    users = [{"id": "9", "username": "amal"}, {"id": "8", "username": "relay"}]
    first = {"data": [tweet], "includes": {"users": users, "media": [photo]}}
    rt = {"id": "8001", "text": "RT @amal: The bakery…", "author_id": "8",
          "referenced_tweets": [{"type": "retweeted", "id": "7"}]}  # fmt: skip
    later = {"data": [rt], "includes": {"users": users, "tweets": [{**tweet, "public_metrics": {"like_count": 40}}]}}
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps(first) + "\n", encoding="utf-8")
    b.write_text(json.dumps(later) + "\n", encoding="utf-8")
    ingest(ws, [a])
    assert ingest(ws, [b])[0].counts.updated == 1  # new counts for tweet 7
    rec = {r["id"]: r for r in iter_records(ws, PostFilter())}["7"]
    assert rec["metrics"]["likes"] == 40
    assert [m["url"] for m in rec["media"]] == ["https://pbs.example.org/bakery.jpg"]


def test_an_include_whose_bytes_change_is_read_anew_even_when_its_copies_are_remembered(tmp_path, monkeypatch):
    from vigil.sources.twarc2 import importer

    def page(n: int, text: str) -> str:
        rt = {"id": str(n), "text": "RT @amal: …", "author_id": "8",
              "referenced_tweets": [{"type": "retweeted", "id": "99"}]}  # fmt: skip
        included = {"id": "99", "text": text, "author_id": "9"}
        return json.dumps({"data": [rt], "includes": {"tweets": [included, {"text": "no id"}]}}) + "\n"

    path = tmp_path / "pages.jsonl"
    path.write_text(page(1, "Bridge open") + page(2, "Bridge open") + page(3, "Bridge closed") + page(4, "Bridge open"))

    def read() -> list[tuple[str, str]]:
        recs = Twarc2Importer().iter_records(path, ImportOptions())
        return [(r.id, r.text) if isinstance(r, Post) else (r.where, r.message) for r in recs]

    got = read()
    assert [x for x in got if x[0] in "1234"] == [("1", "Bridge open"), ("2", "Bridge open"), ("3", "Bridge closed"),
                                                ("4", "Bridge open")]  # fmt: skip
    assert [x for x in got if x[0] == "99"] == [("99", "Bridge open"), ("99", "Bridge closed")]  # each copy once
    assert sum("missing required field" in x[1] for x in got) == 4  # a bad include is reported on every page
    monkeypatch.setattr(importer, "MEMO_BYTES", 60)  # the memo forgets at almost every copy: the same records
    assert read() == got


def test_to_post_fills_each_field_of_post_in_its_place(tmp_path):
    tweet = {"id": "5", "text": "short", "author_id": "9", "created_at": "2026-03-01T10:00:00.000Z", "lang": "ar",
             "note_tweet": {"text": "the long text"}, "attachments": {"media_keys": ["3_5"]},
             "referenced_tweets": [{"type": "replied_to", "id": "3"}, {"type": "quoted", "id": "4"}],
             "entities": {"hashtags": [{"tag": "Gaza"}], "mentions": [{"username": "amal"}],
                          "urls": [{"url": "https://t.co/x", "expanded_url": "https://example.org/a"}]},
             "public_metrics": {"like_count": 1, "retweet_count": 2, "reply_count": 3, "quote_count": 4,
                                "impression_count": 5}}  # fmt: skip
    video = {"media_key": "3_5", "type": "video", "preview_image_url": "https://pbs.example.org/v.jpg"}
    includes = {"users": [{"id": "9", "username": "relay", "name": "Relay", "description": "bio"}], "media": [video]}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"data": [tweet, {**tweet, "id": "6"}], "includes": includes}) + "\n")
    a, b = [r for r in Twarc2Importer().iter_records(path, ImportOptions()) if isinstance(r, Post)]
    assert (a.platform, a.id, a.kind, a.text, a.lang) == ("twitter", "5", "reply", "the long text", "ar")
    assert (a.author.id, a.author.handle, a.author.name, a.author.bio) == ("9", "relay", "Relay", "bio")
    assert a.created_at == datetime(2026, 3, 1, 10, tzinfo=UTC) and a.time_quality == "exact"
    assert (a.reply_to, a.repost_of, a.quote_of) == ("twitter:3", None, "twitter:4")
    assert a.url == "https://x.com/relay/status/5"
    assert (a.hashtags, a.mentions, a.links) == (["Gaza"], ["amal"], ["https://example.org/a"])
    assert [(m.type, m.url) for m in a.media] == [("video", "https://pbs.example.org/v.jpg")]
    assert (a.metrics.likes, a.metrics.shares, a.metrics.replies, a.metrics.quotes, a.metrics.views) == (1, 2, 3, 4, 5)
    assert (a.transcript, a.title, a.edited_at, a.deleted_at) == (None, None, None, None)
    assert a.raw == json.dumps(tweet).encode()
    assert a.enrichment == {} and a.enrichment is not b.enrichment  # each post its own


def test_the_post_factory_names_fields_of_post_in_their_order():
    import inspect

    from vigil.sources.twarc2.importer import _post

    params = inspect.signature(_post).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    assert [f for f in Post.__struct_fields__ if f in params] == list(params)
    assert len(params) <= 15  # more keywords and CPython 3.11 builds a dict for the call (~13k instructions)
