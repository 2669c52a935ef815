from __future__ import annotations

import json

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Deletion, HandleChange, Post, Problem, Skipped
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.bluesky.importer import BlueskyImporter
from vigil.sources.bluesky.post import facet_entities
from vigil.sources.bluesky.types import ByteSlice, Facet, Feature
from vigil.store.payloads import read_payload
from vigil.store.queries import PostFilter

BSKY = DATA / "bluesky"
RANA = "did:plc:rana7xq2fictional4zzzzz"
MEDIC = "did:plc:medic3kk7fictional2yyyy"
DESK = "did:plc:deskq5ww4fictional6xxxx"
NEW = "did:plc:newv0ice4fictional7wwww"
A_URI = f"at://{RANA}/app.bsky.feed.post/3kabc2north01"


def read(name: str) -> list:
    return list(BlueskyImporter().iter_records(BSKY / name, ImportOptions()))


def posts_of(recs: list) -> dict[str, Post]:
    return {r.uid: r for r in recs if isinstance(r, Post)}


def test_facets_are_utf8_byte_offsets_over_arabic_and_emoji():
    a = posts_of(read("search_posts.json"))[f"bluesky:{A_URI}"]
    raw = json.loads(a.raw)
    tag_facet = raw["record"]["facets"][0]["index"]
    # the byte offset is far from the character offset in this text: reading it as characters would be wrong
    assert tag_facet["byteStart"] != a.text.index("#ممر_آمن")
    assert a.hashtags == ["ممر_آمن"]
    assert a.mentions == ["medic-north.example.net"]
    assert a.links == ["https://maps.example.org/route/7"]
    assert a.text.startswith("🚨 الجسر") and a.lang == "ar"
    assert a.media[0].type == "photo" and a.media[0].url.endswith("bafkreibridge1@jpeg")
    assert (a.metrics.likes, a.metrics.shares, a.metrics.replies, a.metrics.quotes) == (40, 12, 3, 1)
    assert a.url == "https://bsky.app/profile/rana-h.example.org/post/3kabc2north01"


def test_mention_span_cut_mid_character_falls_back_to_the_did():
    text = "يا @سلمى"
    data = text.encode()
    start = data.index(b"@")
    facets = [
        Facet(
            index=ByteSlice(byte_start=start, byte_end=len(data) - 1),
            features=[Feature(type="app.bsky.richtext.facet#mention", did="did:plc:x")],
        )
    ]
    assert facet_entities(text, facets)[1] == ["did:plc:x"]
    facets[0].index.byte_end = len(data)
    assert facet_entities(text, facets)[1] == ["سلمى"]


