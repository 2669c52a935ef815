from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tests.conftest import DATA, SHARED

from vigil.ingest.pipeline import ingest
from vigil.records import Post, Problem
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.csv import importer as csv_importer
from vigil.sources.csv.dates import read_time
from vigil.sources.csv.importer import CsvImporter
from vigil.store.queries import PostFilter

D = DATA / "csv"
SHEET = D / "sheet.csv"
MAP = {"id": "Tweet ID", "text": "tweet text", "created_at": "date", "author": "user", "likes": "Likes",
       "url": "link", "lang": "lang"}  # fmt: skip


def read(path: Path, column_map: dict[str, str] | None = None) -> list:
    return list(CsvImporter().iter_records(path, ImportOptions(column_map=column_map or {})))


def test_mapped_sheet_with_bom_crlf_quoted_newline_and_bad_rows():
    recs = read(SHEET, MAP)
    posts = {r.id: r for r in recs if isinstance(r, Post)}
    assert list(posts) == [f"170000000000000000{i}" for i in (1, 2, 3, 4, 8)]
    first = posts["1700000000000000001"]
    assert first.platform == "twitter" and first.uid == "twitter:1700000000000000001"
    assert first.text == "Shelling near the bakery, everyone get inside\r\nStay away from windows"
    assert first.author.handle == "bakery_street" and first.metrics.likes == 1204 and first.lang == "en"
    assert first.created_at is not None and first.created_at.isoformat() == "2026-03-01T09:15:00+00:00"
    assert first.time_quality == "no-timezone"
    assert posts["1700000000000000002"].time_quality == "exact"
    assert posts["1700000000000000003"].text == 'He said "stay strong" before the line went dead'
    assert posts["1700000000000000003"].created_at.isoformat() == "2026-03-01T10:00:00+00:00"  # Unix seconds
    assert posts["1700000000000000004"].text == "<b>bold</b> & not escaped"
    assert (posts["1700000000000000004"].created_at, posts["1700000000000000004"].time_quality) == (None, "unknown")
    rt = posts["1700000000000000008"]
    assert rt.kind == "repost" and rt.created_at.isoformat() == "2026-03-01T10:30:00+00:00"
    problems = [(p.where, p.message) for p in recs if isinstance(p, Problem)]
    assert problems == [
        ("row 5", "cannot read date 'last tuesday' in column 'date'; the post is stored undated"),
        ("row 6", "no id in column 'Tweet ID'; row skipped"),
        ("row 7", "no text in column 'Tweet Text'; row skipped"),
        ("row 8", "id '1.7E+18' was turned into a number by a spreadsheet (digits lost); row skipped"),
        ("row 10", "cannot read number 'many' in column 'Likes'; left empty"),
    ]


def test_raw_is_the_row_as_a_json_object_of_header_to_cell():
    post = next(r for r in read(SHEET, MAP) if isinstance(r, Post))
    raw = json.loads(post.raw)
    assert list(raw) == ["Tweet ID", " Tweet Text", " date", "user", "Likes", "link", "Lang"]
    assert raw[" date"] == " 2026-03-01 09:15:00 " and raw["Likes"] == "1,204"


def test_crisislex_header_is_detected_and_read_without_a_map():
    path = D / "crisislex_like.csv"
    assert CsvImporter().detect(path, read_head(path)) == 60
    posts = [r for r in read(path) if isinstance(r, Post)]
    assert [p.uid for p in posts] == [f"twitter:180000000000000000{i}" for i in (1, 2, 3)]
    assert posts[1].text == "RT @county_ems: Shelters open at the high school &amp; the arena"
    assert posts[1].kind == "repost" and posts[0].time_quality == "unknown"
    assert posts[2].text.startswith("Lluvia fuerte en el barrio, ¿alguien")


def test_detect_needs_an_id_and_a_text_column():
    for name in ("tweetids_only.csv",):
        path = D / name
        assert CsvImporter().detect(path, read_head(path)) == 0
    json_path = DATA / "twitter_v1" / "stream.jsonl"
    assert CsvImporter().detect(json_path, read_head(json_path)) == 0


