from __future__ import annotations

import json
import time

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest, plan
from vigil.records import Post, Problem
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.mastodon.html_text import html_to_text
from vigil.sources.mastodon.importer import MastodonImporter
from vigil.store.queries import PostFilter

FOLDER = DATA / "mastodon"
LIST = FOLDER / "statuses.json"
SINGLE = FOLDER / "single.json"
JSONL = FOLDER / "statuses.jsonl"
QUOTES = FOLDER / "quotes.json"
AMAL = "https://harbor.social/users/amal/statuses/"
SAMI = "https://relief.example/users/sami/statuses/"


def read(path) -> list:
    return list(MastodonImporter().iter_records(path, ImportOptions()))


def posts_of(recs: list) -> dict[str, Post]:
    return {r.id: r for r in recs if isinstance(r, Post)}


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>one</p>\n<p>two</p>", "one\n\ntwo"),
        ("<p>a<br>b<br />c</p>", "a\nb\nc"),
        ("<p>&lt;b&gt; &amp; &quot;q&quot; &#x1F64F; &eacute;</p>", '<b> & "q" 🙏 é'),
        ("<p>keep  two  spaces, and typos teh</p>", "keep  two  spaces, and typos teh"),
        ("no markup at all", "no markup at all"),
        ("<p>safe</p><script>alert('x')</script><style>p{}</style><p>after</p>", "safe\n\nafter"),
        ("<SCRIPT type=x>alert(1)</SCRIPT >visible", "visible"),
        ("<p>before<script>never closed <p>hidden</p>", "before"),
        ("<p>unclosed <b>bold <i>it", "unclosed bold it"),
        ("<p>a<!-- comment <p>x</p> --> b</p>", "a b"),
        ("I <3 you", "I <3 you"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html)[0] == text


def test_html_links_skip_mentions_and_hashtags():
    html = (
        '<p><a href="https://h.example/tags/x" class="mention hashtag" rel="tag">#x</a> '
        '<span class="h-card"><a href="https://h.example/@bo" class="u-url mention">@bo</a></span> '
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow">link</a> <a href="javascript:x">no</a></p>'
    )
    assert html_to_text(html) == ("#x @bo link no", ["https://example.org/a?b=1&c=2"])


@pytest.mark.parametrize("hostile", ["<a " * 60000, "<div>" * 60000 + "x", '<p x="' * 60000, "<!--" * 60000])
def test_hostile_html_is_linear(hostile):
    t = time.perf_counter()
    html_to_text(hostile)
    assert time.perf_counter() - t < 3  # html.parser took minutes on the first of these


def test_statuses_list_with_boost_and_reply():
    recs = read(LIST)
    assert not [r for r in recs if isinstance(r, Problem)]
    posts = posts_of(recs)
    assert list(posts) == [
        f"{AMAL}110000000000000100",
        f"{AMAL}110000000000000090",  # the boosted status, before its boost
        f"{SAMI}110000000000000200/activity",
        f"{SAMI}110000000000000300",
    ]
    water = posts[f"{AMAL}110000000000000100"]
    assert water.text == (
        "Water trucks reached #Harbor square & people are queing. Thanks @ops\n\n"
        "Bring containers\nand patience. https://example.org/water"
    )
    assert water.author.handle == "amal@harbor.social" and water.author.id == "amal@harbor.social"
    assert water.author.name == "Amal (Harbor)"
    assert water.author.bio == "Nurse in Harbor. Posting when I can & when there is power."
    assert water.hashtags == ["harbor"] and water.mentions == ["ops@relief.example"]
    assert water.links == ["https://example.org/water"]
    assert (water.metrics.likes, water.metrics.shares, water.metrics.replies) == (12, 5, 2)
    assert water.edited_at.isoformat() == "2026-03-01T10:05:00+00:00"
    assert water.url == "https://harbor.social/@amal/110000000000000100" and water.lang == "en"
    assert water.title is None
    assert water.media[0].type == "photo" and water.media[0].url == "https://harbor.social/system/media/1.jpg"
    inner = posts[f"{AMAL}110000000000000090"]
    assert inner.title == "CW: injuries" and inner.text == "Twelve injured brought to the clinic tonight."
    boost = posts[f"{SAMI}110000000000000200/activity"]
    assert boost.kind == "repost" and boost.repost_of == inner.uid
    assert (boost.text, boost.title) == (inner.text, inner.title)
    assert boost.author.handle == "sami@relief.example"
    assert json.loads(boost.raw)["reblog"]["uri"] == inner.id and json.loads(inner.raw)["uri"] == inner.id
    reply = posts[f"{SAMI}110000000000000300"]
    assert reply.kind == "reply" and reply.reply_to == water.uid  # the parent's local id, found in the same file
    assert reply.text == "@amal نحن في الطريق مع الإمدادات" and reply.lang == "ar"