def test_search_posts_kinds_quote_reply_and_suspect_future_time():
    recs = read("search_posts.json")
    assert not [r for r in recs if isinstance(r, Problem)]
    posts = posts_of(recs)
    quote = posts[f"bluesky:at://{DESK}/app.bsky.feed.post/3kabc2quote01"]
    clinic = f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2clinic1"
    assert quote.kind == "quote" and quote.quote_of == clinic
    assert quote.text == "pleese share — they are out of insulin by friday"  # typo kept
    assert quote.author.handle is None  # handle.invalid is not a handle
    assert quote.url == f"https://bsky.app/profile/{DESK}/post/3kabc2quote01"
    assert posts[clinic].text.endswith("We need insulin.")  # the quoted post, from the embed view
    reply = posts[f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2reply01"]
    assert reply.kind == "reply" and reply.reply_to == f"bluesky:{A_URI}"
    assert reply.mentions == ["rana-h.example.org"]
    future = posts[f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2future1"]
    assert future.time_quality == "suspect" and future.created_at.year == 2031  # kept as given
    assert posts[f"bluesky:{A_URI}"].time_quality == "exact"


def test_author_feed_repost_is_the_reposters_post_and_the_original_is_kept():
    recs = read("author_feed.json")
    posts = posts_of(recs)
    rid = f"bluesky:{DESK}/repost/{A_URI}"
    rp = posts[rid]
    assert rp.kind == "repost" and rp.repost_of == f"bluesky:{A_URI}"
    assert rp.author.id == DESK and rp.text == posts[f"bluesky:{A_URI}"].text
    assert rp.created_at.isoformat() == "2026-11-20T06:00:00+00:00"
    assert json.loads(rp.raw)["reason"]["$type"].endswith("#reasonRepost")
    # the pinned post is not a repost; the reply's parent arrives from the reply refs
    assert [p.kind for p in posts.values()].count("repost") == 1
    assert posts[f"bluesky:at://{DESK}/app.bsky.feed.post/3kabc2desk002"].reply_to == (
        f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2reply01"
    )
    assert f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2reply01" in posts


def test_thread_walks_parents_and_nested_replies_and_skips_not_found():
    recs = read("post_thread.json")
    assert not [r for r in recs if not isinstance(r, Post)]
    rkeys = sorted(p.id.rsplit("/", 1)[1] for p in posts_of(recs).values())
    assert rkeys == ["3kabc2north01", "3kabc2reply01", "3kabc2thank01", "3kabc2thank02"]
    deepest = posts_of(recs)[f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2thank02"]
    assert deepest.reply_to.endswith("3kabc2thank01") and deepest.text == "ok 👍"


def test_jetstream_events():
    recs = read("jetstream.jsonl")
    kinds = [type(r).__name__ for r in recs]
    assert kinds == [
        "Post", "HandleChange", "Post", "Post", "Skipped", "Skipped", "AccountStatus", "Problem", "Deletion",
    ]  # fmt: skip
    first, change, second, reply = recs[0], recs[1], recs[2], recs[3]
    assert first.author.id == NEW and first.author.handle is None
    assert first.hashtags == ["الميناء"] and first.lang == "ar"
    assert first.raw.startswith(b'{"did": "did:plc:newv0ice') and first.raw.endswith(b"}")  # the line verbatim
    assert isinstance(change, HandleChange) and change.account_uid == f"bluesky:{NEW}"
    assert change.handle == "harbor-voice.example.org"
    assert second.author.handle == "harbor-voice.example.org"  # known after the identity event
    assert second.media[0].url.endswith(f"{NEW}/bafkreiport1@jpeg")
    assert reply.kind == "reply" and reply.reply_to.endswith("3kjetpost0002")
    assert [r.reason for r in recs if isinstance(r, Skipped)] == [
        "collection app.bsky.feed.like",
        "collection app.bsky.graph.follow",
    ]
    back = recs[6]
    assert (back.account_uid, back.status) == (f"bluesky:{NEW}", "active")  # an account event, no longer skipped
    assert back.at.isoformat() == "2026-11-21T00:03:00+00:00"
    problem = next(r for r in recs if isinstance(r, Problem))
    assert problem.where.startswith("line 8")
    deletion = recs[-1]
    assert isinstance(deletion, Deletion) and deletion.uid == first.uid
    assert deletion.at.isoformat() == "2026-11-21T01:00:00+00:00"


def test_detect_tells_jetstream_from_appview_and_ignores_others():
    imp = BlueskyImporter()
    for name in ("search_posts.json", "author_feed.json", "post_thread.json", "search_polls.jsonl", "jetstream.jsonl"):
        assert imp.detect(BSKY / name, read_head(BSKY / name)) == 95
    for other in (DATA / "twarc2").iterdir():
        assert imp.detect(other, read_head(other)) == 0


def test_ingest_export_deletion_handle_kinds_and_reingest(ws):
    files = sorted(
        f
        for f in BSKY.iterdir()
        if f.name not in ("search_polls.jsonl", "jetstream_account.jsonl", "search_damaged.json")
    )
    first = ingest(ws, files)
    assert all(r.format == "bluesky" for r in first)
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    gone = recs[f"bluesky:at://{NEW}/app.bsky.feed.post/3kjetpost0001"]
    assert gone["deleted_at"] == "2026-11-21T01:00:00Z" and gone["text"].startswith("الماء انقطع")
    assert gone["author"]["handle"] == "harbor-voice.example.org"  # filled by the identity event after it
    assert recs[f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2future1"]["time_quality"] == "suspect"
    assert recs[f"bluesky:{DESK}/repost/{A_URI}"]["kind"] == "repost"
    kinds = sorted({r["kind"] for r in recs.values()})
    assert kinds == ["post", "quote", "reply", "repost"]
    total = len(recs)
    assert total == 13
    second = ingest(ws, files)
    assert sum(r.counts.new + r.counts.updated for r in second) == 0
    after = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert len(after) == total
    assert all(r["versions"] == 1 for r in after.values())
    assert after[gone["uid"]]["deleted_at"] == gone["deleted_at"]


def test_polls_jsonl_keeps_the_latest_figures(ws):
    polls = BSKY / "search_polls.jsonl"
    first = ingest(ws, [polls])[0].counts
    assert (first.new, first.failed) == (2, 0)
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs[f"bluesky:at://{MEDIC}/app.bsky.feed.post/3kabc2future1"]["metrics"]["likes"] == 9
    again = ingest(ws, [polls])[0].counts
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_jsonl_line_names_its_column_and_other_responses_are_skipped(tmp_path):
    f = tmp_path / "mixed.jsonl"
    lines = (BSKY / "search_polls.jsonl").read_text().splitlines()
    likes = {"uri": A_URI, "likes": [{"actor": {"did": MEDIC}, "createdAt": "2026-11-20T06:00:00Z"}]}
    f.write_text(lines[0] + "\n" + '{"posts": [tru]}\n' + json.dumps(likes) + "\n")
    recs = list(BlueskyImporter().iter_records(f, ImportOptions()))
    assert [type(r).__name__ for r in recs] == ["Post", "Post", "Problem", "Skipped"]
    assert (
        recs[2].where == "line 2, posts[0]"
    )  # the damaged item, read alone (the others of its response would be kept)


def test_record_with_media_quote_and_jetstream_update(tmp_path):
    quoted = f"at://{MEDIC}/app.bsky.feed.post/3kabc2clinic1"
    record = {
        "$type": "app.bsky.feed.post",
        "text": "look",
        "createdAt": "2026-11-21T00:05:00Z",
        "embed": {
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {"$type": "app.bsky.embed.record", "record": {"uri": quoted, "cid": "bafyreiq"}},
            "media": {
                "$type": "app.bsky.embed.video",
                "video": {"$type": "blob", "ref": {"$link": "bafkv"}, "mimeType": "video/mp4", "size": 5},
            },
        },
    }
    view = {
        "uri": f"at://{NEW}/app.bsky.feed.post/3kjetpost0009",
        "cid": "bafyreiv",
        "record": record,
        "author": {"did": NEW, "handle": "harbor-voice.example.org"},
        "indexedAt": "2026-11-21T00:05:01Z",
        "embed": {
            "$type": "app.bsky.embed.recordWithMedia#view",
            "record": {
                "record": {
                    "$type": "app.bsky.embed.record#viewRecord",
                    "uri": quoted,
                    "author": {"did": MEDIC, "handle": "medic-north.example.net"},
                    "value": {"text": "quoted text", "createdAt": "2026-11-20T07:00:00Z"},
                    "indexedAt": "2026-11-20T07:00:01Z",
                }
            },
            "media": {
                "$type": "app.bsky.embed.video#view",
                "cid": "bafkv",
                "playlist": "https://video.example.invalid/bafkv/playlist.m3u8",
            },
        },
    }
    appview = tmp_path / "posts.json"
    appview.write_text(json.dumps({"posts": [view]}))
    recs = list(BlueskyImporter().iter_records(appview, ImportOptions()))
    assert [(r.kind, r.text) for r in recs] == [("quote", "look"), ("post", "quoted text")]
    assert recs[0].quote_of == f"bluesky:{quoted}"
    assert recs[0].media[0].type == "video" and recs[0].media[0].url.endswith("bafkv/playlist.m3u8")
    edit = {
        "did": NEW,
        "time_us": 1795219500 * 1_000_000,
        "kind": "commit",
        "commit": {
            "operation": "update",
            "collection": "app.bsky.feed.post",
            "rkey": "3kjetpost0009",
            "record": record,
            "cid": "bafyreiv2",
        },
    }
    jet = tmp_path / "jet.jsonl"
    jet.write_text(json.dumps(edit) + "\n")
    [post] = list(BlueskyImporter().iter_records(jet, ImportOptions()))
    assert post.kind == "quote" and post.edited_at.isoformat() == "2026-11-21T00:05:00+00:00"
    assert post.media[0].url.endswith(f"{NEW}/bafkv/playlist.m3u8")


def test_a_deletion_notice_before_its_post_is_kept_and_applied_when_the_post_arrives(ws, tmp_path):
    lines = (BSKY / "jetstream.jsonl").read_text(encoding="utf-8").splitlines()
    delete = next(x for x in lines if '"operation": "delete"' in x)
    create = next(x for x in lines if "3kjetpost0001" in x and '"operation": "create"' in x)
    first, second = tmp_path / "a-delete.jsonl", tmp_path / "b-create.jsonl"
    first.write_text(delete + "\n", encoding="utf-8")
    second.write_text(create + "\n", encoding="utf-8")
    counts = ingest(ws, [first])[0].counts
    assert (counts.new, counts.updated, counts.skipped) == (0, 0, 1)
    uid = f"bluesky:at://{NEW}/app.bsky.feed.post/3kjetpost0001"
    with ws.engine.connect() as conn:
        ((at, sha),) = conn.exec_driver_sql("SELECT deleted_at, raw_sha256 FROM tombstones WHERE uid = ?", (uid,))
        assert at == "2026-11-21T01:00:00Z"
        assert read_payload(conn, sha) == delete.encode()  # the notice itself is kept as evidence
    assert ingest(ws, [second])[0].counts.new == 1
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs[uid]["deleted_at"] == "2026-11-21T01:00:00Z" and recs[uid]["text"].startswith("الماء انقطع")
    assert ingest(ws, [first])[0].counts.skipped == 1  # the notice again: the post is deleted already
    assert {r["uid"]: r for r in iter_records(ws, PostFilter())}[uid]["deleted_at"] == "2026-11-21T01:00:00Z"
