from __future__ import annotations

import sqlite3

import pytest

from vigil.ingest.prepare import Known, prepare_posts
from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, Metrics, Post


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


def test_batches_share_a_transaction_until_commit_rows(ws):
    w = CaptureWriter(ws, "test", "test", None, None, commit_rows=3)
    w.write([_post(1)])
    w.write([_post(2)])
    assert _count(ws, "posts") == 0
    w.write([_post(3)])
    assert _count(ws, "posts") == 3
    w.write([_post(4)])
    counts = w.finish()
    assert counts.new == 4 and _count(ws, "posts") == 4


def test_commits_go_by_posts_written_and_a_batch_without_posts_counts_none(ws):
    w = CaptureWriter(ws, "test", "test", None, None, commit_rows=4)
    w.write([_post(1), _post(2), _post(3)])
    w.write([])  # a batch without posts counts none
    assert _count(ws, "posts") == 0
    w.write([_post(4)])  # 4 posts since the last commit
    assert _count(ws, "posts") == 4
    w.write([_post(5)])
    assert _count(ws, "posts") == 4
    w.finish()
    assert _count(ws, "posts") == 5


def test_a_failing_batch_is_undone_alone_and_the_batches_before_it_are_kept(ws):
    w = CaptureWriter(ws, "test", "test", None, None, commit_rows=10)
    w.write([_post(1)])
    prepared = prepare_posts([_post(2, author="8"), _post(3, author="8")], Known(None), None, None)
    prepared[1].row = [*prepared[1].row, "one column too many"]  # the posts insert fails after other writes
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
    second = CaptureWriter(ws, "b", "test", None, None, commit_rows=2)
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

    w = CaptureWriter(ws, "test", "test", None, None, enrich, commit_rows=10)
    w.write([_post(1)])
    with pytest.raises(ValueError, match="line 3"):
        w.write([_post(2)])
    assert _count(ws, "posts") == 1


def _enriched(*posts: Post) -> list:
    """Posts prepared by an enricher of their own, like a worker that never saw the other workers' posts."""
    from vigil.triage.enricher import TriageEnricher

    e = TriageEnricher()
    e.prepare(None)
    return prepare_posts(list(posts), Known(None), e.enrich, None)


def test_a_quote_enriched_apart_from_its_original_joins_the_original_story(ws):
    import json

    text = 'Please help \\ "us" — نحن محاصرون 🙏 we are trapped near the north gate'
    original = Post(platform="twitter", id="1", text=text, raw=b'{"id":"1"}')
    quote = Post(platform="twitter", id="2", text="Share this", kind="quote", quote_of="twitter:1", raw=b'{"id":"2"}')
    repost = Post(
        platform="twitter", id="3", text=f"RT {text}", kind="repost", repost_of="twitter:2", raw=b'{"id":"3"}'
    )
    batches = [_enriched(p) for p in (original, quote, repost)]
    before = json.loads(batches[1][0].row[-1])
    w = CaptureWriter(ws, "test", "test", None, None, commit_rows=10)
    for b in batches:
        w.write_prepared(b, [])
    w.finish()
    con = sqlite3.connect(ws.db_path)
    rows = dict(con.execute("SELECT uid, story FROM posts").fetchall())
    assert rows["twitter:2"] == rows["twitter:1"] == rows["twitter:3"] != before["story"]
    stored = con.execute("SELECT enrichment FROM posts WHERE uid = 'twitter:2'").fetchone()[0]
    assert json.loads(stored) == {**before, "story": rows["twitter:1"]}
    kept = con.execute("SELECT enrichment FROM posts WHERE uid = 'twitter:1'").fetchone()[0]
    assert kept == batches[0][0].row[-1]  # an original's enrichment is stored byte for byte


def test_a_repost_of_a_quote_in_one_batch_follows_the_quote_to_the_original_story(ws):
    original = Post(platform="twitter", id="1", text="Shelling at the north gate", raw=b'{"id":"1"}')
    quote = Post(platform="twitter", id="2", text="Share this", kind="quote", quote_of="twitter:1", raw=b'{"id":"2"}')
    repost = Post(platform="twitter", id="3", text="RT Share this", kind="repost", repost_of="twitter:2", raw=b"{}")
    w = CaptureWriter(ws, "test", "test", None, None, commit_rows=10)
    w.write_prepared(_enriched(original), [])
    w.write_prepared(_enriched(repost, quote), [])  # the repost comes first in its batch
    w.finish()
    rows = dict(sqlite3.connect(ws.db_path).execute("SELECT uid, story FROM posts").fetchall())
    assert rows["twitter:1"] == rows["twitter:2"] == rows["twitter:3"]


def test_a_quote_stored_before_its_original_joins_the_original_story_at_the_end_of_the_capture(ws):
    original = Post(platform="twitter", id="1", text="Shelling at the north gate", raw=b'{"id":"1"}')
    quote = Post(platform="twitter", id="2", text="Share this", kind="quote", quote_of="twitter:1", raw=b'{"id":"2"}')
    repost = Post(platform="twitter", id="3", text="RT Share this", kind="repost", repost_of="twitter:2", raw=b"{}")
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write_prepared(_enriched(quote), [])
    w.write_prepared(_enriched(repost), [])
    w.write_prepared(_enriched(original), [])
    con = sqlite3.connect(ws.db_path)
    stories = dict(con.execute("SELECT uid, story FROM posts").fetchall())
    assert stories["twitter:2"] != stories["twitter:1"]  # committed, not linked yet
    w.finish()
    assert con.execute("SELECT count(DISTINCT story) FROM posts").fetchone()[0] == 1


def test_the_writer_connection_goes_back_to_the_pool_as_the_workspace_opens_it(ws):
    w = CaptureWriter(ws, "test", "test", None, None, commit_rows=2)
    w.write([_post(1)])
    conn = w._group[0]
    assert conn.exec_driver_sql("PRAGMA temp_store").scalar_one() == 1  # FILE while batches share a transaction
    w.finish()
    with ws.engine.connect() as again:
        assert again.exec_driver_sql("PRAGMA temp_store").scalar_one() == 2  # MEMORY
