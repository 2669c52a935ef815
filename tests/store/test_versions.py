"""Post versions: rows only once a post changes, read the same way by the watch and the digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from vigil.ingest.prepare import content_hash
from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, HandleChange, Metrics, Post
from vigil.store import schema
from vigil.watch.events import change_events


def _post(text: str, likes: int = 1, uid: str = "1", edited: datetime | None = None) -> Post:
    raw = f'{{"id":"{uid}","text":"{text}","likes":{likes}}}'.encode()
    return Post(
        platform="twitter", id=uid, text=text, created_at=datetime(2026, 3, 2, tzinfo=UTC), edited_at=edited,
        author=Author(id="7", handle="amal", name="Amal"), metrics=Metrics(likes=likes), raw=raw,
    )  # fmt: skip


def _capture(ws, *posts: Post):
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write(list(posts))
    counts = w.finish()
    return w.capture_id, counts


def _versions(ws, uid: str = "twitter:1") -> list[dict]:
    pv = schema.post_versions.c
    with ws.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.post_versions).where(pv.uid == uid).order_by(pv.n)).mappings().all()
    return [dict(r) for r in rows]


def _started(ws, cid: int) -> str:
    c = schema.captures.c
    with ws.engine.connect() as conn:
        return conn.execute(sa.select(c.started_at).where(c.id == cid)).scalar_one()


def test_a_post_that_never_changed_has_no_version_rows(ws):
    _capture(ws, _post("first words"), _post("other", uid="2"))
    _capture(ws, _post("first words", likes=9))  # new figures are not a new version
    with ws.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.post_versions)).scalar_one() == 0
        assert conn.execute(sa.select(schema.posts.c.versions)).scalars().all() == [1, 1]


def test_a_post_edited_twice_has_versions_one_two_three(ws):
    at = datetime(2026, 3, 2, 12, tzinfo=UTC)
    c1, _ = _capture(ws, _post("first words"))
    c2, two = _capture(ws, _post("first words, edited", edited=at))
    c3, three = _capture(ws, _post("first words, edited again", edited=at + timedelta(hours=1)))
    assert (two.updated, three.updated) == (1, 1)
    v = _versions(ws)
    assert [r["n"] for r in v] == [1, 2, 3]
    assert [r["text"] for r in v] == ["first words", "first words, edited", "first words, edited again"]
    assert [r["capture_id"] for r in v] == [c1, c2, c3]
    assert [r["captured_at"] for r in v] == [_started(ws, c) for c in (c1, c2, c3)]
    assert [r["edited_at"] for r in v] == [None, "2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"]
    assert v[0]["content_hash"] == content_hash(_post("first words"))
    with ws.engine.connect() as conn:
        row = conn.execute(sa.select(schema.posts).where(schema.posts.c.uid == "twitter:1")).mappings().one()
    assert row["versions"] == 3 and row["text"] == "first words, edited again"
    assert row["content_hash"] == v[2]["content_hash"]


def test_reading_any_earlier_version_again_is_history_not_an_edit(ws):
    _capture(ws, _post("one"))
    _capture(ws, _post("two"))
    _capture(ws, _post("three"))
    for text, likes in (("one", 1), ("two", 1), ("one", 77), ("three", 1)):  # likes=77: a different raw payload
        _, again = _capture(ws, _post(text, likes=likes))
        assert (again.new, again.updated, again.unchanged) == (0, 0, 1), text
    assert [r["text"] for r in _versions(ws)] == ["one", "two", "three"]


def test_a_post_changed_within_one_capture_keeps_both_versions(ws):
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write([_post("before")])
    w.write([_post("after")])
    counts = w.finish()
    assert (counts.new, counts.updated) == (1, 1)
    v = _versions(ws)
    cid = w.capture_id
    assert [(r["n"], r["text"], r["capture_id"]) for r in v] == [(1, "before", cid), (2, "after", cid)]


def test_the_watch_sees_the_edit(ws):
    _capture(ws, _post("first words"))
    _capture(ws, _post("first words, edited", edited=datetime(2026, 3, 2, 12, tzinfo=UTC)))
    events = change_events(ws, datetime(2026, 3, 3, tzinfo=UTC), {})
    assert [(e.kind, e.key, e.at) for e in events] == [("edited", "edited:twitter:1:2", "2026-03-02T12:00:00Z")]


def test_a_handle_change_is_not_undone_by_a_later_post_of_the_same_capture(ws):
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write([_post("a")])
    w.write([HandleChange(account_uid="twitter:7", handle="amal_new", at=datetime(2026, 3, 2, tzinfo=UTC))])
    w.write([_post("b", uid="2")])  # still carries the old handle: the upsert writes it back, as before
    w.finish()
    with ws.engine.connect() as conn:
        handle = conn.execute(sa.select(schema.accounts.c.handle)).scalar_one()
    assert handle == "amal"
