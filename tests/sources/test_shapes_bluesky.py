"""Bluesky as clients save it: AppView responses (author feed, search, thread) and Jetstream event lines."""

from __future__ import annotations

from tests.sources.shapes import read

from vigil.records import AccountStatus, HandleChange

MIRA = "did:plc:mira4harbor5clinic6xyz"
TOMAS = "did:plc:tomas7reyes8port9abc"
ORIGINAL = f"bluesky:at://{MIRA}/app.bsky.feed.post/3lmharbor00a2"
REPLY = f"bluesky:at://{TOMAS}/app.bsky.feed.post/3lmharbor00b4"
QUOTE = f"bluesky:at://{TOMAS}/app.bsky.feed.post/3lmharbor00c6"


def test_author_feed_with_reply_context_and_a_repost_reason():
    r = read("bluesky", "getAuthorFeed.json")
    assert r.format == "bluesky" and not r.problems
    repost = f"bluesky:{TOMAS}/repost/at://{MIRA}/app.bsky.feed.post/3lmharbor00a2"
    assert sorted(r.posts) == sorted([ORIGINAL, REPLY, QUOTE, repost])
    original = r.posts[ORIGINAL]
    assert original.text == "Water truck at the school gate until 22:00\nbring containers #harbor"
    assert original.author.handle == "mira.harbor.example" and original.author.id == MIRA
    assert original.hashtags == ["harbor"] and original.lang == "en"
    assert (original.metrics.likes, original.metrics.shares, original.metrics.quotes) == (40, 12, 1)
    assert [m.type for m in original.media] == ["photo"]
    assert original.created_at.isoformat() == "2026-04-13T19:04:11.250000+00:00"
    assert r.posts[REPLY].reply_to == ORIGINAL and r.posts[QUOTE].quote_of == ORIGINAL
    assert r.posts[repost].kind == "repost" and r.posts[repost].repost_of == ORIGINAL
    assert r.posts[repost].author.handle == "tomas.bsky.social"


def test_search_posts_response():
    r = read("bluesky", "searchPosts.json")
    assert r.format == "bluesky" and not r.problems
    assert sorted(r.posts) == sorted([ORIGINAL, QUOTE])  # the quoted post comes in from the embed's view too
    assert r.posts[QUOTE].kind == "quote" and r.posts[QUOTE].metrics.likes == 5


def test_post_thread_with_a_reply_and_a_post_not_found():
    r = read("bluesky", "getPostThread.json")
    assert r.format == "bluesky" and not r.problems
    assert sorted(r.posts) == sorted([ORIGINAL, REPLY])


def test_jetstream_commits_identity_delete_and_account_events():
    r = read("bluesky", "jetstream.jsonl")
    assert r.format == "bluesky" and not r.problems
    assert list(r.posts) == [ORIGINAL, REPLY]
    assert r.posts[REPLY].reply_to == ORIGINAL
    assert [d.uid for d in r.deletions] == [REPLY]
    (handle,) = [x for x in r.records if isinstance(x, HandleChange)]
    assert handle.account_uid == f"bluesky:{MIRA}" and handle.handle == "mira.clinic.example"
    (status,) = [x for x in r.records if isinstance(x, AccountStatus)]
    assert status.account_uid == f"bluesky:{TOMAS}" and status.status == "deactivated"
