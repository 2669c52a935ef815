"""twarc2 pages' `errors`: suspended and missing users are statuses; tweet errors never mark a post deleted."""

from __future__ import annotations

import json

from tests.conftest import DATA

from vigil.ingest import pipeline
from vigil.ingest import worker as ingest_worker
from vigil.ingest.pipeline import ingest
from vigil.records import AccountStatus, Post, Problem, Skipped
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions
from vigil.sources.twarc2.importer import Twarc2Importer
from vigil.store.queries import PostFilter

PAGES = DATA / "twarc2" / "page_with_errors.jsonl"


def test_user_errors_become_statuses_tweet_errors_are_skipped():
    recs = list(Twarc2Importer().iter_records(PAGES, ImportOptions()))
    statuses = [(r.account_uid, r.status, r.at.isoformat(), r.detail) for r in recs if isinstance(r, AccountStatus)]
    assert statuses == [
        ("twitter:1500", "suspended", "2026-11-22T09:00:00+00:00", "User has been suspended: [1500]."),
        ("twitter:@dalia_news", "suspended", "2026-11-22T09:00:00+00:00", "User has been suspended: [dalia_news]."),
        ("twitter:1700", "not-found", "2026-11-22T09:01:00+00:00", "Could not find user with ids: [1700]."),
    ]
    assert [r.reason for r in recs if isinstance(r, Skipped)] == [
        "tweet error (Not Found Error): not read as a deletion",
        "tweet error (Authorization Error): not read as a deletion",
        "user error (Not Found Error)",  # a username not found may only have been renamed
    ]
    assert [str(r) for r in recs if isinstance(r, Problem)] == [
        f"{PAGES}:line 2, errors[5]: bad error entry: Expected `object`, got `int`",
        f"{PAGES}:line 3, errors[1]: user error without resource_id or value",
    ]
    assert sorted(r.uid for r in recs if isinstance(r, Post)) == ["twitter:2001", "twitter:2002", "twitter:2101",
                                                                   "twitter:2102"]  # fmt: skip
    suspended = next(r for r in recs if isinstance(r, AccountStatus))
    assert suspended.raw.startswith(b'{"value":"1500"') and suspended.raw.endswith(b'resource-not-found"}')


def test_a_tweet_not_found_is_not_marked_deleted_and_a_reingest_adds_nothing(ws):
    first = ingest(ws, [PAGES])[0].counts
    assert (first.new, first.updated, first.skipped, first.failed) == (4, 3, 3, 2)
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs["twitter:2002"]["deleted_at"] is None  # "Could not find tweet" is no proof of deletion
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT account_uid, status, at FROM account_events ORDER BY account_uid").all()
    assert [tuple(r) for r in rows] == [
        ("twitter:1500", "suspended", "2026-11-22T09:00:00Z"),
        ("twitter:1700", "not-found", "2026-11-22T09:01:00Z"),
        ("twitter:@dalia_news", "suspended", "2026-11-22T09:00:00Z"),
    ]
    again = ingest(ws, [PAGES])[0].counts
    assert (again.new, again.updated, again.unchanged, again.skipped, again.failed) == (0, 0, 4, 6, 2)
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM account_events").scalar_one() == 3


def test_the_same_error_on_two_pages_is_one_event_dated_by_the_earlier_page(ws, tmp_path):
    line = json.loads(PAGES.read_text().splitlines()[1])
    earlier = json.loads(json.dumps(line))
    earlier["__twarc"]["retrieved_at"] = "2026-11-22T08:30:00+00:00"
    for i in (0, 1):
        earlier["data"][i]["id"] = f"22{i}"  # other tweets, the same errors
    f = tmp_path / "two-pages.jsonl"
    f.write_text(json.dumps(line, separators=(",", ":")) + "\n" + json.dumps(earlier, separators=(",", ":")) + "\n")
    counts = ingest(ws, [f])[0].counts
    assert (counts.new, counts.updated, counts.skipped, counts.failed) == (4, 2, 6, 2)  # each status counted once
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT account_uid, at FROM account_events ORDER BY account_uid").all()
    assert [tuple(r) for r in rows] == [
        ("twitter:1500", "2026-11-22T08:30:00Z"),
        ("twitter:@dalia_news", "2026-11-22T08:30:00Z"),
    ]


def test_two_workers_each_reading_every_other_line_store_and_count_the_same(ws, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline.plugins, "enrichers", lambda: [])
    monkeypatch.setenv("VIGIL_INGEST_WORKERS", "2")
    monkeypatch.delenv("VIGIL_INGEST_WORKER", raising=False)
    shards = []
    real = ingest_worker.run
    monkeypatch.setattr(ingest_worker, "run", lambda *a, **k: shards.append(a[7]) or real(*a, **k))
    first = ingest(ws, [PAGES])[0].counts
    assert shards == [2]
    assert (first.new, first.updated, first.skipped, first.failed) == (4, 3, 3, 2)
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM account_events").scalar_one() == 3
