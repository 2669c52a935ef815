from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Deletion, Post, Problem, Scope
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.x_archive.importer import XArchiveImporter
from vigil.store import schema
from vigil.store.queries import PostFilter

ARCHIVE = DATA / "x_archive" / "archive"
PHOTO = ARCHIVE / "data" / "tweets_media" / "1600000000000000001-GateA1.jpg"
PLEA = "twitter:1600000000000000001"


def make_zip(dest: Path, root: Path = ARCHIVE, top: str = "", extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                zf.write(p, top + p.relative_to(root).as_posix())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return dest


def read(path: Path) -> list:
    return list(XArchiveImporter().iter_records(path, ImportOptions()))


def posts_of(recs: list) -> dict[str, Post]:
    return {r.uid: r for r in recs if isinstance(r, Post)}


def test_folder_tweets_with_author_numbers_kinds_and_media():
    recs = read(ARCHIVE)
    assert not [r for r in recs if isinstance(r, Problem)]
    posts = posts_of(recs)
    assert len(posts) == 6
    plea = posts[PLEA]
    assert (plea.author.id, plea.author.handle, plea.author.name) == ("3001", "harbour_nurse", "Amal – harbour clinic")
    assert plea.author.bio == "Nurse. North gate clinic. Posts are my own."
    assert (plea.metrics.likes, plea.metrics.shares) == (12, 30)  # given as strings in the archive
    assert plea.hashtags == ["Harbor"]
    assert plea.url == "https://x.com/harbour_nurse/status/1600000000000000001"
    (photo,) = plea.media
    assert photo.path == "data/tweets_media/1600000000000000001-GateA1.jpg"
    assert photo.sha256 == hashlib.sha256(PHOTO.read_bytes()).hexdigest()
    assert photo.url == "https://pbs.twimg.com/media/GateA1.jpg" and not photo.missing
    (video,) = posts["twitter:1600000000000000004"].media
    assert video.type == "video" and video.missing and video.path is None
    assert posts["twitter:1600000000000000004"].lang is None
    reply = posts["twitter:1600000000000000002"]
    assert reply.kind == "reply" and reply.reply_to == "twitter:1500000000000000004"
    assert reply.text == "@relay_desk thank you, we recieved the water &lt;3"  # verbatim, typo and entity kept
    rt = posts["twitter:1600000000000000003"]
    assert rt.kind == "repost" and rt.text.startswith("RT @relay_desk: ")
    assert b'"full_text"' in plea.raw and plea.raw.lstrip().startswith(b"{")
    assert recs[-1] == Scope(kind="account", key="twitter:3001")


def test_deleted_tweets_become_posts_then_deletions():
    recs = read(ARCHIVE)
    dels = [r for r in recs if isinstance(r, Deletion)]
    assert [d.uid for d in dels] == ["twitter:1600000000000000008", "twitter:1600000000000000009"]
    assert dels[0].at is not None and dels[0].at.isoformat() == "2026-03-02T07:20:00+00:00"
    assert dels[1].at is None
    i = recs.index(dels[0])
    assert isinstance(recs[i - 1], Post) and recs[i - 1].uid == dels[0].uid


def test_zip_reads_like_the_folder_without_extracting(tmp_path):
    z = make_zip(tmp_path / "twitter-2026-03-03.zip")
    assert XArchiveImporter().detect(z, read_head(z)) == 95
    from_zip, from_folder = read(z), read(ARCHIVE)
    assert [(r.uid, r.raw, r.media) for r in from_zip if isinstance(r, Post)] == [
        (r.uid, r.raw, r.media) for r in from_folder if isinstance(r, Post)
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["twitter-2026-03-03.zip"]


def test_rezipped_in_a_top_folder(tmp_path):
    z = make_zip(tmp_path / "a.zip", top="twitter-2026/")
    posts = posts_of(read(z))
    assert posts[PLEA].media[0].path == "twitter-2026/data/tweets_media/1600000000000000001-GateA1.jpg"


def test_zip_member_escaping_the_archive_is_reported_and_never_opened(tmp_path):
    evil = b'window.YTD.tweets.part0 = [{"tweet": {"id_str": "666", "full_text": "planted"}}]'
    z = make_zip(
        tmp_path / "evil.zip",
        extra={"../../evil": b"x", "/data/tweets-part9.js": evil, "data/../../tweets-part8.js": evil},
    )
    recs = read(z)
    problems = [r for r in recs if isinstance(r, Problem)]
    assert problems[0] == Problem(
        source=str(z), where="member ../../evil", message="zip member '../../evil' escapes the archive; skipped"
    )
    assert len(problems) == 3 and all("escapes the archive" in p.message for p in problems)
    assert "twitter:666" not in posts_of(recs) and len(posts_of(recs)) == 6


def test_damaged_tweets_js_keeps_good_tweets_and_claims_no_scope():
    recs = read(DATA / "x_archive" / "damaged" / "tweets.js")
    assert list(posts_of(recs)) == [PLEA]
    bad = [r for r in recs if isinstance(r, Problem)]
    assert [p.where for p in bad] == ["account.js", "tweets.js, item 2, line 123, column 29"]
    assert "the items before it were read" in bad[1].message
    assert not any(isinstance(r, Scope) for r in recs)


def test_bare_tweets_js_finds_the_account_beside_it_but_is_not_a_complete_scope():
    path = ARCHIVE / "data" / "tweets.js"
    assert XArchiveImporter().detect(path, read_head(path)) == 95
    recs = read(path)
    posts = posts_of(recs)
    assert len(posts) == 4 and posts[PLEA].author.handle == "harbour_nurse"
    assert posts[PLEA].media[0].path == "data/tweets_media/1600000000000000001-GateA1.jpg"
    assert not any(isinstance(r, (Scope, Deletion)) for r in recs)


@pytest.mark.parametrize("name", ["account.js", "deleted-tweets.js"])
def test_detect_ignores_other_archive_files_and_other_zips(tmp_path, name):
    path = ARCHIVE / "data" / name
    assert XArchiveImporter().detect(path, read_head(path)) == 0
    z = tmp_path / "other.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("notes/tweets.txt", "hello")
    assert XArchiveImporter().detect(z, read_head(z)) == 0
    assert XArchiveImporter().detect(tmp_path, b"") == 0


def test_ingest_zip_export_deletions_reingest_and_edit(ws, tmp_path):
    z = make_zip(tmp_path / "archive.zip")
    res = ingest(ws, [z])[0]
    assert res.format == "x_archive"
    assert (res.counts.new, res.counts.failed) == (6, 0)
    assert res.counts.scopes == [{"kind": "account", "key": "twitter:3001"}]
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs[PLEA]["media"][0]["sha256"] == hashlib.sha256(PHOTO.read_bytes()).hexdigest()
    assert recs[PLEA]["author"] == {"id": "3001", "handle": "harbour_nurse", "name": "Amal – harbour clinic"}
    assert recs["twitter:1600000000000000008"]["deleted_at"] == "2026-03-02T07:20:00Z"
    with ws.engine.connect() as conn:
        started = conn.execute(sa.select(schema.captures.c.started_at)).scalar_one()
    assert recs["twitter:1600000000000000009"]["deleted_at"] == started
    assert recs["twitter:1600000000000000001"]["deleted_at"] is None

    again = ingest(ws, [ARCHIVE])[0].counts  # the unpacked folder is the same content
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)

    edited = tmp_path / "edited"
    shutil.copytree(ARCHIVE, edited)
    js = edited / "data" / "tweets.js"
    js.write_text(js.read_text().replace("no more insulin.", "no more insulin or oxygen."))
    later = ingest(ws, [edited])[0].counts
    assert (later.new, later.updated, later.unchanged) == (0, 1, 5)
    rec = {r["uid"]: r for r in iter_records(ws, PostFilter())}[PLEA]
    assert rec["versions"] == 2 and "insulin or oxygen" in rec["text"]


def test_video_file_is_found_by_its_variant_name(tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE, root)
    mp4 = root / "data" / "tweets_media" / "1600000000000000004-Conv0y.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")  # an ISO BMFF header box
    (video,) = posts_of(read(root))["twitter:1600000000000000004"].media
    assert video.path == "data/tweets_media/1600000000000000004-Conv0y.mp4" and not video.missing
    assert video.sha256 == hashlib.sha256(mp4.read_bytes()).hexdigest()
    assert video.url == "https://pbs.twimg.com/ext_tw_video_thumb/78/pu/img/Conv0y.jpg"


