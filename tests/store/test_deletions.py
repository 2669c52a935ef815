from __future__ import annotations

from tests.watch.city import load_city

from vigil.store.deletions import absences, deleted_posts


def test_absent_from_a_later_complete_export_is_deleted(ws):
    ids = load_city(ws)
    found = absences(ws)
    assert [(d.uid, d.how, d.capture_id) for d in found] == [("telegram:lina_channel/2", "absent", ids[3])]
    # dated by the latest post the re-export covers, so --as-of works on past data
    assert found[0].at == "2026-03-03T09:00:00Z"


def test_no_absence_without_a_second_complete_capture(ws):
    load_city(ws, upto=3)
    assert absences(ws) == []
    assert set(deleted_posts(ws)) == {"twitter:1003"}


def test_deleted_posts_merge_sources_and_respect_as_of(ws):
    load_city(ws)
    every = deleted_posts(ws)
    assert {u: d.how for u, d in every.items()} == {"twitter:1003": "source", "telegram:lina_channel/2": "absent"}
    assert set(deleted_posts(ws, "2026-03-03T10:00:00Z")) == {"telegram:lina_channel/2"}


def test_post_seen_again_later_is_not_deleted(ws):
    ids = load_city(ws)
    import json

    from tests.watch.city import CITY

    from vigil.ingest.writer import CaptureWriter
    from vigil.records import Post, Scope

    data = json.loads(CITY.read_text())
    import msgspec

    w = CaptureWriter(ws, "telegram-lina-export-3", "fixture", None, None)
    posts = [msgspec.convert(p, Post, strict=False) for p in data["captures"][1]["posts"]]  # all three again
    w.write([Scope(kind="channel", key="telegram:lina_channel"), *posts])
    w.finish()
    assert w.capture_id > ids[-1]
    assert absences(ws) == []


def test_stats_export_and_digest_count_the_same_deletions(ws):
    from vigil.report.digest import build_digest
    from vigil.report.export import iter_records
    from vigil.store.queries import PostFilter, stats

    load_city(ws)
    assert stats(ws)["deleted"] == 2  # the source's delete and the post absent from the later complete export
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs["telegram:lina_channel/2"]["deleted_at"] == "2026-03-03T09:00:00Z"  # as the watch dates it
    assert recs["twitter:1003"]["deleted_at"] is not None
    assert sum(r["deleted_at"] is not None for r in recs.values()) == 2
    assert build_digest(ws, as_of="2026-03-05T00:00:00Z").figures["deleted"] == 2
