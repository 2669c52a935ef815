"""Jetstream `account` events: statuses kept with their raw line, once, whatever the reading path."""

from __future__ import annotations

import hashlib

from tests.conftest import DATA

from vigil.ingest import pipeline
from vigil.ingest import worker as ingest_worker
from vigil.ingest.pipeline import ingest
from vigil.records import AccountStatus, Post, Problem
from vigil.sources.base import ImportOptions
from vigil.sources.bluesky.importer import BlueskyImporter
from vigil.store.payloads import read_payload

JET = DATA / "bluesky" / "jetstream_account.jsonl"
YARA = "bluesky:did:plc:yara5silenced4fictionalv"
HOSTILE = "bluesky:did:plc:hostile9markup2fictionalq"


def _events(ws) -> list[tuple]:
    with ws.engine.connect() as conn:
        sql = "SELECT account_uid, status, at, capture_id, raw_sha256 FROM account_events ORDER BY at"
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def test_account_events_become_statuses_and_a_malformed_one_is_one_problem():
    recs = list(BlueskyImporter().iter_records(JET, ImportOptions()))
    statuses = [(r.account_uid, r.status, r.at.isoformat()) for r in recs if isinstance(r, AccountStatus)]
    assert statuses == [
        (YARA, "deactivated", "2026-11-22T10:00:00+00:00"),
        (HOSTILE, '<img src=x onerror="alert(1)">', "2026-11-22T10:30:00+00:00"),  # kept as the source gave it
        (YARA, "active", "2026-11-23T10:00:00+00:00"),
    ]
    problems = [str(r) for r in recs if isinstance(r, Problem)]
    assert problems == [f"{JET}:line 8: account event without `account.active` or a did"]
    assert len([r for r in recs if isinstance(r, Post)]) == 4  # the posts around the bad line all come in
    deactivated = next(r for r in recs if isinstance(r, AccountStatus))
    assert deactivated.raw == JET.read_bytes().splitlines()[5]  # the event line verbatim


def test_ingest_keeps_each_event_with_its_payload_and_a_reingest_adds_nothing(ws):
    first = ingest(ws, [JET])[0].counts
    assert (first.new, first.updated, first.skipped, first.failed) == (4, 3, 0, 1)
    events = _events(ws)
    assert [(e[0], e[1], e[2]) for e in events] == [
        (YARA, "deactivated", "2026-11-22T10:00:00Z"),
        (HOSTILE, '<img src=x onerror="alert(1)">', "2026-11-22T10:30:00Z"),
        (YARA, "active", "2026-11-23T10:00:00Z"),
    ]
    line = JET.read_bytes().splitlines()[5]
    assert events[0][4] == hashlib.sha256(line).hexdigest()
    with ws.engine.connect() as conn:
        assert read_payload(conn, events[0][4]) == line
    again = ingest(ws, [JET])[0].counts
    assert (again.new, again.updated, again.unchanged, again.skipped, again.failed) == (0, 0, 4, 3, 1)
    assert _events(ws) == events  # same rows, still dated and attributed to the first capture


def test_the_worker_path_stores_the_same_events(ws, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline.plugins, "enrichers", lambda: [])
    monkeypatch.delenv("VIGIL_INGEST_WORKER", raising=False)
    runs = []
    real = ingest_worker.run
    monkeypatch.setattr(ingest_worker, "run", lambda *a, **k: runs.append(a[0]) or real(*a, **k))
    counts = ingest(ws, [JET])[0].counts
    assert runs == [JET]
    assert (counts.new, counts.updated, counts.failed) == (4, 3, 1)
    assert [e[:3] for e in _events(ws)] == [
        (YARA, "deactivated", "2026-11-22T10:00:00Z"),
        (HOSTILE, '<img src=x onerror="alert(1)">', "2026-11-22T10:30:00Z"),
        (YARA, "active", "2026-11-23T10:00:00Z"),
    ]
