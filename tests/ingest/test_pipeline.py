from __future__ import annotations

import shutil

from tests.conftest import DATA

from vigil.ingest.pipeline import plan
from vigil.sources.base import ImportOptions


def _archive_dir():
    return next(p for p in (DATA / "x_archive").iterdir() if p.is_dir() and (p / "data").is_dir())


def test_forced_format_on_a_folder_the_importer_claims_is_one_unit():
    folder = _archive_dir()
    units = list(plan([folder], ImportOptions(forced_format="x_archive")))
    assert [(u.path, u.importer.name) for u in units] == [(folder, "x_archive")]


def test_walk_skips_notes_but_reports_unknown_files(tmp_path):
    shutil.copy(DATA / "twarc2" / "page_with_bad_line.jsonl", tmp_path / "a.jsonl")
    (tmp_path / "README.md").write_text("# notes about this folder\n")
    (tmp_path / "mystery.dat").write_text("not an export\n")
    units = list(plan([tmp_path], ImportOptions()))
    assert [(u.path.name, u.importer.name if u.importer else None) for u in units] == [
        ("a.jsonl", "twarc2"),
        ("mystery.dat", None),
    ]
    assert "unknown format" in units[1].problem.message


def test_a_bad_workspace_lexicon_is_one_line_naming_file_and_line(cli, tmp_path):
    wsdir = tmp_path / "ws"
    (wsdir / "lexicons").mkdir(parents=True)
    (wsdir / "lexicons" / "en.tsv").write_text("label\tpattern\tweight\nplease\tsave us\t1\n", encoding="utf-8")
    result = cli("ingest", str(DATA / "twarc2" / "page_with_bad_line.jsonl"), workspace=wsdir)
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if "lexicons" in ln]
    assert lines == [f"error: triage: {wsdir / 'lexicons' / 'en.tsv'}:2: unknown label 'please'"]
