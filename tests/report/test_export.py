"""The export contract: every field with its type in JSONL and CSV, the filters, search and stats."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import DATA

from vigil.records import KINDS, TIME_QUALITIES
from vigil.report.export import DEFAULT_CSV_COLUMNS, ENRICHMENT_FIELDS, FIELDS, METRICS, csv_columns, flatten
from vigil.store.engine import open_workspace
from vigil.store.queries import PostFilter, search

SRC = DATA / "export"
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def opt_str(v: object) -> bool:
    return v is None or isinstance(v, str)


def str_list(v: object) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def opt_time(v: object) -> bool:
    return v is None or (isinstance(v, str) and bool(ISO_Z.match(v)))


def author_ok(v: Any) -> bool:
    return isinstance(v, dict) and set(v) == {"id", "handle", "name"} and all(opt_str(x) for x in v.values())


def media_ok(v: Any) -> bool:
    keys = {"type", "url", "path", "sha256", "missing"}
    return isinstance(v, list) and all(
        set(m) == keys
        and isinstance(m["type"], str)
        and isinstance(m["missing"], bool)
        and all(opt_str(m[k]) for k in ("url", "path", "sha256"))
        for m in v
    )


def metrics_ok(v: Any) -> bool:
    return isinstance(v, dict) and list(v) == list(METRICS) and all(x is None or type(x) is int for x in v.values())


def captures_ok(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) >= 1
        and all(
            set(c) == {"id", "at", "source"}
            and type(c["id"]) is int
            and opt_time(c["at"])
            and isinstance(c["source"], str)
            for c in v
        )
    )


def voice_ok(v: Any) -> bool:
    return v is None or (isinstance(v, dict) and {"id", "name", "role"} <= set(v))


CONTRACT = {
    "uid": lambda v: isinstance(v, str) and ":" in v,
    "platform": lambda v: isinstance(v, str) and v == v.lower(),
    "id": lambda v: isinstance(v, str) and v != "",
    "url": opt_str,
    "kind": lambda v: v in KINDS,
    "author": author_ok,
    "created_at": opt_time,
    "time_quality": lambda v: v in TIME_QUALITIES,
    "text": lambda v: isinstance(v, str),
    "transcript": opt_str,
    "title": opt_str,
    "lang": opt_str,
    "reply_to": opt_str,
    "repost_of": opt_str,
    "quote_of": opt_str,
    "hashtags": str_list,
    "mentions": str_list,
    "links": str_list,
    "media": media_ok,
    "metrics": metrics_ok,
    "deleted_at": opt_time,
    "edited": lambda v: isinstance(v, bool),
    "versions": lambda v: type(v) is int and v >= 1,
    "captures": captures_ok,
    # added by triage, models and watch: null or empty until they run
    "labels": str_list,
    "priority": opt_str,
    "eyewitness": lambda v: v is None or isinstance(v, (bool, float, int)),
    "informative": lambda v: v is None or isinstance(v, (bool, float, int)),
    "cues": lambda v: isinstance(v, dict),
    "scores": lambda v: isinstance(v, dict) and all(isinstance(p, float) and 0 <= p <= 1 for p in v.values()),
    "model_words": lambda v: isinstance(v, dict) and all(isinstance(w, list) for w in v.values()),
    "overruled": lambda v: isinstance(v, dict) and all(isinstance(c, list) for c in v.values()),
    "places": lambda v: isinstance(v, list),
    "quantities": lambda v: isinstance(v, list),
    "story": opt_str,
    "models": lambda v: isinstance(v, dict),
    "voice": voice_ok,
    "speaker": voice_ok,
    "account_status": lambda v: v is None or (isinstance(v, dict) and {"account", "status", "at"} <= set(v)),
    "text_damaged": lambda v: isinstance(v, bool),
}


@pytest.fixture
def loaded(cli, ws):
    """The fixture captures ingested in order: a page, a later page (one edit, new counts), a deletion notice."""
    for name in ("a-capture.jsonl", "b-capture.jsonl", "c-delete.jsonl"):
        res = cli("ingest", str(SRC / name), workspace=ws.path)
        assert res.exit_code == 0, res.stderr
    return ws


def export(cli, ws, *args: str) -> list[dict[str, Any]]:
    res = cli("export", *args, workspace=ws.path)
    assert res.exit_code == 0, res.stderr
    return [json.loads(x) for x in res.stdout.splitlines()]


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in records]


def test_the_contract_covers_every_field():
    assert set(CONTRACT) == set(FIELDS) | set(ENRICHMENT_FIELDS)


def test_jsonl_records_carry_every_field_with_its_type(cli, loaded, tmp_path):
    out = tmp_path / "posts.jsonl"
    res = cli("export", "--format", "jsonl", "-o", str(out), workspace=loaded.path)
    assert res.exit_code == 0 and "wrote 5 posts" in res.stderr
    recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert ids(recs) == ["1001", "1002", "1003", "1004", "1005"]  # oldest first
    for rec in recs:
        assert list(rec)[: len(FIELDS)] == list(FIELDS)
        assert set(rec) == set(CONTRACT)
        bad = [k for k, ok in CONTRACT.items() if not ok(rec[k])]
        assert bad == [], (rec["uid"], {k: rec[k] for k in bad})
    by = {r["id"]: r for r in recs}
    plea = by["1001"]
    assert plea["uid"] == "twitter:1001" and plea["url"] == "https://x.com/lina_test/status/1001"
    assert plea["author"] == {"id": "10", "handle": "lina_test", "name": "Lina T."}
    assert plea["created_at"] == "2026-03-02T08:00:00Z" and plea["time_quality"] == "exact"
    assert (plea["hashtags"], plea["mentions"], plea["links"]) == (
        ["Harbourtown"],
        ["omar_cd"],
        ["https://clinic.example/needs"],
    )
    assert plea["media"] == [
        {"type": "photo", "url": "https://pbs.example/media/clinic.jpg", "path": None, "sha256": None, "missing": False}
    ]
    assert plea["metrics"] == {"likes": 300, "shares": 80, "replies": 9, "quotes": 5, "views": 21000}
    assert [Path(c["source"]).name for c in plea["captures"]] == ["a-capture.jsonl", "b-capture.jsonl"]
    assert (plea["edited"], plea["versions"]) == (False, 1)
    edited = by["1002"]
    assert (edited["edited"], edited["versions"], edited["lang"]) == (True, 2, "ar")
    assert edited["text"] == "قصف على الميناء. ٧ شهداء و٢٠ جريحاً، بينهم طفلان"
    rt = by["1003"]
    assert (rt["kind"], rt["repost_of"], rt["text"]) == ("repost", "twitter:1001", plea["text"])
    reply = by["1005"]
    assert (reply["kind"], reply["reply_to"]) == ("reply", "twitter:1002")
    assert reply["deleted_at"] == "2026-03-05T09:00:00Z" and reply["text"] == "Update: the harbour road is open"
    assert by["1004"]["text"] == 'Water "maybe" tomorrow,\nsays the council. insulin, insulin, insulin: none left'


def test_csv_header_comes_from_the_contract_and_rows_match_jsonl(cli, loaded, tmp_path):
    out = tmp_path / "posts.csv"
    res = cli("export", "--format", "csv", "--columns", "all", "-o", str(out), workspace=loaded.path)
    assert res.exit_code == 0, res.stderr
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == csv_columns() and len(csv_columns()) == 52
        rows = list(reader)
    recs = export(cli, loaded)
    assert len(rows) == len(recs) == 5
    for row, rec in zip(rows, recs, strict=True):
        flat = {k: ("" if v is None else str(v)) for k, v in flatten(rec).items()}
        assert {k: row[k] for k in flat if k in row} == {k: v for k, v in flat.items() if k in row}
    by = {r["id"]: r for r in rows}
    assert by["1004"]["text"] == 'Water "maybe" tomorrow,\nsays the council. insulin, insulin, insulin: none left'
    assert by["1001"]["hashtags"] == "Harbourtown" and by["1001"]["author.handle"] == "lina_test"
    assert by["1001"]["metrics.likes"] == "300" and by["1005"]["metrics.views"] == "100"
    assert (by["1002"]["edited"], by["1001"]["edited"]) == ("true", "false")
    assert json.loads(by["1001"]["media"])[0]["url"] == "https://pbs.example/media/clinic.jpg"
    assert len(json.loads(by["1001"]["captures"])) == 2
    stdout = cli("export", "--format", "csv", "--columns", "all", workspace=loaded.path)
    assert stdout.stdout.splitlines()[0] == ",".join(csv_columns())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--since", "2026-03-03"), ["1002", "1003", "1004", "1005"]),
        (("--until", "2026-03-03"), ["1001", "1002", "1003"]),
        (("--since", "2026-03-03T12:45:00Z", "--until", "2026-03-04T23:00"), ["1003", "1004"]),
        (("--platform", "twitter"), ["1001", "1002", "1003", "1004", "1005"]),
        (("--platform", "Bluesky"), []),
        (("--author", "@Lina_Test"), ["1001", "1004"]),
        (("--author", "twitter:30"), ["1002", "1005"]),
        (("--author", "lina_test", "--author", "relay_abroad"), ["1001", "1003", "1004"]),
        (("--query", "insulin"), ["1001", "1003", "1004"]),
        (("--query", "شهداء"), ["1002"]),
        (("--query", '"harbour road"'), ["1005"]),
        (("--query", "insulin", "--author", "relay_abroad", "--since", "2026-03-03"), ["1003"]),
    ],
)
def test_filters(cli, loaded, args, expected):
    assert ids(export(cli, loaded, *args)) == expected


def test_search_ranks_and_highlights(cli, loaded):
    hits = search(loaded, "insulin")
    assert [h.row["native_id"] for h in hits][0] == "1004"  # three mentions in a short post rank first
    assert {h.row["native_id"] for h in hits} == {"1001", "1003", "1004"}
    assert all("\x02" in h.snippet and "\x03" in h.snippet for h in hits)
    assert "\x02insulin\x03" in hits[0].snippet
    res = cli("search", "insulin", "--limit", "2", workspace=loaded.path)
    assert res.exit_code == 0
    uids = re.findall(r"twitter:\d+", res.stdout)
    assert uids[0] == "twitter:1004" and len(uids) == 2
    assert "\x02" not in res.stdout and "none left" in res.stdout
    assert search(loaded, "insulin", PostFilter(authors=["relay_abroad"]))[0].row["native_id"] == "1003"
    assert cli("search", "nothingmatchesthis", workspace=loaded.path).stdout.strip() == "no matches"


def test_stats_json(cli, loaded):
    res = cli("stats", "--format", "json", workspace=loaded.path)
    assert res.exit_code == 0
    figures = json.loads(res.stdout)
    assert {k: figures[k] for k in ("posts", "accounts", "captures", "deleted", "edited")} == {
        "posts": 5,
        "accounts": 3,
        "captures": 3,
        "deleted": 1,
        "edited": 1,
    }
    assert figures["by_platform"] == {"twitter": 5}
    assert figures["by_kind"] == {"post": 3, "repost": 1, "reply": 1}
    assert (figures["first_post"], figures["last_post"]) == ("2026-03-02T08:00:00Z", "2026-03-05T09:00:00Z")
    assert isinstance(figures["by_priority"], dict)


def test_export_streams_an_empty_workspace(cli, tmp_path):
    open_workspace(tmp_path / "empty").close()
    res = cli("export", "--format", "csv", workspace=tmp_path / "empty")
    assert res.exit_code == 0 and io.StringIO(res.stdout).readline().strip() == ",".join(DEFAULT_CSV_COLUMNS)
    assert cli("export", workspace=tmp_path / "empty").stdout == ""


def test_search_highlights_matches_on_a_terminal(loaded):
    from typer.testing import CliRunner

    from vigil.cli.main import app

    env = {"VIGIL_WORKSPACE": str(loaded.path), "COLUMNS": "200", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    res = CliRunner().invoke(app, ["search", "insulin"], env=env)
    assert res.exit_code == 0
    marked = re.findall(r"\x1b\[[0-9;]*7m([^\x1b]+)\x1b\[0m", res.stdout)  # reverse video around each match
    assert marked and {m.lower() for m in marked} == {"insulin"}


def test_raw_writes_each_captures_payload_byte_for_byte(cli, loaded):
    first_page = json.loads((SRC / "a-capture.jsonl").read_text(encoding="utf-8").splitlines()[0])
    later_page = json.loads((SRC / "b-capture.jsonl").read_text(encoding="utf-8").splitlines()[0])
    latest = cli("raw", "twitter:1001", workspace=loaded.path)
    first = cli("raw", "twitter:1001", "--capture", "1", workspace=loaded.path)
    assert latest.exit_code == 0 and first.exit_code == 0
    assert json.loads(first.stdout_bytes) == first_page["data"][0]
    assert json.loads(latest.stdout_bytes) == later_page["data"][0]
    assert first.stdout_bytes in (SRC / "a-capture.jsonl").read_bytes()  # the source's own bytes, not a re-encoding
    missing = cli("raw", "twitter:999999", workspace=loaded.path)
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no raw payload of twitter:999999")
    assert len(missing.stderr.strip().splitlines()) == 1


def test_csv_default_columns_are_few_and_every_column_is_one_option_away(cli, loaded):
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv", workspace=loaded.path).stdout)))
    assert list(rows[0]) == list(DEFAULT_CSV_COLUMNS) and len(DEFAULT_CSV_COLUMNS) == 14
    assert {r["author.handle"] for r in rows} >= {"lina_test"}
    more = cli("export", "--format", "csv", "--columns", "+places,metrics.likes", workspace=loaded.path).stdout
    assert more.splitlines()[0] == ",".join([*DEFAULT_CSV_COLUMNS, "places", "metrics.likes"])
    few = cli("export", "--format", "csv", "--columns", "uid, text", workspace=loaded.path).stdout
    assert next(csv.reader(io.StringIO(few))) == ["uid", "text"]
    bad = cli("export", "--format", "csv", "--columns", "uid,txet", workspace=loaded.path)
    assert bad.exit_code == 2 and bad.stderr == (
        "error: --columns: no column 'txet' (did you mean text?); `--columns all` lists all 52\n"
    )
    assert cli("export", "--columns", "uid", workspace=loaded.path).exit_code == 2  # JSON Lines has every field


def test_excel_csv_starts_with_a_bom_and_keeps_formulas_as_text(cli, ws, tmp_path):
    from vigil.ingest.writer import CaptureWriter
    from vigil.records import Author, Post

    w = CaptureWriter(ws, "t", "test", None, None)
    texts = ["عاجل: القصف على #كفر_مدرا", '=HYPERLINK("http://x","click")', "@noor_writes shelter full"]
    w.write([Post(platform="twitter", id=str(i), text=t, author=Author(id="1", handle="noor_writes"),
                  raw=t.encode()) for i, t in enumerate(texts)])  # fmt: skip
    w.finish()
    out = tmp_path / "x.csv"
    assert cli("export", "--format", "csv", "--excel", "-o", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfuid,platform,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == [texts[0], "'" + texts[1], "'" + texts[2]]
    plain = cli("export", "--format", "csv").stdout  # without --excel: no mark, the text as it is
    assert plain.startswith("uid,") and [r["text"] for r in csv.DictReader(io.StringIO(plain))] == texts
