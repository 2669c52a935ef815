from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, Metrics, Post
from vigil.store import schema


def _post(text: str, likes: int, bio: str | None = None) -> Post:
    raw = f'{{"id":"1","text":"{text}","likes":{likes}}}'.encode()
    return Post(
        platform="twitter",
        id="1",
        text=text,
        created_at=datetime(2026, 3, 2, tzinfo=UTC),
        author=Author(id="7", handle="amal", name="Amal", bio=bio),
        metrics=Metrics(likes=likes),
        raw=raw,
    )


def _capture(ws, *posts: Post):
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write(list(posts))
    return w.finish()


def _row(ws):
    with ws.engine.connect() as conn:
        return conn.execute(sa.select(schema.posts).where(schema.posts.c.uid == "twitter:1")).mappings().one()


def test_older_export_read_again_is_not_an_edit_and_keeps_newer_metrics(ws):
    _capture(ws, _post("first words", 10))
    _capture(ws, _post("first words, edited", 50))
    again = _capture(ws, _post("first words", 10))
    row = _row(ws)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert row["versions"] == 2 and row["text"] == "first words, edited" and row["likes"] == 50
    with ws.engine.connect() as conn:
        seen = conn.execute(sa.select(sa.func.count()).select_from(schema.post_captures)).scalar_one()
    assert seen == 3  # the re-read is still in the capture history


def test_same_text_with_new_metrics_updates_metrics(ws):
    _capture(ws, _post("words", 10))
    later = _capture(ws, _post("words", 99))
    assert later.updated == 1 and _row(ws)["likes"] == 99 and _row(ws)["versions"] == 1


def test_a_later_post_without_bio_in_the_same_batch_keeps_the_bio(ws):
    p1 = _post("a", 1, bio="Nurse at Al-Amal")
    p2 = Post(platform="twitter", id="2", text="b", author=Author(id="7", handle="amal"), raw=b'{"id":"2"}')
    _capture(ws, p1, p2)
    with ws.engine.connect() as conn:
        bio = conn.execute(sa.select(schema.accounts.c.bio).where(schema.accounts.c.uid == "twitter:7")).scalar_one()
    assert bio == "Nurse at Al-Amal"