def test_bad_map_is_reported_on_the_header_row():
    recs = read(SHEET, {"id": "Tweet ID", "txt": "Tweet Text"})
    assert [p.message for p in recs if isinstance(p, Problem)] == [
        "unknown field 'txt' in --map (known: id, text, created_at, author, author_name, author_id, platform, url, "
        "lang, likes, shares, replies, quotes, views, reply_to, kind)",
        "--map gives no column for text",
    ]
    assert not [r for r in recs if isinstance(r, Post)]
    recs = read(SHEET, {"id": "Tweet ID", "text": "Tweet Text", "author": "handle"})
    assert recs[0].where == "row 1" and "column 'handle' (for author) is not in the header" in recs[0].message
    assert sum(isinstance(r, Post) for r in recs) == 5


def test_plain_sheet_platform_kind_reply_and_tsv(tmp_path):
    path = tmp_path / "notes.tsv"
    path.write_text(
        "ID\tMessage\tPosted at\tKind\tReply to\tShares\n"
        "a1\tRoad to the camp is open\t2026-03-01\tstatus\t\t1 204\n"
        "a2\tthanks!\t2026-03-01T10:00:00\t\ta1\t\n"
        "a3\tsee above\t2026-03-01T11:00:00\tpoem\t\t\n",
        encoding="utf-8",
    )
    recs = read(path)
    posts = {r.id: r for r in recs if isinstance(r, Post)}
    assert posts["a1"].uid == "csv:a1" and posts["a1"].time_quality == "day" and posts["a1"].metrics.shares == 1204
    assert posts["a2"].kind == "reply" and posts["a2"].reply_to == "csv:a1" and posts["a2"].url is None
    assert posts["a3"].kind == "post"
    assert [p.message for p in recs if isinstance(p, Problem)] == ["unknown kind 'poem'; stored as a post"]
    fixed = read(path, {"id": "ID", "text": "Message", "platform": "=telegram"})
    assert [r.uid for r in fixed if isinstance(r, Post)] == ["telegram:a1", "telegram:a2", "telegram:a3"]
    x = tmp_path / "x.csv"
    x.write_text("id,text,platform\n'1800000000000000009,from X,X\n", encoding="utf-8")
    assert [r.uid for r in read(x) if isinstance(r, Post)] == ["twitter:1800000000000000009"]


def test_huge_field_unterminated_quote_and_not_utf8(tmp_path):
    big = "help " * 200_000  # 1 MB, over the csv module's default 128 KiB field limit
    path = tmp_path / "big.csv"
    path.write_text(f'id,text\n1,"{big}"\n2,"never closed\n3,lost\n', encoding="utf-8")
    recs = read(path)
    assert [r.text for r in recs if isinstance(r, Post)] == [big]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where == "row 3 (line 3)" and "never closes" in problem.message
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,text\n1,ok\n2,caf\xe9\n".encode("latin-1"))
    recs = read(latin)
    assert [r.id for r in recs if isinstance(r, Post)] == ["1"]
    assert "invalid UTF-8" in recs[-1].message


def test_field_over_the_limit_is_a_problem_and_the_next_rows_come_in(tmp_path, monkeypatch):
    old = csv.field_size_limit()
    monkeypatch.setattr(csv_importer, "MAX_FIELD", 1000)
    csv.field_size_limit(1000)
    try:
        path = tmp_path / "over.csv"
        path.write_text("id,text\n1," + "x" * 2000 + "\n2,fine\n", encoding="utf-8")
        recs = read(path)
    finally:
        csv.field_size_limit(old)
    assert [r.id for r in recs if isinstance(r, Post)] == ["2"]
    assert "field larger than field limit" in next(r for r in recs if isinstance(r, Problem)).message


@pytest.mark.parametrize(
    ("text", "iso", "quality"),
    [
        ("2013-04-15 14:50:00", "2013-04-15T14:50:00+00:00", "no-timezone"),
        ("2013-04-15T14:50:00Z", "2013-04-15T14:50:00+00:00", "exact"),
        ("2013-04-15T16:50:00+02:00", "2013-04-15T14:50:00+00:00", "exact"),
        ("Mon Apr 15 14:50:00 +0000 2013", "2013-04-15T14:50:00+00:00", "exact"),
        ("Mon, 15 Apr 2013 16:50:00 +0200", "2013-04-15T14:50:00+00:00", "exact"),
        ("1366037400", "2013-04-15T14:50:00+00:00", "exact"),
        ("1366037400000", "2013-04-15T14:50:00+00:00", "exact"),
        ("2013/04/15 14:50", "2013-04-15T14:50:00+00:00", "no-timezone"),
        ("2013-04-15", "2013-04-15T00:00:00+00:00", "day"),
        ("1999-12-31T00:00:00Z", "1999-12-31T00:00:00+00:00", "suspect"),
    ],
)
def test_date_shapes(text, iso, quality):
    dt, q = read_time(text)
    assert (dt.isoformat(), q) == (iso, quality)


