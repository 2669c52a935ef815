"""Mastodon as clients and the server write it: one status, a timeline, a v2 search result, an account export."""

from __future__ import annotations

import pytest
from tests.sources.shapes import SHAPES, read

from vigil.ingest.pipeline import detect
from vigil.sources.base import ImportOptions

ORIGINAL = "mastodon:https://harbor.social/users/mira/statuses/112233445566778899"
REPLY = "mastodon:https://port.example/users/tomas/statuses/112233445566778901"
BOOST = "mastodon:https://port.example/users/tomas/statuses/112233445566778950/activity"


def test_single_status():
    r = read("mastodon", "status.json")
    assert r.format == "mastodon" and not r.problems and list(r.posts) == [ORIGINAL]
    s = r.posts[ORIGINAL]
    assert s.text == "Water truck at the school gate until 22:00\nbring containers #harbor"  # HTML to text
    assert s.author.handle == "mira@harbor.social" and s.author.name == "Mira Haddad"
    assert (s.metrics.likes, s.metrics.shares, s.metrics.replies) == (40, 12, 1)
    assert s.hashtags == ["harbor"] and [m.type for m in s.media] == ["photo"]
    assert s.url == "https://harbor.social/@mira/112233445566778899"


def test_timeline_array_with_a_reply_and_a_boost():
    r = read("mastodon", "timeline.json")
    assert r.format == "mastodon" and not r.problems
    assert sorted(r.posts) == sorted([ORIGINAL, REPLY, BOOST])
    reply = r.posts[REPLY]
    assert reply.kind == "reply" and reply.reply_to == ORIGINAL and reply.author.handle == "tomas@port.example"
    boost = r.posts[BOOST]
    assert boost.kind == "repost" and boost.repost_of == ORIGINAL


def test_v2_search_result():
    r = read("mastodon", "search_v2.json")
    assert not r.problems and sorted(r.posts) == sorted([ORIGINAL, REPLY])


@pytest.mark.xfail(strict=True, reason="a Mastodon account export (outbox.json, ActivityPub) has no importer")
def test_account_export_outbox():
    r = read("mastodon", "archive")
    assert r.format == "mastodon" and ORIGINAL in r.posts


def test_account_export_is_reported_not_misread():
    unit = detect(SHAPES / "mastodon" / "archive" / "outbox.json", ImportOptions())
    assert unit.importer is None and "unknown format" in unit.problem.message
