"""Ingest sources with `vigil ingest` into a fresh workspace and hash every table: the end-to-end gate.

Run it before and after a change of the ingest path (and with VIGIL_INGEST_WORKER=0 against the default, to
see the worker store what the main process stores, with --any-order). Capture times and absolute paths are set aside.

    python bench/gate/tables.py bench/out/tweets-200k.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VOLATILE = {
    "captures": {"started_at", "ended_at", "path", "vigil_version"},
    "payload_dicts": {"created_at"},
    "accounts": {"updated_at"},
}
ORDERED = {"posts": {"pk"}}  # numbered in the order batches are written: differs between worker and in-process


def table_hashes(db: Path, any_order: bool = False) -> dict[str, str]:
    """SHA-256 of each table's rows in primary-key order, volatile columns left out."""
    con = sqlite3.connect(db)
    out = {}
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    for table in tables:
        if table.startswith(("posts_fts_", "sqlite_", "alembic")):
            continue
        skip = VOLATILE.get(table, set()) | (ORDERED.get(table, set()) if any_order else set())
        cols = [r[1] for r in con.execute(f"PRAGMA table_info('{table}')") if r[1] not in skip]
        h = hashlib.sha256()
        sql = f"SELECT {', '.join(cols)} FROM '{table}' ORDER BY {', '.join(cols)}"  # noqa: S608
        for row in con.execute(sql):
            h.update(repr(row).encode() + b"\n")
        out[table] = h.hexdigest()
    con.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", type=Path)
    ap.add_argument("--any-order", action="store_true", help="leave out row numbers (worker against in-process)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        vigil = Path(sys.executable).parent / "vigil"
        done = subprocess.run([str(vigil), "ingest", *map(str, args.sources), "-w", str(ws)], capture_output=True)
        print(f"vigil ingest exit {done.returncode}")
        for table, digest in table_hashes(ws / "vigil.db", args.any_order).items():
            print(f"{table:24} {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
