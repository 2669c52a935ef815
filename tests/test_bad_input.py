"""Bad input at the pipeline and CLI level: what is good comes in, what is bad is one line naming the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vigil.ingest.pipeline import ingest
from vigil.records import Problem
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions
from vigil.store.engine import open_workspace
from vigil.store.queries import PostFilter

VIGIL = str(Path(sys.executable).with_name("vigil"))
HOSTILE = '<script>alert("x")</script> [bold red]not markup[/] :fire: &amp; <img src=x onerror=alert(1)>'


def tweet(n: int, text: str = "", **extra: object) -> dict[str, object]:
    """A flattened twarc2 tweet (the core importer, always registered)."""
    return {
        "id": str(n),
        "text": text or f"report number {n} from the harbour",
        "author_id": "77",
        "author": {"id": "77", "username": "relay_desk", "name": "Relay desk"},
        "created_at": f"2026-03-0{1 + n % 7}T10:00:00.000Z",
        **extra,
    }


def line(n: int, text: str = "") -> bytes:
    return json.dumps(tweet(n, text), ensure_ascii=False).encode("utf-8") + b"\n"


def stored(ws) -> dict[str, str]:
    return {r["id"]: r["text"] for r in iter_records(ws, PostFilter())}


def error_lines(stderr: str) -> list[str]:
    """The non-blank stderr lines; each must be one `error: FILE:WHERE: message` line."""
    return [x for x in stderr.splitlines() if x.strip()]


def assert_one_line_errors(stderr: str, files: list[Path]) -> list[str]:
    lines = error_lines(stderr)
    assert len(lines) == len(files), lines
    for err, path in zip(lines, files, strict=True):
        assert err.startswith(f"error: {path}:"), err
    return lines


def test_truncated_json_array_keeps_the_items_before(cli, tmp_path):
    path = tmp_path / "cut.json"
    whole = json.dumps([tweet(1), tweet(2), tweet(3)], indent=1)
    path.write_text(whole[: whole.index('"3"') + 10], encoding="utf-8")
    res = cli("ingest", str(path))
    assert res.exit_code == 1
    (err,) = assert_one_line_errors(res.stderr, [path])
    assert "item 3" in err
    out = cli("export")
    assert [json.loads(x)["id"] for x in out.stdout.splitlines()] == ["1", "2"]


def test_truncated_single_document_is_one_error(cli, tmp_path):
    path = tmp_path / "page.json"
    page = {"includes": {"users": [{"id": "77", "username": "relay_desk"}]}, "data": [tweet(1), tweet(2)]}
    path.write_text(json.dumps(page)[:-40], encoding="utf-8")
    res = cli("ingest", str(path))
    assert res.exit_code == 1
    (err,) = assert_one_line_errors(res.stderr, [path])
    assert "bad JSON" in err and "truncated" in err


def test_bad_line_among_good_lines(cli, ws, tmp_path):
    path = tmp_path / "stream.jsonl"
    path.write_bytes(line(1) + line(2) + b'{"id": "3", "text": "half a line\n' + line(4))
    res = cli("ingest", str(path), workspace=ws.path)
    assert res.exit_code == 1
    (err,) = assert_one_line_errors(res.stderr, [path])
    assert ":line 3:" in err
    assert sorted(stored(ws)) == ["1", "2", "4"]


def test_utf16_file_is_refused_with_one_error(cli, tmp_path):
    path = tmp_path / "saved-by-notepad.jsonl"
    path.write_bytes((line(1) + line(2)).decode("utf-8").encode("utf-16"))
    res = cli("ingest", str(path))
    assert res.exit_code == 1
    (err,) = assert_one_line_errors(res.stderr, [path])
    assert "UTF-16" in err


def one(fmt: str, n: int, text: str) -> dict[str, object]:
    """One record of a JSON Lines format, with this text."""
    if fmt == "twitter_v1":
        return {
            "id": n,
            "id_str": str(n),
            "created_at": "Mon Mar 02 10:00:00 +0000 2026",
            "full_text": text,
            "user": {"id_str": "5", "screen_name": "desk", "name": "Desk"},
        }
    if fmt == "bluesky":
        return {
            "did": "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa",
            "time_us": 1772445600000000 + n,
            "kind": "commit",
            "commit": {
                "rev": "3mg4",
                "operation": "create",
                "collection": "app.bsky.feed.post",
                "rkey": f"3mg4aaaaaaa{n}a",
                "cid": "bafyreiaa",
                "record": {"$type": "app.bsky.feed.post", "createdAt": "2026-03-02T10:00:00Z", "text": text},
            },
        }
    if fmt == "mastodon":
        return {
            "id": str(n),
            "uri": f"https://m.example/users/desk/statuses/{n}",
            "content": f"<p>{text}</p>",
            "created_at": "2026-03-02T10:00:00.000Z",
            "visibility": "public",
            "reblog": None,
            "account": {"id": "1", "username": "desk", "acct": "desk", "url": "https://m.example/@desk"},
        }
    return tweet(n, text)


@pytest.mark.parametrize("fmt", ["twarc2", "twitter_v1", "bluesky", "mastodon"])
def test_latin1_line_is_one_error_its_post_kept_mended_and_the_lines_after_still_come_in(ws, tmp_path, fmt):
    def enc(n: int, text: str, codec: str = "utf-8") -> bytes:
        return json.dumps(one(fmt, n, text), ensure_ascii=False).encode(codec) + b"\n"

    path = tmp_path / f"{fmt}.jsonl"
    path.write_bytes(enc(1, "café ouvert") + enc(2, "café fermé", "latin-1") + enc(3, "تل صباح"))
    problems: list[Problem] = []
    (res,) = ingest(ws, [path], ImportOptions(forced_format=fmt), on_problem=problems.append)
    assert res.format == fmt
    assert [p.where.split(",")[0] for p in problems] == ["line 2"]
    assert "UTF-8" in problems[0].message
    assert (res.counts.new, res.counts.failed) == (3, 1)  # the damaged post is kept, its text mended and flagged
    texts = sorted(stored(ws).values())
    assert texts == ["café ouvert", "caf\ufffd ferm\ufffd", "تل صباح"]


def test_unknown_format(cli, tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("Desk meeting, 4 March. Nobody has heard from the teacher since Thursday.\n", encoding="utf-8")
    res = cli("ingest", str(path))
    assert res.exit_code == 1
    (err,) = assert_one_line_errors(res.stderr, [path])
    assert "unknown format" in err
    forced = cli("ingest", "--format", "myspace", str(path))
    assert forced.exit_code == 1
    (err,) = assert_one_line_errors(forced.stderr, [path])
    assert "unknown format 'myspace'" in err and "twarc2" in err


# The CLI's own peak RSS (with its workers): started from a small interpreter, since a child's ru_maxrss also
# counts the memory of the process that spawned it, up to its exec (here the test run's own, ~500 MB).
_PEAK = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def test_50_mb_line_is_one_error_and_good_lines_after_it_come_in(tmp_path):
    """Run the real CLI in a child process, so its peak memory and time are its own."""
    path = tmp_path / "dump.jsonl"
    with path.open("wb") as fh:
        fh.write(line(1))
        fh.write(b'{"id": "2", "text": "' + b"\xd8\xb3garbage " * 5_000_000 + b"\n")  # 50 MB, never closed
        fh.write(line(3) + line(4))
    assert path.stat().st_size > 50_000_000
    ws = tmp_path / "ws"
    env = {**os.environ, "COLUMNS": "100"}
    started = time.monotonic()
    peak = tmp_path / "peak"
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, str(peak), VIGIL, "ingest", "-w", str(ws), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    seconds = time.monotonic() - started
    peak_mb = int(peak.read_text()) / 1024
    assert proc.returncode == 1, proc.stderr
    (err,) = assert_one_line_errors(proc.stderr, [path])
    assert ":line 2:" in err and len(err) < 400
    w = open_workspace(ws)
    try:
        assert sorted(stored(w)) == ["1", "3", "4"]
    finally:
        w.close()
    assert seconds < 60
    assert peak_mb < 500, f"peak RSS {peak_mb:.0f} MB for a 50 MB line"


def test_folder_walk_one_bad_file_among_good(cli, ws, tmp_path):
    src = tmp_path / "desk-folder"
    (src / "day2").mkdir(parents=True)
    (src / "a-good.jsonl").write_bytes(line(1) + line(2))
    (src / "b-broken.json").write_text(json.dumps([tweet(3), tweet(4)])[:-30], encoding="utf-8")
    (src / "day2" / "c-good.jsonl").write_bytes(line(5))
    (src / "day2" / "d-notes.txt").write_text("call the fixer at noon\n", encoding="utf-8")
    (src / "day2" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (src / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    res = cli("ingest", str(src), workspace=ws.path)
    assert res.exit_code == 1
    errs = assert_one_line_errors(res.stderr, [src / "b-broken.json", src / "day2" / "d-notes.txt"])
    assert "unknown format" in errs[1]
    assert sorted(stored(ws)) == ["1", "2", "3", "5"]


def test_strict_stops_at_the_first_error(cli, ws, tmp_path):
    src = tmp_path / "strict"
    src.mkdir()
    (src / "a.jsonl").write_bytes(line(1) + b"not json at all\n" + line(2))
    (src / "b.jsonl").write_bytes(line(3))
    res = cli("ingest", "--strict", str(src), workspace=ws.path)
    assert res.exit_code == 1
    (err,) = assert_one_line_errors(res.stderr, [src / "a.jsonl"])
    assert ":line 2:" in err
    assert sorted(stored(ws)) == ["1"]
    lenient = cli("ingest", str(src), workspace=ws.path)
    assert lenient.exit_code == 1
    assert sorted(stored(ws)) == ["1", "2", "3"]


def test_long_path_error_is_still_one_line(cli, tmp_path):
    deep = tmp_path / ("a-folder-name-long-enough-to-wrap-any-terminal-" * 3) / "x"
    deep.mkdir(parents=True)
    path = deep / "notes.txt"
    path.write_text("nothing to see\n", encoding="utf-8")
    res = cli("ingest", str(path))
    assert len(f"error: {path}") > 200  # wider than the runner's 200 columns
    assert_one_line_errors(res.stderr, [path])


def test_html_and_js_in_a_post_are_stored_and_shown_verbatim(cli, ws, tmp_path):
    path = tmp_path / "[clip] hostile.jsonl"
    path.write_bytes(line(1, HOSTILE) + line(2, "a quiet night in Tel Sabah"))
    res = cli("ingest", str(path), workspace=ws.path)
    assert res.exit_code == 0, res.stderr
    assert "[clip] hostile.jsonl" in res.stdout  # a file name is not Rich markup
    assert stored(ws)["1"] == HOSTILE
    exported = cli("export", workspace=ws.path)
    assert json.loads(exported.stdout.splitlines()[0])["text"] == HOSTILE
    found = cli("search", "alert", workspace=ws.path)
    assert found.exit_code == 0
    assert "<script>alert" in found.stdout and "[bold red]not markup[/]" in found.stdout
    assert ":fire:" in found.stdout and "🔥" not in found.stdout


def test_line_over_the_limit_is_skipped_in_pieces(ws, tmp_path, monkeypatch):
    import vigil.sources.base as base

    monkeypatch.setattr(base, "MAX_LINE", 1 << 20)  # the real reader with a 1 MiB limit instead of 64 MiB
    path = tmp_path / "over.jsonl"
    path.write_bytes(line(1) + b'{"id": "2", "text": "' + b"z" * (3 << 20) + b'"}\n' + line(3))
    problems: list[Problem] = []
    (res,) = ingest(ws, [path], on_problem=problems.append)
    assert [(p.where, "over the 1 MiB limit" in p.message) for p in problems] == [("line 2", True)]
    assert sorted(stored(ws)) == ["1", "3"] and res.counts.failed == 1


def test_a_line_break_in_a_file_name_does_not_break_the_error_line(cli, tmp_path):
    path = tmp_path / "from the fixer\nday 3.jsonl"
    path.write_bytes(line(1) + b"{broken\n")
    res = cli("ingest", str(path))
    assert res.exit_code == 1
    (err,) = error_lines(res.stderr)
    assert err.startswith("error: " + str(path).replace("\n", "\\n") + ":line 2:")


@pytest.mark.parametrize("fmt", ["twarc2", "twitter_v1", "bluesky", "mastodon"])
def test_a_line_nested_too_deep_is_one_error_and_the_lines_after_still_come_in(ws, tmp_path, fmt):
    deep = b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"\n"  # msgspec gives up past ~1,000 levels (RecursionError)
    good = [json.dumps(one(fmt, n, f"report {n}"), ensure_ascii=False).encode() + b"\n" for n in (1, 3)]
    path = tmp_path / f"{fmt}.jsonl"
    path.write_bytes(good[0] + deep + good[1])
    problems: list[Problem] = []
    (res,) = ingest(ws, [path], ImportOptions(forced_format=fmt), on_problem=problems.append)
    assert [p.where.split(",")[0] for p in problems] == ["line 2"]
    assert "recursion" in problems[0].message
    assert (res.counts.new, res.counts.failed) == (2, 1)
    assert sorted(stored(ws).values()) == ["report 1", "report 3"]


def test_an_array_item_nested_too_deep_is_one_error_and_the_items_after_still_come_in(ws, tmp_path):
    deep = '{"a":' * 5000 + '"x}]\\"{"' + "}" * 5000  # brackets inside its string must not end it early
    items = [json.dumps(one("mastodon", 1, "report 1")), deep, json.dumps(one("mastodon", 3, "report ] 3"))]
    path = tmp_path / "statuses.json"
    path.write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    problems: list[Problem] = []
    (res,) = ingest(ws, [path], ImportOptions(forced_format="mastodon"), on_problem=problems.append)
    assert [(p.where, p.message) for p in problems] == [("item 2, line 3", "JSON nested too deep; skipped")]
    assert sorted(stored(ws).values()) == ["report 1", "report ] 3"]


def test_a_workspace_that_is_a_file_is_one_plain_line_even_with_brackets_in_its_name(cli, tmp_path):
    odd = tmp_path / "[red]notes.txt"  # rich markup would print it as "notes.txt"
    odd.write_text("not a workspace\n", encoding="utf-8")
    result = cli("stats", workspace=odd)
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {odd}: workspace must be a folder"
