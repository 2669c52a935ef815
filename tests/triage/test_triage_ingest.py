"""Triage at ingest and under `vigil triage`: every exported post carries the keys; filters find them."""

from __future__ import annotations

import json

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.report.export import iter_records
from vigil.store.queries import PostFilter

PAGE = DATA / "twarc2" / "page_with_bad_line.jsonl"
KEYS = ("labels", "priority", "eyewitness", "informative", "cues", "places", "quantities", "story", "lang")


def test_every_exported_post_carries_the_triage_keys(ws):
    ingest(ws, [PAGE])
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert len(recs) == 3
    for rec in recs.values():
        for key in KEYS:
            assert key in rec
    original, rt = recs["twitter:99"], recs["twitter:100"]
    assert original["labels"][:2] == ["plea", "attack"]
    assert original["priority"] == "critical" and original["eyewitness"]
    assert set(original["labels"][2:]) <= set(original["model_words"])  # what the built-in model added says why
    assert original["cues"]["plea"] == ["We need ambulances", "please", "save us"]
    assert rt["priority"] == "high" and not rt["eyewitness"]  # a repost relays
    assert original["story"] == rt["story"]
    assert recs["twitter:101"]["lang"] == "en"  # the platform gave none: detected


def test_filters_by_label_and_priority(ws):
    ingest(ws, [PAGE])
    crit = [r["uid"] for r in iter_records(ws, PostFilter(priorities=["critical"]))]
    assert crit == ["twitter:99"]
    plea = {r["uid"] for r in iter_records(ws, PostFilter(labels=["plea"]))}
    assert plea == {"twitter:99", "twitter:100"}


def test_vigil_triage_applies_edited_lexicons_to_stored_posts(cli, tmp_path):
    wsdir = tmp_path / "ws"
    assert cli("ingest", str(PAGE), workspace=wsdir).exit_code == 1  # the fixture has one bad line
    lex = wsdir / "lexicons"
    lex.mkdir()
    (lex / "en.tsv").write_text("label\tpattern\tweight\tnotes\nadvice\tnorth gate\t1\ttest row\n", encoding="utf-8")
    (wsdir / "gazetteer.tsv").write_text("name\tcountry\tlat\tlon\taliases\nHarbor\tXX\t1\t2\t\n", encoding="utf-8")
    res = cli("triage", workspace=wsdir)
    assert res.exit_code == 0, res.output
    assert "triaged 3 posts" in res.output
    out = cli("export", "--format", "jsonl", "--label", "advice", workspace=wsdir)
    recs = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert {r["uid"] for r in recs} == {"twitter:99", "twitter:100"}
    assert recs[0]["cues"]["advice"] == ["north gate"]
    harbor = json.loads(cli("export", "--format", "jsonl", workspace=wsdir).output.splitlines()[-1])
    assert harbor["uid"] == "twitter:101" and harbor["places"][0]["name"] == "Harbor"


def test_vigil_triage_reports_a_bad_lexicon_row(cli, tmp_path):
    wsdir = tmp_path / "ws"
    (wsdir / "lexicons").mkdir(parents=True)
    (wsdir / "lexicons" / "en.tsv").write_text("pleas\tsave us\t1\n", encoding="utf-8")
    res = cli("triage", workspace=wsdir)
    assert res.exit_code == 2
    assert "en.tsv:1: unknown label 'pleas'" in res.output


def test_an_unknown_label_or_priority_is_an_error_not_an_empty_result(cli, tmp_path):
    wsdir = tmp_path / "ws"
    cli("ingest", str(PAGE), workspace=wsdir)
    for args in (("export", "--priority", "urgent"), ("search", "help", "--label", "pleas")):
        res = cli(*args, workspace=wsdir)
        assert res.exit_code == 2, res.output
        lines = [line for line in res.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "is not one of:" in lines[0] and args[2] in lines[0]
    res = cli("export", "--format", "jsonl", "--priority", "CRITICAL", workspace=wsdir)
    assert res.exit_code == 0
    assert [json.loads(line)["uid"] for line in res.output.splitlines() if line.startswith("{")] == ["twitter:99"]
