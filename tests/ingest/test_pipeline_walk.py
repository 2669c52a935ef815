"""The folder walk: deep trees, links, sidecar files named on the command line, and bugs in an importer."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.conftest import DATA

from vigil import plugins
from vigil.ingest.pipeline import ingest, plan
from vigil.records import Problem
from vigil.sources.base import ImportOptions

PAGE = DATA / "twarc2" / "stream.jsonl"


def test_a_folder_a_thousand_levels_deep_is_walked_without_recursion(ws, tmp_path):
    root = tmp_path / "deep"
    d = root
    os.mkdir(d)
    for _ in range(1000):  # (os.makedirs recurses: one level at a time)
        d = d / "a"
        os.mkdir(d)
    shutil.copy(PAGE, d / "stream.jsonl")
    try:
        (res,) = ingest(ws, [root])
        assert (res.format, res.counts.new) == ("twarc2", 2)
    finally:  # (shutil.rmtree recurses too: pytest could not clean the tree up)
        (d / "stream.jsonl").unlink()
        while d != root:
            d.rmdir()
            d = d.parent


def test_links_to_the_folder_itself_or_out_of_it_are_not_followed(ws, tmp_path):
    root = tmp_path / "exports"
    root.mkdir()
    shutil.copy(PAGE, root / "stream.jsonl")
    outside = tmp_path / "private"
    outside.mkdir()
    shutil.copy(DATA / "twarc2" / "flattened.jsonl", outside / "other.jsonl")
    (root / "again").symlink_to(root)
    (root / "up").symlink_to(tmp_path)
    (root / "secret.jsonl").symlink_to(outside / "other.jsonl")
    results = ingest(ws, [root])
    read = [r for r in results if r.format]
    assert [r.path.name for r in read] == ["stream.jsonl"]
    skipped = {r.path.name: r.note for r in results if r.note}
    assert set(skipped) == {"again", "up", "secret.jsonl"}
    assert "back into" in skipped["again"] and "out of" in skipped["up"]


def test_a_subtitle_named_on_the_command_line_is_skipped_as_a_sidecar(cli, tmp_path):
    vtt = DATA / "ytdlp" / "Harbor bridge report [vid0000001].en.vtt"
    info = DATA / "ytdlp" / "Harbor bridge report [vid0000001].info.json"
    res = cli("ingest", str(info), str(vtt), workspace=tmp_path / "ws")
    assert res.exit_code == 0, res.output
    assert "unknown format" not in res.output
    assert f"skipped: {vtt}: subtitle" in res.stderr


class _Broken:
    name = "broken"
    description = "raises after one post"
    example = ""

    def detect(self, path: Path, head: bytes) -> int:
        return 99 if path.suffix == ".brk" else 0

    def iter_records(self, path, options):
        from vigil.records import Post

        yield Post(platform="test", id=path.stem, text="kept")
        raise KeyError("a bug")


def test_a_bug_in_an_importer_is_an_internal_error_the_next_source_still_read_and_exit_2(cli, tmp_path, monkeypatch):
    real = plugins.importers()
    monkeypatch.setattr(plugins, "importers", lambda: {**real, "broken": _Broken()})
    bad = tmp_path / "one.brk"
    bad.write_text("x")
    good = tmp_path / "stream.jsonl"
    shutil.copy(PAGE, good)
    res = cli("ingest", str(bad), str(good), workspace=tmp_path / "ws")
    assert res.exit_code == 2
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: internal error in broken at {bad}:record 2: KeyError: 'a bug'"]
    assert "Traceback" not in res.output
    problems: list[Problem] = []
    results = ingest(__import__("vigil.store.engine", fromlist=["x"]).open_workspace(tmp_path / "ws"), [bad, good])
    assert [r.counts.new for r in results] == [0, 0]  # both already stored: the post before the bug was kept
    del problems


def test_plan_of_a_missing_path_is_one_problem(tmp_path):
    (unit,) = plan([tmp_path / "nope.json"], ImportOptions())
    assert unit.problem is not None and "no such file" in unit.problem.message
    assert json.dumps(str(unit.path))
