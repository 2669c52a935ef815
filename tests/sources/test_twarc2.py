from __future__ import annotations

import json

from tests.conftest import DATA

from vigil.model import Post, Problem
from vigil.pipeline import ingest
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions
from vigil.sources.twarc2.importer import Twarc2Importer
from vigil.store.queries import PostFilter

PAGE = DATA / "twarc2" / "page_with_bad_line.jsonl"


def test_retweet_takes_full_text_from_includes_and_bad_line_is_reported():
    recs = list(Twarc2Importer().iter_records(PAGE, ImportOptions()))
    posts = {r.uid: r for r in recs if isinstance(r, Post)}
    problems = [r for r in recs if isinstance(r, Problem)]
    rt = posts["twitter:100"]
    assert rt.kind == "repost" and rt.repost_of == "twitter:99"
    assert rt.text == posts["twitter:99"].text
    assert rt.text.endswith("the road is cut.")
    assert posts["twitter:101"].hashtags == ["Harbor"]
    assert posts["twitter:101"].metrics.views == 50
    assert len(problems) == 1 and problems[0].where == "line 2"


def test_reingest_changes_nothing(ws):
    first = ingest(ws, [PAGE])[0].counts
    second = ingest(ws, [PAGE])[0].counts
    assert (first.new, first.failed) == (3, 1)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    recs = list(iter_records(ws, PostFilter()))
    assert [len(r["captures"]) for r in recs] == [2, 2, 2]
    assert all(r["versions"] == 1 for r in recs)


def test_a_bad_date_is_reported_and_the_rest_of_the_page_kept(tmp_path):
    page = {
        "data": [
            {"id": "1", "text": "first", "author_id": "9", "created_at": "yesterday at noon"},
            {"id": "2", "text": "second", "author_id": "9", "created_at": "2026-03-01T10:00:00.000Z"},
        ],
        "includes": {"users": [{"id": "9", "username": "amal"}]},
    }
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    recs = list(Twarc2Importer().iter_records(path, ImportOptions()))
    problems = [r for r in recs if isinstance(r, Problem)]
    posts = {r.id: r for r in recs if isinstance(r, Post)}
    assert [p.where for p in problems] == ["line 1, data[0]"]
    assert "yesterday at noon" in problems[0].message
    assert posts["1"].created_at is None and posts["1"].time_quality == "unknown"
    assert posts["2"].time_quality == "exact"