def test_older_archive_tweet_js_with_parts_and_unwrapped_items(tmp_path):
    root = tmp_path / "old"
    shutil.copytree(ARCHIVE, root)
    data = root / "data"
    js = (data / "tweets.js").read_text()
    items = json.loads(js[js.index("=") + 1 :])
    (data / "tweets.js").unlink()
    (data / "tweet.js").write_text("window.YTD.tweet.part0 = " + json.dumps([i["tweet"] for i in items[:2]], indent=2))
    (data / "tweet-part1.js").write_text("window.YTD.tweet.part1 = " + json.dumps(items[2:], indent=2))
    recs = read(root)
    assert not [r for r in recs if isinstance(r, Problem)]
    assert [r.id for r in recs if isinstance(r, Post)][:4] == [f"160000000000000000{i}" for i in (1, 2, 3, 4)]
    assert XArchiveImporter().detect(root, b"") == 95


LONG = DATA / "x_archive" / "longposts"


def test_long_posts_take_their_whole_text_from_note_tweet_js():
    recs = read(LONG)
    posts = posts_of(recs)
    notes = json.loads((LONG / "data" / "note-tweet.js").read_text("utf-8").partition("=")[2])
    en, ar = (n["noteTweet"]["core"]["text"] for n in notes[:2])
    night = posts["twitter:1700000000000000001"]
    assert night.text == en  # the whole post, verbatim, not the first 280 characters
    assert night.text.endswith("#Harbourtown @redcrescent_hb https://clinic.example/needs")
    assert (night.hashtags, night.mentions) == (["Harbourtown"], ["redcrescent_hb"])
    assert "https://clinic.example/needs" in night.links
    both = json.loads(night.raw)  # the evidence: the tweet and the note, each as the archive gave it
    assert both["tweet"]["full_text"].endswith("… https://t.co/Ab12Cd34Ef")
    assert both["noteTweet"]["core"]["text"] == en
    assert posts["twitter:1700000000000000003"].text == ar
    short = posts["twitter:1700000000000000002"]
    assert short.text == "Still here. Network is back for now." and json.loads(short.raw)["id_str"].endswith("2")
    problems = [r for r in recs if isinstance(r, Problem)]
    assert [(p.where, "matches no tweet" in p.message) for p in problems] == [("data/note-tweet.js, item 3", True)]
    assert recs[-1] == Scope(kind="account", key="twitter:4001")  # an unmatched note does not make it partial