@pytest.mark.parametrize("text", ["15/04/2013 14:50", "last tuesday", ""])
def test_unreadable_dates(text):
    with pytest.raises(ValueError):
        read_time(text)


def test_ingest_export_reingest_and_edit(ws):
    opts = ImportOptions(column_map=MAP, forced_format="csv")
    first = ingest(ws, [SHEET], opts)[0]
    assert first.format == "csv" and (first.counts.new, first.counts.failed) == (5, 5)
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    rec = recs["twitter:1700000000000000001"]
    assert rec["author"]["handle"] == "bakery_street" and rec["metrics"]["likes"] == 1204
    assert rec["created_at"] == "2026-03-01T09:15:00Z" and rec["time_quality"] == "no-timezone"
    assert recs["twitter:1700000000000000004"]["created_at"] is None
    assert recs["twitter:1700000000000000004"]["text"] == "<b>bold</b> & not escaped"

    again = ingest(ws, [SHEET], opts)[0].counts
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)

    later = ingest(ws, [D / "sheet_later.csv"], opts)[0].counts
    assert (later.new, later.updated, later.unchanged) == (0, 1, 1)
    rec = {r["uid"]: r for r in iter_records(ws, PostFilter())}["twitter:1700000000000000001"]
    assert rec["versions"] == 2 and rec["text"].endswith("windows and doors")


@pytest.mark.shared_data
def test_crisislex_t26_files_read_without_problems():
    if not SHARED.exists():
        pytest.skip("../shared/data/crisislex-t26 is absent")
    path = next(SHARED.glob("2013_Queensland_floods/*-tweets_labeled.csv"))
    assert CsvImporter().detect(path, read_head(path)) == 60
    recs = read(path)
    assert not [r for r in recs if isinstance(r, Problem)]
    posts = [r for r in recs if isinstance(r, Post)]
    assert len(posts) > 900 and all(p.platform == "twitter" and p.id.isdigit() for p in posts)


def test_cli_map_forces_csv_and_reports_rows(cli, tmp_path):
    path = tmp_path / "notes.txt"  # no .csv suffix and no well-known header: only --map makes it readable
    path.write_text("Ref;Words;When\nn1;water at the school;2026-03-01T08:00:00Z\n;no ref;\n", encoding="utf-8")
    result = cli("ingest", str(path), "--map", "id=ref, text=WORDS ,created_at=When,platform==telegram")
    assert result.exit_code == 1  # a row was refused
    assert "row 3: no id in column 'Ref'; row skipped" in result.output
    out = cli("export", "--format", "jsonl")
    (rec,) = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    assert (rec["uid"], rec["text"]) == ("telegram:n1", "water at the school")
    assert rec["created_at"] == "2026-03-01T08:00:00Z"


def test_a_stray_carriage_return_in_the_header_is_one_error_and_the_rows_come_in(tmp_path, ws):
    path = tmp_path / "sheet.csv"
    path.write_bytes(SHEET.read_bytes().replace(b"Tweet ID", b"Tweet \rID", 1))
    clean = [r.uid for r in read(SHEET, MAP) if isinstance(r, Post)]
    recs = read(path, MAP)
    header = [r for r in recs if isinstance(r, Problem) and r.where.startswith("row 1 ")]
    assert [p.where for p in header] == ["row 1 (line 1, column 7)"] and "carriage return" in header[0].message
    assert [r.uid for r in recs if isinstance(r, Post)] == clean
    [res] = ingest(ws, [path], ImportOptions(column_map=MAP))  # and through ingest: no internal error, exit 1 not 2
    assert res.counts.new == len(clean) and not any("internal error" in e for e in res.counts.errors)


def test_lines_ended_by_a_bare_carriage_return(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b'id,text,created_at\r1,hello,2026-04-13\r2,"two\rlines",2026-04-14\r')
    assert CsvImporter().detect(path, read_head(path)) > 0
    recs = read(path)
    assert not [r for r in recs if isinstance(r, Problem)]
    assert [(r.uid, r.text) for r in recs if isinstance(r, Post)] == [("csv:1", "hello"), ("csv:2", "two\rlines")]
