from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Deletion, Post, Problem, Skipped
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, parse_time, read_head
from vigil.sources.twarc2.importer import Twarc2Importer
from vigil.sources.twitter_v1.importer import TwitterV1Importer, read_time
from vigil.store.queries import PostFilter

D = DATA / "twitter_v1"
STREAM = D / "stream.jsonl"
PLEA = "twitter:1500000000000000001"


def read(path: Path) -> list:
    return list(TwitterV1Importer().iter_records(path, ImportOptions()))


def test_stream_lines_normalize_text_kinds_entities_and_metrics():
    recs = read(STREAM)
    posts = {r.uid: r for r in recs if isinstance(r, Post)}
    plea = posts[PLEA]
    assert plea.text.startswith("We need ambulances") and plea.text.endswith("Tell everyone #Harbor")
    assert plea.hashtags == ["Harbor"]
    assert [(m.type, m.url) for m in plea.media] == [
        ("photo", "https://pbs.twimg.com/media/GateA1.jpg"),
        ("video", "https://pbs.twimg.com/ext_tw_video_thumb/9/pu/img/GateV.jpg"),
    ]
    assert (plea.metrics.likes, plea.metrics.shares, plea.metrics.replies, plea.metrics.quotes) == (12, 30, 4, 2)
    assert plea.author.handle == "nurse_amal" and plea.author.id == "2001" and plea.author.bio
    assert plea.url == "https://x.com/nurse_amal/status/1500000000000000001"
    assert plea.created_at is not None and plea.created_at.isoformat() == "2026-03-01T09:00:00+00:00"

    rt = posts["twitter:1500000000000000002"]
    assert rt.kind == "repost" and rt.repost_of == PLEA and rt.text == plea.text
    assert rt.author.handle == "relay_desk"

    quote = posts["twitter:1500000000000000004"]
    assert quote.kind == "quote" and quote.quote_of == "twitter:1500000000000000003"
    assert quote.text == "Confirmed by two neighbours &amp; a volunteer <script>alert(1)</script> @nurse_amal"
    assert quote.lang is None  # "und"
    assert quote.mentions == ["nurse_amal"]
    assert quote.links == ["https://twitter.com/nurse_amal/status/1500000000000000003"]
    # the quoted status arrives as a post of its own, with its own raw JSON
    quoted = posts["twitter:1500000000000000003"]
    assert quoted.text == "Water station at the old school is dry since yesterday"
    assert quoted.raw.startswith(b"{") and b"Water station" in quoted.raw and b"Confirmed" not in quoted.raw

    reply = posts["twitter:1500000000000000005"]
    assert reply.kind == "reply" and reply.reply_to == "twitter:1500000000000000004"


def test_embedded_retweet_is_its_own_post_and_never_uses_the_float_id():
    recs = read(STREAM)
    uids = [r.uid for r in recs if isinstance(r, Post)]
    assert uids.count(PLEA) == 1  # top-level copy first; the identical embedded copy is not repeated
    assert all(":1.5e" not in u and "e+18" not in u for u in uids)
    arr = read(D / "statuses.json")
    assert [r.uid for r in arr if isinstance(r, Post)] == [PLEA, "twitter:1500000000000000003"]


def test_bad_lines_dates_ids_notices_and_deletions():
    recs = read(STREAM)
    problems = [r for r in recs if isinstance(r, Problem)]
    assert [p.where for p in problems] == ["line 5", "line 7", "line 8"]
    assert "bad tweet JSON" in problems[0].message
    assert "cannot read date 'sometime in March'" in problems[1].message
    assert "no id_str" in problems[2].message
    undated = next(r for r in recs if isinstance(r, Post) and r.id == "1500000000000000006")
    assert undated.created_at is None and undated.time_quality == "unknown" and undated.text == "Bad date, good words"
    assert sum(isinstance(r, Skipped) for r in recs) == 1
    (deletion,) = [r for r in recs if isinstance(r, Deletion)]
    assert deletion.uid == "twitter:1500000000000000005" and deletion.at is not None


def test_truncated_array_keeps_the_items_before_the_damage():
    recs = read(D / "truncated.json")
    assert [r.id for r in recs if isinstance(r, Post)] == ["1500000000000000003", "1500000000000000005"]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where.startswith("item 3, line ")


@pytest.mark.parametrize("name", ["stream.jsonl", "statuses.json", "later.json"])
def test_detect_claims_v1_and_twarc2_does_not(name):
    path = D / name
    head = read_head(path)
    assert TwitterV1Importer().detect(path, head) >= 60
    assert Twarc2Importer().detect(path, head) == 0


def test_detect_leaves_twarc2_alone():
    path = DATA / "twarc2" / "page_with_bad_line.jsonl"
    assert TwitterV1Importer().detect(path, read_head(path)) == 0


def test_ingest_export_reingest_and_edit(ws, tmp_path):
    first = ingest(ws, [STREAM])[0]
    assert first.format == "twitter_v1"
    assert (first.counts.new, first.counts.failed, first.counts.skipped) == (6, 3, 1)
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs["twitter:1500000000000000005"]["deleted_at"] == "2026-03-01T13:00:00Z"
    assert recs["twitter:1500000000000000002"]["repost_of"] == PLEA
    assert recs[PLEA]["metrics"]["likes"] == 12
    assert recs[PLEA]["author"] == {"id": "2001", "handle": "nurse_amal", "name": "Amal (nurse)"}

    again = ingest(ws, [STREAM])[0].counts
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)
    assert all(r["versions"] == 1 for r in iter_records(ws, PostFilter()))

    later = ingest(ws, [D / "later.json"])[0].counts
    assert (later.new, later.updated) == (0, 1)
    edited = {r["uid"]: r for r in iter_records(ws, PostFilter())}["twitter:1500000000000000003"]
    assert edited["versions"] == 2 and edited["edited"] is True
    assert edited["text"].endswith("(edited: since Friday)")


@pytest.mark.parametrize(
    "text",
    ["Wed Oct 10 20:19:24 +0000 2018", "Wed Oct 10 20:19:24 +0530 2018", "Sat Dec 31 23:59:59 -0700 2016",
     "2026-03-01T09:00:00.000Z"],
)  # fmt: skip
def test_fast_created_at_agrees_with_the_shared_parser(text):
    assert read_time(text) == (parse_time(text), None)
