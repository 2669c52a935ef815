from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from vigil.ingest.prepare import (
    COL,
    Known,
    content_hash,
    iso,
    prepare_posts,
)
from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, Post, iso_z
from vigil.store.payloads import Packer, read_payload, unpack
from vigil.text.memo import Memo

PACK = Packer(None).pack


def _post(i: int, text: str) -> Post:
    raw = f'{{"id": "{i}", "text": "{text}"}}'.encode()
    return Post(
        platform="twitter",
        id=str(i),
        author=Author(id="7", handle="amal"),
        text=text,
        raw=raw,
        created_at=datetime(2026, 3, 1, 10, i, tzinfo=UTC),
    )


class Counting:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, posts: list[Post]) -> None:
        for p in posts:
            self.seen.append(p.uid)
            p.enrichment.update({"labels": ["plea"], "priority": "high", "story": "s1"})


def test_iso_matches_iso_z():
    for dt in (
        datetime(2026, 3, 1, tzinfo=UTC),
        datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=UTC),
        datetime(2026, 3, 1, 1, 2, 3, tzinfo=timezone(timedelta(hours=3))),
        datetime(2026, 3, 1),
        datetime(999, 1, 1, tzinfo=UTC),
        None,
    ):
        assert iso(dt) == iso_z(dt)
        assert iso(dt) == iso_z(dt)  # again, from the memo


def test_iso_memo_gives_each_instant_its_utc_text_and_stays_bounded(monkeypatch):
    from vigil.ingest import prepare

    monkeypatch.setattr(prepare, "_ISO", Memo(3))
    utc = datetime(2026, 3, 1, 10, tzinfo=UTC)
    same_instant = datetime(2026, 3, 1, 13, tzinfo=timezone(timedelta(hours=3)))
    assert iso(utc) == "2026-03-01T10:00:00Z" and iso(same_instant) == "2026-03-01T10:00:00Z"
    for minute in range(10):
        assert iso(utc.replace(minute=minute)) == f"2026-03-01T10:{minute:02d}:00Z"
        assert len(prepare._ISO) <= 3


def test_only_new_or_changed_posts_are_enriched_and_compressed(ws):
    enrich = Counting()
    known = Known(str(ws.db_path))
    first = prepare_posts([_post(1, "help us"), _post(2, "we are trapped")], known, enrich, PACK)
    assert enrich.seen == ["twitter:1", "twitter:2"]
    assert all(it.ready and it.zraw is not None for it in first)
    assert unpack(first[0].zraw, {}.get) == _post(1, "help us").raw
    assert first[0].row[COL["labels"]] == "plea" and first[0].row[COL["created_at"]] == "2026-03-01T10:01:00Z"
    w = CaptureWriter(ws, "a", "test", None, None, enrich)
    w.write_prepared(first, [])
    assert w.finish().new == 2

    enrich.seen.clear()
    again = prepare_posts(
        [_post(1, "help us"), _post(2, "we are trapped, the road is cut")], Known(str(ws.db_path)), enrich, PACK
    )
    assert enrich.seen == ["twitter:2"]  # the unchanged post is not triaged again
    assert again[0].zraw is None and again[0].raw == _post(1, "help us").raw
    w = CaptureWriter(ws, "b", "test", None, None, enrich)
    w.write_prepared(again, [])
    c = w.finish()
    assert (c.new, c.updated, c.unchanged) == (0, 1, 1)
    con = sqlite3.connect(ws.db_path)
    assert con.execute("SELECT versions, labels FROM posts WHERE uid = 'twitter:2'").fetchone() == (2, "plea")
    assert con.execute("SELECT count(*) FROM raw_payloads").fetchone()[0] == 3


def test_writer_enriches_what_the_preparer_could_not_foresee(ws):
    enrich = Counting()
    # prepared as if already stored (another writer in between): not enriched, not compressed
    stale = prepare_posts([_post(5, "please evacuate us")], None, None, None)
    stale[0].ready = False
    w = CaptureWriter(ws, "a", "test", None, None, enrich)
    w.write_prepared(stale, [])
    assert w.finish().new == 1 and enrich.seen == ["twitter:5"]
    con = sqlite3.connect(ws.db_path)
    labels, chash = con.execute("SELECT labels, content_hash FROM posts").fetchone()
    assert labels == "plea" and chash == stale[0].chash
    sha, size, data = con.execute("SELECT sha256, size, data FROM raw_payloads").fetchone()
    assert unpack(data, {}.get) == _post(5, "please evacuate us").raw and size == len(_post(5, "x").raw) + 17
    with ws.engine.connect() as conn:
        assert read_payload(conn, sha) == _post(5, "please evacuate us").raw


@pytest.mark.parametrize(
    ("transcript", "title"), [(None, None), ("", ""), ("said on camera", None), (None, "a title"), ("t", "u")]
)
def test_content_hash_is_sha1_of_text_transcript_and_title_joined_by_nul(transcript, title):
    """Stored hashes must never change meaning: a different hash for the same words would read as an edit."""
    import hashlib

    post = Post(platform="twitter", id="1", text="نحن محاصرون — we are trapped", transcript=transcript, title=title)
    joined = "\x00".join([post.text, transcript or "", title or ""]).encode()
    assert content_hash(post) == hashlib.sha1(joined, usedforsecurity=False).hexdigest()


def test_iso_writes_every_field_as_iso_z_does():
    import random

    rnd = random.Random(7)
    for _ in range(2000):
        dt = datetime(rnd.randint(1000, 9999), rnd.randint(1, 12), rnd.randint(1, 28), rnd.randint(0, 23),
                      rnd.randint(0, 59), rnd.randint(0, 59), rnd.choice((0, 999999)), tzinfo=UTC)  # fmt: skip
        assert iso(dt) == iso_z(dt)
