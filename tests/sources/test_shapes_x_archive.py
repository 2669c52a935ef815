"""X archives of both generations: tweet.js with bare tweets (2019 and before) and tweets.js with wrapped ones."""

from __future__ import annotations

from tests.sources.shapes import read

from vigil.records import Scope


def test_old_archive_tweet_js_bare_tweets():
    r = read("x_archive", "old")
    assert r.format == "x_archive" and not r.problems
    assert list(r.posts) == ["twitter:1170000000000000101", "twitter:1170000000000000102"]
    first = r.posts["twitter:1170000000000000101"]
    assert first.text == "Shelter on Elm street is open tonight" and first.author.handle == "harbor_mira"
    assert first.author.id == "2244994945" and first.metrics.likes == 3 and first.metrics.shares == 1
    assert first.created_at.isoformat() == "2019-09-06T20:38:01+00:00"
    reply = r.posts["twitter:1170000000000000102"]
    assert reply.kind == "reply" and reply.reply_to == "twitter:1170000000000000050"
    assert Scope(kind="account", key="twitter:2244994945") in r.records


def test_new_archive_tweets_js_with_edit_info_and_a_retweet():
    r = read("x_archive", "new")
    assert r.format == "x_archive" and not r.problems
    original = r.posts["twitter:1779000000000000001"]
    assert (
        original.text == "Water truck at the school gate until 22:00\nbring containers" and original.metrics.likes == 40
    )
    rt = r.posts["twitter:1779000000000000007"]
    assert rt.kind == "repost" and rt.text.startswith("RT @tomas_r: ")  # an archive keeps only the cut RT text
    assert Scope(kind="account", key="twitter:2244994945") in r.records
