from __future__ import annotations

import sqlite3

import pytest

from vigil.model import Author, Metrics, Post
from vigil.store.prepare import ROW, Known, prepare_posts
from vigil.store.writer import CaptureWriter


def _post(n: int, author: str = "7") -> Post:
    raw = f'{{"id":"{n}","text":"water at the north gate {n}"}}'.encode()
    return Post(
        platform="twitter",
        id=str(n),
        text=f"water at the north gate {n}",
        author=Author(id=author, handle=f"h{author}"),
        metrics=Metrics(likes=n),
        raw=raw,
    )


def _count(ws, table: str) -> int:
    con = sqlite3.connect(ws.db_path)  # another connection: sees only what is committed
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    finally:
        con.close()


def test_batches_share_a_transaction_until_commit_every(ws):
    w = CaptureWriter(ws, "test", "test", None, None, commit_every=3)
    w.write([_post(1)])
    w.write([_post(2)])
    assert _count(ws, "posts") == 0
    w.write([_post(3)])
    assert _count(ws, "posts") == 3
    w.write([_post(4)])
    counts = w.finish()
    assert counts.new == 4 and _count(ws, "posts") == 4


def test_a_failing_batch_is_undone_alone_and_the_batches_before_it_are_kept(ws):
    w = CaptureWriter(ws, "test", "test", None, None, commit_every=10)
    w.write([_post(1)])
    prepared = prepare_posts([_post(2, author="8"), _post(3, author="8")], Known(None), None, None)
    prepared[1][ROW] = [*prepared[1][ROW], "one column too many"]  # the posts insert fails after other writes
    with pytest.raises(sqlite3.ProgrammingError):
        w.write_prepared(prepared, [])
    assert _count(ws, "posts") == 1  # the good batch before it is committed
    assert _count(ws, "raw_payloads") == 1 and _count(ws, "accounts") == 1  # nothing of the failed batch
    w.write([_post(4)])
    w.finish()
    assert _count(ws, "posts") == 2 and _count(ws, "post_captures") == 2


def test_new_posts_get_consecutive_pks_with_their_text_indexed_and_sightings_recorded(ws):
    first = CaptureWriter(ws, "a", "test", None, None)
    first.write([_post(1), _post(2)])
    first.finish()
    second = CaptureWriter(ws, "b", "test", None, None, commit_every=2)
    second.write([_post(3), _post(1)])
    second.write([_post(4)])
    second.finish()
    con = sqlite3.connect(ws.db_path)
    pks = con.execute("SELECT pk, uid, first_capture FROM posts ORDER BY pk").fetchall()
    assert pks == [
        (1, "twitter:1", first.capture_id),
        (2, "twitter:2", first.capture_id),
        (3, "twitter:3", second.capture_id),
        (4, "twitter:4", second.capture_id),
    ]
    hits = con.execute("SELECT rowid FROM posts_fts WHERE posts_fts MATCH '4' ORDER BY rowid").fetchall()
    assert hits == [(4,)]
    seen = con.execute("SELECT capture_id, uid, likes FROM post_captures ORDER BY capture_id, uid").fetchall()
    assert seen == [
        (first.capture_id, "twitter:1", 1),
        (first.capture_id, "twitter:2", 2),
        (second.capture_id, "twitter:1", 1),
        (second.capture_id, "twitter:3", 3),
        (second.capture_id, "twitter:4", 4),
    ]


def test_an_enricher_failing_later_keeps_the_batches_written_before_it(ws):
    calls = []

    def enrich(posts: list[Post]) -> None:
        calls.append(len(posts))
        if len(calls) == 2:
            raise ValueError("lexicon.csv:line 3: bad weight")

    w = CaptureWriter(ws, "test", "test", None, None, enrich, commit_every=10)
    w.write([_post(1)])
    with pytest.raises(ValueError, match="line 3"):
        w.write([_post(2)])
    assert _count(ws, "posts") == 1
