"""The worker-process ingest path stores exactly what the in-process path stores."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import pytest
from tests.conftest import DATA

from vigil.ingest import pipeline
from vigil.records import Problem
from vigil.sources.base import ImportOptions
from vigil.store.engine import open_workspace
from vigil.store.queries import search

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _generate(path: Path, tweets: int) -> Path:
    spec = importlib.util.spec_from_file_location("gen_twarc2", BENCH / "gen_twarc2.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write(path, tweets, seed=11)


def _dump(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    out = {
        "posts": con.execute("SELECT * FROM posts ORDER BY uid").fetchall(),
        "versions": con.execute("SELECT uid, n, text, content_hash FROM post_versions ORDER BY uid, n").fetchall(),
        "raws": con.execute("SELECT sha256, size, data FROM raw_payloads ORDER BY sha256").fetchall(),
        "accounts": con.execute("SELECT uid, native_id, handle, name, bio FROM accounts ORDER BY uid").fetchall(),
        "seen": con.execute("SELECT uid, raw_sha256, likes, views FROM post_captures ORDER BY uid").fetchall(),
    }
    con.close()
    return out


@pytest.fixture
def worker(monkeypatch):
    """Every source file goes through one worker process."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "WORKER_BATCH", pipeline.BATCH)
    monkeypatch.setenv("VIGIL_INGEST_WORKERS", "1")


_SAME_AFTER_ANY_ORDER = (
    "SELECT uid, kind, account_uid, created_at, text, labels, priority, story, enrichment,"
    " versions, content_hash, raw_sha256, likes, shares FROM posts ORDER BY uid"
)


@pytest.fixture
def no_triage(monkeypatch):
    """No enrichers (triage has its own tests; preparing it costs seconds per process)."""
    monkeypatch.setattr(pipeline.plugins, "enrichers", lambda: [])


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("gen") / "t.jsonl", 600)


def test_worker_stores_the_same_as_in_process(tmp_path, generated, monkeypatch, worker):
    ws_w = open_workspace(tmp_path / "w")
    res_w = pipeline.ingest(ws_w, [generated])[0].counts
    monkeypatch.setenv("VIGIL_INGEST_WORKER", "0")
    ws_h = open_workspace(tmp_path / "h")
    res_h = pipeline.ingest(ws_h, [generated])[0].counts
    assert (res_w.new, res_w.unchanged, res_w.failed) == (res_h.new, res_h.unchanged, res_h.failed)
    assert res_w.new > 600
    w, h = _dump(ws_w.db_path), _dump(ws_h.db_path)
    assert w == h
    labelled = [r for r in w["posts"] if r[-5]]  # labels column is filled by triage
    assert labelled
    hits_w = [x.row["uid"] for x in search(ws_w, "trapped children", limit=50)]
    assert hits_w and hits_w == [x.row["uid"] for x in search(ws_h, "trapped children", limit=50)]
    con = sqlite3.connect(ws_w.db_path)
    sha, size = con.execute("SELECT source_sha256, source_size FROM captures").fetchone()
    assert size == generated.stat().st_size and len(sha) == 64
    ws_w.close()
    ws_h.close()


def test_worker_reingest_changes_nothing(tmp_path, generated, worker, no_triage):
    ws = open_workspace(tmp_path / "w")
    pipeline.ingest(ws, [generated])
    before = _dump(ws.db_path)
    again = pipeline.ingest(ws, [generated])[0].counts
    assert (again.new, again.updated, again.failed) == (0, 0, 0) and again.unchanged > 600
    after = _dump(ws.db_path)
    assert after["posts"] == before["posts"] and after["accounts"] == before["accounts"]
    ws.close()


def test_worker_reports_bad_lines_with_file_and_line(ws, worker, no_triage):
    page = DATA / "twarc2" / "page_with_bad_line.jsonl"
    seen: list[Problem] = []
    counts = pipeline.ingest(ws, [page], on_problem=seen.append)[0].counts
    assert (counts.new, counts.failed) == (3, 1)
    assert [(p.source, p.where) for p in seen] == [(str(page), "line 2")]


