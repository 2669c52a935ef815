"""The output gate in the suite: what Vigil makes of examples/ and a seeded generated file is unchanged.

A change of output that is intended is recorded with `python bench/gate/golden.py --write`, in the same commit,
with the reason in its message.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _gate():
    spec = importlib.util.spec_from_file_location("golden", ROOT / "bench" / "gate" / "golden.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_output_is_what_the_gate_recorded(tmp_path, monkeypatch):
    gate = _gate()
    monkeypatch.setenv("VIGIL_INGEST_WORKER", "0")
    got = gate.build(tmp_path)
    want = json.loads(gate.GOLDEN.read_text())
    changed = {f"{src}.{key}" for src in want for key in want[src] if got[src][key] != want[src][key]}
    assert not changed, f"output changed: {sorted(changed)}; if intended, run `python bench/gate/golden.py --write`"


def test_the_gate_sees_a_changed_text(tmp_path, monkeypatch):
    gate = _gate()
    monkeypatch.setenv("VIGIL_INGEST_WORKER", "0")
    src = tmp_path / "one.jsonl"
    tweet = {"id": "1", "text": "We are trapped, send help", "author_id": "9", "created_at": "2026-03-04T08:00:00.000Z"}
    src.write_text(json.dumps({"data": [tweet], "includes": {"users": [{"id": "9", "username": "a", "name": "A"}]}}))
    first = gate.hashes_of(tmp_path / "a", [src], tmp_path)
    src.write_text(src.read_text().replace("We are trapped, send help", "A quiet evening by the sea"))
    second = gate.hashes_of(tmp_path / "b", [src], tmp_path)
    assert first["export"] != second["export"] and first["enrichment"] != second["enrichment"]
