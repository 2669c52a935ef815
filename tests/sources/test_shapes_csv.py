"""Tweet CSVs as twarc-csv, 4CAT and minet write them: recognised by their documented headers, no --map."""

from __future__ import annotations

import json

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Post, Problem
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.csv.importer import CsvImporter
from vigil.sources.csv.profiles import match

HERE = DATA / "shapes" / "csv"
ORIGINAL = "twitter:1779000000000000001"


def read(name: str) -> tuple[dict[str, Post], list[Problem]]:
    recs = list(CsvImporter().iter_records(HERE / name, ImportOptions()))
    return {r.uid: r for r in recs if isinstance(r, Post)}, [r for r in recs if isinstance(r, Problem)]


@pytest.mark.parametrize(
    ("name", "tool"),
    [
        ("twarc_csv.csv", "twarc-csv"),
        ("twarc_csv_0.1.csv", "twarc-csv"),
        ("4cat_twitterv2.csv", "4cat-twitter"),
        ("minet_tweets.csv", "minet-twitwi"),
    ],
)
def test_header_is_recognised_and_claimed_over_generic_sheets(name, tool):
    path = HERE / name
    header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    profile = match(header)
    assert profile is not None and profile.name == tool
    assert CsvImporter().detect(path, read_head(path)) == 80
    assert match(["Tweet ID", "Tweet Text", "date"]) is None


def test_twarc_csv():
    posts, problems = read("twarc_csv.csv")
    assert not problems and len(posts) == 4
    first = posts[ORIGINAL]
    assert first.text == "Water truck at the school gate until 22:00\nbring containers"  # twarc-csv's \n undone
    assert first.kind == "post" and first.author.handle == "harbor_mira" and first.author.name == "Mira Haddad"
    assert first.author.id == "2244994945" and first.url == "https://x.com/harbor_mira/status/1779000000000000001"
    assert (first.metrics.likes, first.metrics.shares, first.metrics.replies) == (40, 12, 3)
    assert (first.metrics.quotes, first.metrics.views) == (1, 1520)
    assert first.created_at.isoformat() == "2026-04-13T19:04:11+00:00" and first.time_quality == "exact"
    rt = posts["twitter:1779000000000000002"]
    assert rt.kind == "repost" and rt.repost_of == ORIGINAL
    assert rt.metrics.likes is None  # the copy of the original's figures is not the retweet's
    quote = posts["twitter:1779000000000000003"]
    assert quote.kind == "quote" and quote.quote_of == ORIGINAL and quote.metrics.likes == 5
    reply = posts["twitter:1779000000000000004"]
    assert reply.kind == "reply" and reply.reply_to == ORIGINAL
    row = json.loads(first.raw)
    assert row["__twarc.version"] == "2.14.0" and row["text"].endswith("22:00\\nbring containers")  # raw: the cell


def test_early_twarc_csv_with_json_text_and_referenced_tweets_cell():
    posts, problems = read("twarc_csv_0.1.csv")
    assert not problems and len(posts) == 3
    assert posts["twitter:1170000000000000001"].text == "Arrived safely at the shelter \u2014 thank you all!\nMore soon"
    inlined = posts["twitter:1169000000000000002"]  # `type` quoted: the row is the quoted tweet, not a quote
    assert inlined.kind == "post" and inlined.metrics.likes == 15606
    quote = posts["twitter:1169000000000000003"]
    assert quote.kind == "quote" and quote.quote_of == "twitter:1169000000000000002"


def test_4cat_twitter_export():
    posts, problems = read("4cat_twitterv2.csv")
    assert not problems and len(posts) == 4
    first = posts[ORIGINAL]
    assert first.text == "Water truck at the school gate until 22:00\nbring containers"
    assert first.created_at.isoformat() == "2026-04-13T19:04:11+00:00" and first.time_quality == "exact"  # unix
    assert first.author.handle == "harbor_mira" and first.author.name == "Mira Haddad" and first.lang == "en"
    assert first.url == "https://twitter.com/harbor_mira/status/1779000000000000001"
    assert (first.metrics.likes, first.metrics.shares, first.metrics.quotes, first.metrics.views) == (40, 12, 1, 1520)
    kinds = {uid: p.kind for uid, p in posts.items()}
    assert list(kinds.values()) == ["post", "repost", "quote", "reply"]
    assert posts["twitter:1779000000000000004"].reply_to is None  # 4CAT names the user replied to, not the tweet


def test_minet_tweets():
    posts, problems = read("minet_tweets.csv")
    assert not problems and len(posts) == 4
    first = posts[ORIGINAL]
    assert first.created_at.isoformat() == "2026-04-13T19:04:11+00:00" and first.time_quality == "exact"
    assert first.author.id == "2244994945" and first.author.name == "Mira Haddad" and first.metrics.likes == 40
    rt = posts["twitter:1779000000000000002"]
    assert rt.kind == "repost" and rt.repost_of == ORIGINAL and rt.text.startswith("RT @harbor_mira: ")
    assert posts["twitter:1779000000000000003"].quote_of == ORIGINAL
    reply = posts["twitter:1779000000000000004"]
    assert reply.kind == "reply" and reply.reply_to == ORIGINAL


def test_the_same_tweets_from_two_tools_are_one_post(ws):
    (a,) = ingest(ws, [HERE / "4cat_twitterv2.csv"])
    (b,) = ingest(ws, [HERE / "minet_tweets.csv"])
    assert a.format == b.format == "csv" and a.counts.new == 4 and b.counts.new == 0