def test_worker_strict_stops_at_the_first_error(tmp_path, worker, no_triage):
    good = json.loads((DATA / "twarc2" / "page_with_bad_line.jsonl").read_text().splitlines()[0])
    later = json.loads(json.dumps(good).replace('"101"', '"201"').replace('"100"', '"200"'))
    src = tmp_path / "strict.jsonl"
    src.write_text(json.dumps(good) + "\n{broken\n" + json.dumps(later) + "\n", encoding="utf-8")
    ws = open_workspace(tmp_path / "ws")
    res = pipeline.ingest(ws, [src], ImportOptions(strict=True))
    assert res[0].counts.failed == 1 and res[0].counts.new == 3
    lenient = pipeline.ingest(ws, [src])[0].counts
    assert lenient.new == 2  # the posts after the bad line were not read under --strict
    ws.close()


def test_worker_stores_an_edit_as_a_new_version_and_triages_it(tmp_path, worker, monkeypatch):
    page = json.loads((DATA / "twarc2" / "page_with_bad_line.jsonl").read_text().splitlines()[0])
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps(page) + "\n", encoding="utf-8")
    page["data"][1]["text"] = "We are trapped under the rubble, please help us"
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps(page) + "\n", encoding="utf-8")
    ws = open_workspace(tmp_path / "ws")
    with monkeypatch.context() as m:
        m.setattr(pipeline.plugins, "enrichers", lambda: [])
        pipeline.ingest(ws, [first])
    counts = pipeline.ingest(ws, [second])[0].counts
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 2)
    con = sqlite3.connect(ws.db_path)
    row = con.execute("SELECT text, versions, labels FROM posts WHERE uid = 'twitter:101'").fetchone()
    text, versions, labels = row
    assert text == page["data"][1]["text"] and versions == 2 and labels
    assert [h.row["uid"] for h in search(ws, "rubble")] == ["twitter:101"]
    assert search(ws, "alert") == []
    ws.close()


class BrokenEnricher:
    name = "broken"
    order = 1

    def prepare(self, ws):
        raise RuntimeError("lexicon missing")

    def enrich(self, posts):
        pass


def test_worker_crash_is_an_error_not_a_silent_partial_run(ws, worker, monkeypatch):
    monkeypatch.setattr(pipeline.plugins, "enrichers", lambda: [BrokenEnricher()])
    with pytest.raises(RuntimeError, match="(?s)ingest worker failed.*lexicon missing"):
        pipeline.ingest(ws, [DATA / "twarc2" / "page_with_bad_line.jsonl"])


def test_two_workers_store_what_one_stores(tmp_path, monkeypatch, worker):
    """Two workers split the lines; the store holds the same posts, and a bad line is reported once."""
    src = _generate(tmp_path / "t.jsonl", 2500)
    with src.open("a", encoding="utf-8") as fh:
        fh.write('{"data": [{"id": "1", "text": \n')
    got = {}
    for n in ("1", "2"):
        monkeypatch.setenv("VIGIL_INGEST_WORKERS", n)
        ws = open_workspace(tmp_path / f"w{n}")
        seen: list[Problem] = []
        counts = pipeline.ingest(ws, [src], on_problem=seen.append)[0].counts
        con = sqlite3.connect(ws.db_path)
        got[n] = (
            counts.new,
            counts.unchanged,  # 0: a copy met again in the same file (the other worker's pages) is counted once
            counts.failed,
            [p.where for p in seen],
            con.execute(_SAME_AFTER_ANY_ORDER).fetchall(),
            _dump(ws.db_path)["raws"],
            con.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'help'").fetchone(),
        )
        con.close()
        again = pipeline.ingest(ws, [src])[0].counts
        assert (again.new, again.updated, again.unchanged) == (0, 0, counts.new)
        ws.close()
    assert got["1"][0] > 3000 and got["1"][1:3] == (0, 1)
    assert got["2"] == got["1"]


def test_workers_started_ahead_are_used_and_the_unused_exit(tmp_path, generated, worker, no_triage):
    from vigil.ingest import worker as ingest_worker

    pipeline.prestart_workers([generated])
    ahead = list(ingest_worker._started)
    assert len(ahead) == 1
    ws = open_workspace(tmp_path / "w")
    assert pipeline.ingest(ws, [generated])[0].counts.new > 600
    assert ingest_worker._started == [] and ahead[0].poll() == 0  # it read the source and ended

    ingest_worker.prestart(2)
    spare = list(ingest_worker._started)
    pipeline.ingest(ws, [tmp_path / "missing.jsonl"])  # no source for them: they are let go
    assert ingest_worker._started == [] and [p.wait(timeout=30) for p in spare] == [0, 0]
    ws.close()