def test_single_hostile_status():
    (post,) = posts_of(read(SINGLE)).values()
    assert post.text == "Stay safe\n\nShelter at <school> 🙏 now please\n\nnested"
    assert "alert" not in post.text and "color" not in post.text


def test_jsonl_bad_line_and_bad_date():
    recs = read(JSONL)
    problems = [(r.where, r.message) for r in recs if isinstance(r, Problem)]
    assert problems[0][0] == "line 2" and "bad status JSON" in problems[0][1]
    assert problems[1] == ("line 3", "created_at 'not a date' is not an ISO 8601 time")
    posts = posts_of(recs)
    assert posts[f"{AMAL}110000000000000600"].time_quality == "unknown"
    assert posts[f"{AMAL}110000000000000600"].text == 'Line three "quoted"'
    assert len(posts) == 2


def test_quotes_full_and_shallow():
    recs = read(QUOTES)
    posts = posts_of(recs)
    assert list(posts) == [f"{AMAL}110000000000000700", f"{SAMI}110000000000000800", f"{SAMI}110000000000000900"]
    quote = posts[f"{SAMI}110000000000000800"]
    assert quote.kind == "quote" and quote.quote_of == f"mastodon:{AMAL}110000000000000700"
    assert quote.text == "RE: harbor.social/@amal/110000000000000700\n\nWe can bring one tomorrow."
    assert quote.metrics.quotes == 1
    shallow = posts[f"{SAMI}110000000000000900"]
    assert shallow.kind == "quote" and shallow.quote_of is None  # only a local id: the URI is unknown


def test_nesting_too_deep_is_refused(tmp_path):
    status = {"uri": "https://x.example/s/0", "content": "<p>0</p>", "account": {"acct": "a"}}
    for i in range(1, 6):
        status = {"uri": f"https://x.example/s/{i}", "content": "", "account": {"acct": "a"}, "reblog": status}
    f = tmp_path / "deep.json"
    f.write_text(json.dumps(status))
    recs = read(f)
    assert [p.id for p in posts_of(recs).values()] == [f"https://x.example/s/{i}" for i in (2, 3, 4, 5)]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where == "line 1, reblog, reblog, reblog, reblog" and "too deep" in problem.message


def test_status_without_uri_is_a_problem(tmp_path):
    f = tmp_path / "s.json"
    f.write_text(json.dumps({"id": "1", "content": "<p>x</p>", "account": {"acct": "a"}}))
    recs = read(f)
    assert len(recs) == 1 and isinstance(recs[0], Problem) and "uri" in recs[0].message


def test_detection():
    imp = MastodonImporter()
    for path in (LIST, SINGLE, JSONL, QUOTES):
        assert imp.detect(path, read_head(path)) == 90
    other = DATA / "twarc2" / "page_with_bad_line.jsonl"
    assert imp.detect(other, read_head(other)) == 0
    tg = DATA / "telegram" / "ChatExport_2026-03-02" / "result.json"
    assert imp.detect(tg, read_head(tg)) == 0
    assert {u.importer.name for u in plan([FOLDER], ImportOptions())} == {"mastodon"}


