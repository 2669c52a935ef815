"""twarc2 as the tool writes it (stream, flatten) and damaged (NaN, lone surrogates, bad users, invalid UTF-8)."""

from __future__ import annotations

import json

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Post, Problem
from vigil.report.export import iter_records as export
from vigil.sources.base import ImportOptions
from vigil.sources.twarc2.importer import Twarc2Importer
from vigil.store.queries import PostFilter

T = DATA / "twarc2"


def payload(ws, uid: str) -> bytes:
    """The raw payload stored for a post (its latest capture)."""
    import sqlalchemy as sa

    from vigil.store import schema
    from vigil.store.payloads import read_payload

    pc = schema.post_captures.c
    with ws.engine.connect() as conn:
        sha = conn.execute(sa.select(pc.raw_sha256).where(pc.uid == uid)).scalar_one()
        return read_payload(conn, sha)


def read(name: str) -> tuple[dict[str, Post], list[Problem]]:
    recs = list(Twarc2Importer().iter_records(T / name, ImportOptions()))
    return {r.uid: r for r in recs if isinstance(r, Post)}, [r for r in recs if isinstance(r, Problem)]


def test_stream_lines_hold_one_tweet_each_with_matching_rules(ws):
    posts, problems = read("stream.jsonl")
    assert sorted(posts) == ["twitter:4001", "twitter:4002"]
    assert posts["twitter:4001"].author.handle == "harbor_watch"
    assert problems == []
    (res,) = ingest(ws, [T / "stream.jsonl"])
    assert (res.format, res.counts.new, res.counts.failed) == ("twarc2", 2, 0)


def test_flattened_tweets_store_their_expanded_references_and_media(ws):
    posts, problems = read("flattened.jsonl")
    assert problems == []
    assert sorted(posts) == ["twitter:4100", "twitter:4101", "twitter:4102", "twitter:4103"]
    original = posts["twitter:4100"]
    assert original.author.handle == "harbor_watch"
    assert [m.url for m in original.media] == ["https://pbs.twimg.com/media/Fharbor1.jpg"]
    assert json.loads(original.raw)["id"] == "4100"  # the expanded tweet's own bytes
    assert posts["twitter:4101"].repost_of == "twitter:4100"
    assert posts["twitter:4102"].reply_to == "twitter:4099"  # a reference to a deleted tweet is not a post
    ingest(ws, [T / "flattened.jsonl"])
    (res,) = ingest(ws, [T / "flattened_page_form.jsonl"])  # the same tweet as a page: its media were kept
    stored = {r["uid"]: r for r in export(ws, PostFilter())}
    assert stored["twitter:4100"]["media"][0]["url"] == "https://pbs.twimg.com/media/Fharbor1.jpg"


def test_one_damaged_tweet_or_user_does_not_lose_the_page():
    posts, problems = read("damaged_tweets.jsonl")
    assert sorted(posts) == ["twitter:4201", "twitter:4202", "twitter:4203", "twitter:4204"]
    assert posts["twitter:4202"].metrics.likes is None  # NaN: no figure
    assert posts["twitter:4203"].text == "Safe for now \ufffd"
    assert posts["twitter:4203"].enrichment["text_damaged"] is True
    assert b"\\ud83d" in posts["twitter:4203"].raw  # the payload is verbatim
    assert posts["twitter:4201"].author.handle == "harbor_watch"  # the good user is still read
    wheres = [p.where for p in problems]
    assert wheres == ["line 1, includes.users[1]", "line 1, data[1]", "line 1, data[2]"]
    assert "surrogate" in problems[2].message and "hex escape" not in problems[2].message


def test_binary_bytes_among_good_lines_lose_only_their_line(cli, tmp_path):
    res = cli("ingest", str(T / "binary_among_lines.jsonl"), workspace=tmp_path / "ws")
    assert res.exit_code == 1
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and ":line 4:" in errors[0]
    assert "10 │" in res.stdout.replace("  ", " ") or " 10 " in res.stdout


def test_invalid_utf8_in_a_text_keeps_the_post_flagged_with_its_bytes_verbatim(ws):
    problems: list[Problem] = []
    (res,) = ingest(ws, [T / "invalid_utf8_text.jsonl"], on_problem=problems.append)
    assert (res.counts.new, res.counts.failed) == (3, 1)
    assert [p.where for p in problems] == ["line 1"]
    stored = {r["uid"]: r for r in export(ws, PostFilter())}
    assert stored["twitter:4401"]["text"] == "Caf\ufffd on the corner is open"
    assert stored["twitter:4401"]["text_damaged"] is True
    assert stored["twitter:4402"]["text_damaged"] is False
    raw = payload(ws, "twitter:4401")
    assert b"Caf\xe9 on" in raw
    again = ingest(ws, [T / "invalid_utf8_text.jsonl"])[0].counts
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_figures_past_int64_and_a_year_9999_keep_the_post(ws):
    problems: list[Problem] = []
    (res,) = ingest(ws, [T / "out_of_range.jsonl"], on_problem=problems.append)
    assert (res.counts.new, res.counts.failed) == (3, 3)
    stored = {r["uid"]: r for r in export(ws, PostFilter())}
    assert stored["twitter:4501"]["metrics"]["views"] is None
    assert stored["twitter:4501"]["metrics"]["likes"] == 5
    assert stored["twitter:4502"]["metrics"]["likes"] is None
    assert stored["twitter:4503"]["time_quality"] == "suspect"
    assert [p.where for p in problems] == ["post twitter:4501", "post twitter:4502", "post twitter:4503"]


def test_a_first_line_longer_than_the_head_is_still_twarc2(cli, tmp_path):
    page = {"data": [{"id": "9", "text": "x" * 300_000, "author_id": "1", "created_at": "2026-01-01T00:00:00Z"}]}
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(page) + "\n" + json.dumps({"data": [{"id": "10", "text": "short"}]}) + "\n")
    res = cli("ingest", str(path), workspace=tmp_path / "ws")
    assert res.exit_code == 0, res.output
    assert "twarc2" in res.stdout


def test_unrelated_json_is_unknown_format(cli, tmp_path):
    for name in ("expected.json", "config.json"):
        res = cli("ingest", str(DATA / "unrelated" / name), workspace=tmp_path / "ws")
        assert res.exit_code == 1
        assert "unknown format" in res.stderr, res.stderr
