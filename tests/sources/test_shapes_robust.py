"""Shapes the tools write that were read wrong, and damage that lost good records (v1.1, Mastodon, yt-dlp,
Telegram, Bluesky): each gives its posts and one error line per damaged record."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.plugins import importers
from vigil.records import Post, Problem, Record, Scope, Skipped
from vigil.sources.base import ImportOptions


def read(fmt: str, path: Path) -> list[Record]:
    return list(importers()[fmt].iter_records(path, ImportOptions()))


def posts(recs: list[Record]) -> dict[str, Post]:
    return {r.uid: r for r in recs if isinstance(r, Post)}


def problems(recs: list[Record]) -> list[Problem]:
    return [r for r in recs if isinstance(r, Problem)]


def test_v1_search_response_gives_its_statuses(ws):
    (res,) = ingest(ws, [DATA / "twitter_v1" / "search_response.json"])
    assert (res.format, res.counts.new, res.counts.skipped, res.counts.failed) == ("twitter_v1", 2, 0, 0)


def test_v1_array_resumes_after_a_damaged_item_and_keeps_a_post_without_its_bad_media():
    recs = read("twitter_v1", DATA / "twitter_v1" / "damaged_array.json")
    got = posts(recs)
    assert sorted(p.text for p in got.values()) == ["First report", "Fourth report", "Second report, two photos"]
    second = next(p for p in got.values() if p.text.startswith("Second"))
    assert [m.url for m in second.media] == ["https://pbs.twimg.com/media/Fx1.jpg"]
    assert [p.where.split(",")[0] for p in problems(recs)] == ["item 2", "item 3"]
    assert "$.extended_entities.media[1]" in problems(recs)[0].message
    assert "line 89" in problems(recs)[1].where


def test_mastodon_v2_search_result_gives_its_statuses(ws):
    (res,) = ingest(ws, [DATA / "mastodon" / "search_v2.json"])
    assert res.counts.failed == 0 and res.counts.new >= 2


def test_an_older_ytdlp_playlist_without_type_is_skipped_not_a_video():
    (rec,) = read("ytdlp", DATA / "ytdlp" / "Harbor Voices - Videos (old).info.json")
    assert isinstance(rec, Skipped) and "playlist" in rec.reason


def test_telegram_chat_whose_name_is_a_number_loses_nothing():
    recs = read("telegram", DATA / "telegram" / "chat_name_number.json")
    assert problems(recs) == []
    assert len(posts(recs)) == 4 and len([r for r in recs if isinstance(r, Scope)]) == 3


def test_telegram_wrong_typed_reaction_or_entity_is_left_out_and_named():
    recs = read("telegram", DATA / "telegram" / "wrong_typed_parts.json")
    got = posts(recs)
    assert len(got) == 4
    assert got["telegram:1800000001/1"].metrics.likes == 4  # the good reaction is still counted
    assert got["telegram:1800000001/2"].text == "Route #North open"  # the text is kept as written
    assert [p.where for p in problems(recs)] == [
        "chat 1800000001, message 1 (id 1)",
        "chat 1800000001, message 2 (id 2)",
    ]
    assert "$.reactions[1]" in problems(recs)[0].message


def test_telegram_one_damaged_message_is_one_error_line_and_the_next_ones_are_read():
    recs = read("telegram", DATA / "telegram" / "damaged_message")
    assert sorted(posts(recs)) == ["telegram:1800000001/1", "telegram:1800000001/2", "telegram:1800000001/4"]
    damaged = [p for p in problems(recs) if "JSON" in p.message]
    assert len(damaged) == 1 and damaged[0].where.startswith("chat 1800000001, message 3, line 71")
    assert not [r for r in recs if isinstance(r, Scope)]  # not complete: no deletions inferred


def test_bluesky_one_damaged_post_does_not_lose_the_response(ws):
    found: list[Problem] = []
    (res,) = ingest(ws, [DATA / "bluesky" / "search_damaged.json"], on_problem=found.append)
    assert (res.counts.new, res.counts.failed) == (4, 3)
    assert [p.where.split(", ")[-1] for p in found][:2] == ["posts[0]", "posts[1]"]
    assert "facets[0]" in found[0].message and "NaN" in found[1].message
    assert "9999" in found[2].message and "suspect" in found[2].message
