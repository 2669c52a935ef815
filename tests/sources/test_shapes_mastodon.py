"""Mastodon as clients and the server write it: one status, a timeline, a v2 search result, an account export."""

from __future__ import annotations

import hashlib

import pytest
from tests.sources.shapes import SHAPES, read

from vigil.ingest.pipeline import ingest
from vigil.records import Scope
from vigil.report.export import iter_records
from vigil.store.queries import PostFilter

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


OWN_REPLY = "mastodon:https://harbor.social/users/mira/statuses/112233445566779100"
OWN_BOOST = "mastodon:https://harbor.social/users/mira/statuses/112233445566779000/activity"


def test_account_export_outbox():
    r = read("mastodon", "archive")
    assert r.format == "mastodon" and not r.problems
    assert sorted(r.posts) == sorted([ORIGINAL, OWN_REPLY, OWN_BOOST])
    s = r.posts[ORIGINAL]  # the same uid, text, author and tags as the API form of the status (status.json)
    api = read("mastodon", "status.json").posts[ORIGINAL]
    assert (s.text, s.author, s.hashtags, s.url, s.lang, s.created_at) == (
        api.text,
        api.author,
        api.hashtags,
        api.url,
        api.lang,
        api.created_at,
    )
    assert (s.metrics.likes, s.metrics.shares) == (40, 12)
    [m] = s.media
    assert m.type == "photo" and m.path == "media_attachments/files/112/233/445/566/770/001/original/t.jpg"
    assert m.sha256 == hashlib.sha256((SHAPES / "mastodon" / "archive" / m.path).read_bytes()).hexdigest()
    reply = r.posts[OWN_REPLY]
    assert reply.kind == "reply" and reply.reply_to == REPLY and reply.mentions == ["tomas@port.example"]
    assert reply.text == "@tomas the bridge is closed from the east side too" and reply.edited_at is not None
    boost = r.posts[OWN_BOOST]
    assert boost.kind == "repost" and boost.author.handle == "mira@harbor.social"
    assert boost.repost_of == "mastodon:https://port.example/users/tomas/statuses/112233445566778990"
    assert r.records[-1] == Scope(kind="account", key="mastodon:mira@harbor.social")


def test_account_export_outbox_named_alone_reads_its_actor():
    r = read("mastodon", "archive", "outbox.json")
    assert not r.problems and r.posts[ORIGINAL].author.name == "Mira Haddad" and len(r.posts) == 3


@pytest.mark.parametrize("name", ["actor.json", "likes.json", "bookmarks.json"])
def test_account_export_side_files_are_skipped(name):
    r = read("mastodon", "archive", name)
    assert not r.posts and not r.problems and "read with its outbox.json" in r.skipped[0]


def test_api_form_after_the_export_adds_nothing(ws):
    [export] = ingest(ws, [SHAPES / "mastodon" / "archive"])
    assert export.counts.new == 3 and not export.counts.errors
    [api] = ingest(ws, [SHAPES / "mastodon" / "status.json"])
    assert api.counts.new == 0  # the same post: only its reply count (which the export does not write) is new
    rec = {r["uid"]: r for r in iter_records(ws, PostFilter())}[ORIGINAL]
    assert rec["versions"] == 1 and rec["text"].startswith("Water truck") and rec["metrics"]["replies"] == 1
    [again] = ingest(ws, [SHAPES / "mastodon" / "archive"])
    assert (again.counts.new, again.counts.updated) == (0, 0)