def test_ingest_reingest_and_edit(ws, tmp_path):
    results = ingest(ws, [FOLDER])
    assert [(r.path.name, r.counts.new, r.counts.failed) for r in results] == [
        ("account_status.json", 5, 0),
        ("quotes.json", 3, 0),
        ("search_v2.json", 3, 0),  # an /api/v2/search result: its two statuses and the status one boosts
        ("single.json", 1, 0),
        ("statuses.json", 1, 0),  # three of its statuses came in with the search result
        ("statuses.jsonl", 2, 2),
    ]
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    water = recs[f"mastodon:{AMAL}110000000000000100"]
    assert water["text"].startswith("Water trucks reached #Harbor square & people are queing.")
    assert water["author"] == {"id": "amal@harbor.social", "handle": "amal@harbor.social", "name": "Amal (Harbor)"}
    assert water["metrics"]["likes"] == 12 and water["created_at"] == "2026-03-01T10:00:00Z"
    assert recs[f"mastodon:{SAMI}110000000000000200/activity"]["repost_of"] == f"mastodon:{AMAL}110000000000000090"
    assert recs[f"mastodon:{AMAL}110000000000000600"]["time_quality"] == "unknown"
    again = ingest(ws, [LIST])[0].counts
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    statuses = json.loads(LIST.read_text(encoding="utf-8"))
    statuses[0]["content"] = statuses[0]["content"].replace("queing", "queuing")
    statuses[0]["edited_at"] = "2026-03-01T10:20:00.000Z"
    later = tmp_path / "later.json"
    later.write_text(json.dumps(statuses, ensure_ascii=False), encoding="utf-8")
    c = ingest(ws, [later])[0].counts
    assert (c.new, c.updated) == (0, 1)  # the rest were re-serialized, but text and metrics are the same
    rec = {r["uid"]: r for r in iter_records(ws, PostFilter())}[f"mastodon:{AMAL}110000000000000100"]
    assert rec["versions"] == 2 and "people are queuing" in rec["text"]


def test_local_mentions_get_their_domain_and_a_broken_boost_stays_a_repost(tmp_path):
    acc = {"acct": "amal", "url": "https://harbor.social/@amal"}
    ok = {
        "uri": "https://harbor.social/users/amal/statuses/1",
        "content": "<p>hi @bo</p>",
        "account": acc,
        "mentions": [{"acct": "bo", "url": "https://harbor.social/@bo"}],
    }
    broken = {"uri": "https://harbor.social/users/amal/statuses/2/activity", "account": acc, "reblog": {"uri": 5}}
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps(ok) + "\n" + json.dumps(broken) + "\n")
    recs = read(f)
    posts = posts_of(recs)
    assert posts[ok["uri"]].mentions == ["bo@harbor.social"]
    boost = posts[broken["uri"]]
    assert boost.kind == "repost" and boost.repost_of is None and boost.text == ""
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where == "line 2, reblog" and "$.uri" in problem.message


def _status_line(local: int, uri: str, reply_to: int | None = None, quoted: int | None = None) -> str:
    status = {
        "id": str(local),
        "uri": uri,
        "created_at": "2026-03-01T10:00:00Z",
        "account": {"acct": "amal", "url": "https://harbor.social/@amal"},
        "content": f"<p>status {local}</p>",
        "in_reply_to_id": str(reply_to) if reply_to else None,
    }
    if quoted:
        status["quote"] = {"state": "accepted", "quoted_status_id": str(quoted)}
    return json.dumps(status) + "\n"


def test_a_reply_names_its_parent_found_anywhere_in_the_file(tmp_path):
    src = tmp_path / "timeline.jsonl"  # newest first, as timelines are: replies come before their parents
    src.write_text(
        _status_line(3, "https://harbor.social/s/3", reply_to=2)
        + _status_line(4, "https://harbor.social/s/4", reply_to=99)  # its parent is not in the file
        + _status_line(5, "https://harbor.social/s/5", quoted=1)  # a shallow quote: only the local id
        + _status_line(2, "https://harbor.social/s/2", reply_to=1)
        + _status_line(1, "https://harbor.social/s/1"),
        encoding="utf-8",
    )
    posts = posts_of(read(src))
    assert posts["https://harbor.social/s/3"].reply_to == "mastodon:https://harbor.social/s/2"
    assert posts["https://harbor.social/s/2"].reply_to == "mastodon:https://harbor.social/s/1"
    assert posts["https://harbor.social/s/4"].reply_to is None
    assert posts["https://harbor.social/s/4"].kind == "reply"
    assert posts["https://harbor.social/s/5"].quote_of == "mastodon:https://harbor.social/s/1"
