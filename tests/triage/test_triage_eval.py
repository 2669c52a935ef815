"""The evaluation script scores the project's labelled set (and CrisisLex T26 when ../shared/data has it)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from tests.conftest import DATA, SHARED

BENCH = DATA.parent.parent / "bench" / "eval_triage.py"


def load_eval():
    spec = importlib.util.spec_from_file_location("eval_triage", BENCH)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_triage"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_labelled_set_is_large_and_multilingual():
    rows = [json.loads(x) for x in (DATA / "triage" / "labelled.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150
    langs = {r["lang"] for r in rows}
    assert {"en", "ar", "es", "fr", "tr", "uk", "ru"} <= langs


def test_project_set_scores(triager):
    ev = load_eval()
    scores = ev.eval_project(triager)
    for label in ("plea", "farewell", "attack", "casualties"):
        assert scores[label].precision >= 0.85 and scores[label].recall >= 0.85, label
    assert "micro (labels)" in ev.table("t", scores)


@pytest.mark.shared_data
def test_crisislex_mapping_runs_on_one_event(triager):
    if not SHARED.is_dir():
        pytest.skip(f"CrisisLex T26 not present at {SHARED}")
    ev = load_eval()
    scores, n = ev.eval_crisislex(triager, SHARED, events=1)
    assert n > 500
    assert scores["Sympathy and support -> sympathy"].precision > 0.5
