"""The output gate: hashes of what Vigil makes of fixed inputs, so any change of output is seen.

Ingests examples/ and a seeded generated twarc2 file into fresh workspaces, then hashes the exported records
(every field, capture times and absolute paths set aside) and the stored enrichment of every post (triage and any
other enricher). `tests/test_golden.py` compares them with tests/data/golden.json.

    python bench/gate/golden.py            # print the hashes and whether they match the recorded ones
    python bench/gate/golden.py --write    # record them (a change of output that is intended: say why)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
GOLDEN = ROOT / "tests" / "data" / "golden.json"
GENERATED_TWEETS = 2_000
SEED = 7


def _generate(path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("gen_twarc2", ROOT / "bench" / "gen_twarc2.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write(path, GENERATED_TWEETS, seed=SEED)


def _canonical(record: dict, root: Path) -> str:
    for cap in record.get("captures") or []:
        cap.pop("at", None)
        cap["source"] = os.path.relpath(cap["source"], root)
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def hashes_of(ws_path: Path, sources: list[Path], root: Path) -> dict[str, str]:
    """Ingest sources in-process into a fresh workspace; the hashes of its export and of its enrichment."""
    from vigil.ingest import pipeline
    from vigil.report.export import iter_records
    from vigil.store.engine import open_workspace
    from vigil.store.queries import PostFilter

    os.environ["VIGIL_INGEST_WORKER"] = "0"
    ws = open_workspace(ws_path)
    try:
        pipeline.ingest(ws, sources)
        export = hashlib.sha256()
        for rec in iter_records(ws, PostFilter()):
            export.update(_canonical(rec, root).encode() + b"\n")
        enrichment = hashlib.sha256()
        rows = ws.engine.raw_connection().execute("SELECT uid, enrichment FROM posts ORDER BY uid").fetchall()
        for uid, enr in rows:
            enrichment.update(f"{uid}\t{enr}\n".encode())
        return {"export": export.hexdigest(), "enrichment": enrichment.hexdigest(), "posts": str(len(rows))}
    finally:
        ws.close()


def build(work: Path) -> dict[str, dict[str, str]]:
    """The hashes of the examples and of the generated file."""
    gen = _generate(work / "generated.jsonl")
    return {
        "examples": hashes_of(work / "examples-ws", [ROOT / "examples"], ROOT),
        "generated": hashes_of(work / "generated-ws", [gen], work),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="record the hashes in tests/data/golden.json")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        got = build(Path(tmp))
    print(json.dumps(got, indent=2))
    if args.write:
        GOLDEN.write_text(json.dumps(got, indent=2) + "\n")
        print(f"written to {GOLDEN}")
        return 0
    same = GOLDEN.is_file() and json.loads(GOLDEN.read_text()) == got
    print("identical to tests/data/golden.json" if same else "DIFFERENT from tests/data/golden.json")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
