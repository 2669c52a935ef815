"""twarc2 output of every command that writes tweets: search, timeline, stream (rules, errors) and flatten."""

from __future__ import annotations

from tests.sources.shapes import SHAPES, Read, read

ORIGINAL = "twitter:1779000000000000001"
REPLY = "twitter:1779000000000000004"


def test_search_page_with_expansions():
    r = read("twarc2", "search.jsonl")
    assert r.format == "twarc2" and not r.problems
    assert list(r.posts) == [REPLY, "twitter:1779000000000000003", ORIGINAL]  # data first, then includes.tweets
    reply = r.posts[REPLY]
    assert reply.kind == "reply" and reply.reply_to == ORIGINAL and reply.author.handle == "ada_lin"
    assert r.posts["twitter:1779000000000000003"].quote_of == ORIGINAL
    original = r.posts[ORIGINAL]
    assert (
        original.text == "Water truck at the school gate until 22:00\nbring containers #harbor https://t.co/AbCdEf1234"
    )
    assert original.hashtags == ["harbor"] and original.metrics.likes == 40 and original.metrics.views == 1520
    assert [(m.type, m.url) for m in original.media] == [("photo", "https://pbs.twimg.com/media/Fictional0.jpg")]


def test_user_timeline_page_with_a_retweet():
    r = read("twarc2", "timeline.jsonl")
    assert r.format == "twarc2" and not r.problems and len(r.posts) == 3
    rt = r.posts["twitter:1779000000000000002"]
    assert rt.kind == "repost" and rt.repost_of == ORIGINAL and rt.author.handle == "tomas_r"
    assert rt.text == r.posts[ORIGINAL].text  # the retweet's text is the original's, not the cut "RT @…"


def test_stream_lines_with_matching_rules():
    r = read("twarc2", "stream.jsonl")
    assert not r.problems
    assert sorted(r.posts) == [ORIGINAL, REPLY]
    assert r.posts[REPLY].reply_to == ORIGINAL and r.posts[ORIGINAL].author.handle == "harbor_mira"


def test_stream_with_a_disconnect_and_a_cut_last_line():
    r = read("twarc2", "stream_with_errors.jsonl")
    assert sorted(r.posts) == [ORIGINAL, REPLY]
    assert [p.where for p in r.problems] == ["line 4"]  # the cut line only
    assert any("operational-disconnect" in s for s in r.skipped)


def test_stream_disconnect_is_skipped_not_stored():
    r = read("twarc2", "stream_with_errors.jsonl")
    assert r.skipped == ["resource error (operational-disconnect): not read as a deletion"]


def test_flatten_one_tweet_per_line():
    r = read("twarc2", "flatten.jsonl")
    assert r.format == "twarc2" and not r.problems
    assert list(r.posts) == [ORIGINAL, "twitter:1779000000000000003", REPLY]
    assert r.posts[REPLY].author.name == "Ada Lin" and r.posts[REPLY].reply_to == ORIGINAL
    assert r.posts["twitter:1779000000000000003"].kind == "quote"


def test_flatten_keeps_expanded_media():
    r = read("twarc2", "flatten.jsonl")
    assert [m.url for m in r.posts[ORIGINAL].media] == ["https://pbs.twimg.com/media/Fictional0.jpg"]


def test_flatten_stores_the_referenced_tweets_it_expands(tmp_path):
    quote_line = (SHAPES / "twarc2" / "flatten.jsonl").read_text(encoding="utf-8").splitlines()[1]
    (tmp_path / "quote_only.jsonl").write_text(quote_line + "\n", encoding="utf-8")
    r = Read(tmp_path / "quote_only.jsonl")
    assert ORIGINAL in r.posts and r.posts[ORIGINAL].author.handle == "harbor_mira"
