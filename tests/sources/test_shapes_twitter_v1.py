"""Twitter API v1.1 as its clients wrote it: timeline arrays, search responses, stream lines and notices."""

from __future__ import annotations

import json

from tests.sources.shapes import SHAPES, read

ORIGINAL = "twitter:1779000000000000001"
REPLY = "twitter:1779000000000000004"


def test_user_timeline_array_in_extended_mode():
    r = read("twitter_v1", "user_timeline.json")
    assert r.format == "twitter_v1" and not r.problems and list(r.posts) == [REPLY, ORIGINAL]
    reply = r.posts[REPLY]
    assert reply.kind == "reply" and reply.reply_to == ORIGINAL and reply.author.handle == "ada_lin"
    assert reply.text == "@harbor_mira is it drinking water?"  # full_text whole, display range aside
    original = r.posts[ORIGINAL]
    assert original.created_at.isoformat() == "2026-04-13T19:04:11+00:00" and original.metrics.likes == 40
    assert original.metrics.shares == 12 and [m.type for m in original.media] == ["photo"]


def test_search_response_with_statuses_and_metadata():
    r = read("twitter_v1", "search_tweets.json")
    assert not r.problems and list(r.posts) == [REPLY, ORIGINAL]


def test_stream_lines_with_a_retweet_a_long_tweet_and_notices():
    r = read("twitter_v1", "stream.jsonl")
    assert r.format == "twitter_v1" and not r.problems
    assert list(r.posts) == [ORIGINAL, "twitter:1779000000000000002", "twitter:1779000000000000006"]
    rt = r.posts["twitter:1779000000000000002"]
    assert rt.kind == "repost" and rt.repost_of == ORIGINAL and rt.author.handle == "tomas_r"
    long = r.posts["twitter:1779000000000000006"]
    assert (
        long.text
        == json.loads((SHAPES / "twitter_v1" / "stream.jsonl").read_text().splitlines()[2])["extended_tweet"][
            "full_text"
        ]
    )  # the whole text of a tweet over 140 characters, not the cut one
    (deletion,) = r.deletions
    assert deletion.uid == REPLY and deletion.at.isoformat() == "2026-04-14T07:00:00+00:00"
    assert r.skipped == ["not a tweet (stream notice or other object)"]  # the limit notice
