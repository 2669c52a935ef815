"""A third-party plugin, installed as a distribution with a `vigil` entry point, runs like a built-in part."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import DATA

from vigil import plugins
from vigil.ingest import pipeline
from vigil.sources.base import ImportOptions
from vigil.store.engine import open_workspace

TOY = DATA / "plugins" / "vigil_toy.py"
LINES = [
    "t1|nadia|2026-03-04T08:00:00+00:00|We are trapped near the bakery, please send help!!",
    "not a toy line",
    "t2|nadia|2026-03-04T09:00:00+00:00|Still here! <script>alert(1)</script>",
]


def _install(site: Path) -> Path:
    """Install vigil_toy into site the way pip does: the module and a dist-info naming its entry point."""
    site.mkdir()
    shutil.copy(TOY, site / "vigil_toy.py")
    info = site / "vigil_toy-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: vigil-toy\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[vigil]\ntoy = vigil_toy\n")
    return site


@pytest.fixture
def toy_site(tmp_path, monkeypatch):
    site = _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(site))
    plugins.manager.cache_clear()
    yield site
    plugins.manager.cache_clear()


def _source(tmp_path: Path) -> Path:
    src = tmp_path / "posts.toy"
    src.write_text("\n".join(LINES) + "\n")
    return src


def _run(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(site), **env}
    return subprocess.run([sys.executable, "-m", "vigil.cli", *args], capture_output=True, text=True, env=full)


def test_the_cli_lists_ingests_enriches_and_alerts_through_a_plugin(tmp_path):
    site = _install(tmp_path / "site")
    ws = tmp_path / "ws"
    assert "toy" in _run(site, "formats").stdout
    done = _run(site, "ingest", str(_source(tmp_path)), "-w", str(ws), VIGIL_INGEST_WORKER="0")
    assert done.returncode == 1, done.stderr  # the bad line is reported, the good ones stored
    assert "posts.toy" in done.stderr + done.stdout and "line 2" in done.stderr + done.stdout
    out = _run(site, "export", "-w", str(ws))
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    texts = [line.split("|")[3] for line in (LINES[0], LINES[2])]
    assert [(r["uid"], r["text"]) for r in rows] == [("toy:t1", texts[0]), ("toy:t2", texts[1])]
    assert "plea" in rows[0]["labels"]  # the built-in triage ran beside the plugin's enricher
    sink = tmp_path / "alerts.jsonl"
    _run(site, "watch", "-w", str(ws), "--alerts", "--as-of", "2026-03-06T00:00:00Z", VIGIL_TOY_SINK=str(sink))
    assert any(json.loads(x)["kind"] == "silent" for x in sink.read_text().splitlines())


def test_without_the_plugin_the_format_is_unknown(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "vigil.cli", "ingest", str(_source(tmp_path)), "-w", str(tmp_path / "ws")],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "unknown format" in done.stdout + done.stderr


@pytest.mark.parametrize("worker", [False, True])
def test_a_plugin_runs_in_process_and_in_a_worker(tmp_path, toy_site, monkeypatch, worker):
    if worker:
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setenv("VIGIL_INGEST_WORKERS", "1")
    else:
        monkeypatch.setenv("VIGIL_INGEST_WORKER", "0")
    assert "toy" in plugins.importers() and "toy-shout" in [e.name for e in plugins.enrichers()]
    assert pipeline._use_worker(pipeline.detect(_source(tmp_path), ImportOptions())) is not None or not worker
    ws = open_workspace(tmp_path / "ws")
    problems: list[str] = []
    pipeline.ingest(ws, [_source(tmp_path)], on_problem=lambda p: problems.append(p.where))
    rows = ws.engine.raw_connection().execute("SELECT uid, enrichment FROM posts ORDER BY uid").fetchall()
    ws.close()
    assert problems == ["line 2"]
    assert [(uid, json.loads(e)["shout"]) for uid, e in rows] == [("toy:t1", 2), ("toy:t2", 1)]