def test_no_worker_is_started_ahead_for_small_sources(tmp_path, no_triage):
    from vigil.ingest import worker as ingest_worker

    src = tmp_path / "small.jsonl"
    src.write_text('{"data": [{"id": "1", "text": "help"}]}\n', encoding="utf-8")
    pipeline.prestart_workers([src, tmp_path])
    assert ingest_worker._started == []


def test_the_end_of_a_source_comes_in_small_batches(tmp_path, no_triage):
    """The main process writes the last batch alone: a worker sends its last two batches' records in small ones."""
    from vigil import plugins
    from vigil.ingest import worker as ingest_worker

    src = _generate(tmp_path / "t.jsonl", 2500)
    ws = open_workspace(tmp_path / "w")
    sizes: list[int] = []
    uids: list[str] = []

    def write(prepared, others, n):
        sizes.append(n)
        uids.extend(item.uid for item in prepared)

    importer = plugins.importers()["twarc2"]
    ingest_worker.run(src, importer, ImportOptions(), ws.path, [], 1500, write)
    expected = [rec.uid for rec in importer.iter_records(src, ImportOptions()) if not isinstance(rec, Problem)]
    total = len(expected)
    assert total > 3000 and sum(sizes) == total
    full = (total // 1500 - 1) * 1500  # every full batch but the last one read goes as it is
    assert sizes[: full // 1500] == [1500] * (full // 1500)
    tail = sizes[full // 1500 :]
    assert sum(tail) == total - full and all(s <= ingest_worker.TAIL_BATCH for s in tail) and len(tail) >= 2
    assert len(set(uids)) == len(set(expected))  # each post once (a batch keeps the last copy of a uid)
    ws.close()


def test_workers_warmed_up_for_the_workspace_triage_as_the_others(cli, tmp_path, generated, worker):
    """`vigil ingest` starts the workers with the workspace, so they compile its lexicons while it opens."""
    from vigil.ingest import worker as ingest_worker

    wsdir = tmp_path / "warm"
    (wsdir / "lexicons").mkdir(parents=True)
    (wsdir / "lexicons" / "en.tsv").write_text("label\tpattern\tweight\nplea\tphones dying\t1\n", encoding="utf-8")
    spawned = []
    real_spawn = ingest_worker.spawn

    def spawn(warm=None):
        spawned.append(warm)
        return real_spawn(warm)

    ingest_worker.spawn = spawn
    try:
        assert cli("ingest", str(generated), workspace=wsdir).exit_code == 0
    finally:
        ingest_worker.spawn = real_spawn
    assert spawned == [wsdir]  # started ahead, with the workspace to warm up for
    cold = open_workspace(tmp_path / "cold")
    (cold.path / "lexicons").mkdir()
    (cold.path / "lexicons" / "en.tsv").write_bytes((wsdir / "lexicons" / "en.tsv").read_bytes())
    pipeline.ingest(cold, [generated])  # not started ahead: no warm-up
    sql = "SELECT uid, labels, priority, enrichment FROM posts ORDER BY uid"
    warm_rows = sqlite3.connect(wsdir / "vigil.db").execute(sql).fetchall()
    assert warm_rows == sqlite3.connect(cold.db_path).execute(sql).fetchall()
    assert any("Phones dying" in (r[3] or "") for r in warm_rows)  # the workspace's own cue was used
    cold.close()


def test_a_bad_lexicon_met_while_warming_up_is_reported_as_without_warm_up(cli, tmp_path, generated, worker):
    wsdir = tmp_path / "ws"
    (wsdir / "lexicons").mkdir(parents=True)
    (wsdir / "lexicons" / "en.tsv").write_text("label\tpattern\tweight\nplease\tsave us\t1\n", encoding="utf-8")
    result = cli("ingest", str(generated), workspace=wsdir)
    assert result.exit_code != 0
    assert f"{wsdir / 'lexicons' / 'en.tsv'}:2: unknown label 'please'" in result.output


def test_a_worker_crash_is_one_line_from_the_cli(cli, tmp_path, worker, monkeypatch):
    monkeypatch.setattr(pipeline.plugins, "enrichers", lambda: [BrokenEnricher()])
    src = DATA / "twarc2" / "page_with_bad_line.jsonl"
    result = cli("ingest", str(src), workspace=tmp_path / "ws")
    assert result.exit_code == 2  # a crash is a bug, told apart from bad input (1)
    lines = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert lines == [f"error: {src}: ingest worker failed: RuntimeError: lexicon missing"]
    assert "Traceback" not in result.output