def test_two_long_posts_that_could_continue_one_tweet_are_reported_not_guessed(tmp_path):
    shutil.copytree(LONG, tmp_path / "a")
    path = tmp_path / "a" / "data" / "note-tweet.js"
    items = json.loads(path.read_text("utf-8").partition("=")[2])
    twin = json.loads(json.dumps(items[0]))
    twin["noteTweet"]["core"]["text"] += " (edited)"
    path.write_text("window.YTD.note_tweet.part0 = " + json.dumps([items[0], twin, items[1]]), "utf-8")
    recs = read(tmp_path / "a")
    night = posts_of(recs)["twitter:1700000000000000001"]
    assert night.text.endswith("… https://t.co/Ab12Cd34Ef")  # kept as the archive cut it
    (problem,) = [r for r in recs if isinstance(r, Problem) and "could continue" in r.message]
    assert problem.where == "data/note-tweet.js, item 1, data/note-tweet.js, item 2"


def test_long_posts_from_a_zip_and_a_bare_tweets_js_beside_its_notes(tmp_path):
    z = make_zip(tmp_path / "long.zip", root=LONG)
    whole = posts_of(read(z))["twitter:1700000000000000001"].text
    assert whole == posts_of(read(LONG))["twitter:1700000000000000001"].text and not whole.endswith("Ef")
    bare = posts_of(read(LONG / "data" / "tweets.js"))["twitter:1700000000000000001"]
    assert bare.text == whole
