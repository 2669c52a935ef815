"""Load tests/data/watch/harbourtown.json into a workspace, one real capture per entry, through the store writer."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import msgspec

from vigil.ingest.writer import CaptureWriter
from vigil.records import Deletion, Post, Record, Scope
from vigil.store.engine import Workspace

CITY = Path(__file__).parent.parent / "data" / "watch" / "harbourtown.json"
AS_OF = "2026-03-04T12:00:00Z"


def load_city(ws: Workspace, path: Path = CITY, upto: int | None = None) -> list[int]:
    """Write the fixture's captures (the first `upto` of them); return their capture ids."""
    data = json.loads(path.read_text(encoding="utf-8"))
    ids = []
    for cap in data["captures"][:upto]:
        raw = json.dumps(cap).encode()
        w = CaptureWriter(ws, cap["source"], "fixture", None, len(raw))
        records: list[Record] = [Scope(kind=s["kind"], key=s["key"]) for s in cap.get("scopes", [])]
        for p in cap["posts"]:
            post = msgspec.convert(p, Post, strict=False)
            post.raw = json.dumps(p, sort_keys=True).encode()
            records.append(post)
        for d in cap.get("deletions", []):
            records.append(Deletion(uid=d["uid"], at=datetime.fromisoformat(d["at"].replace("Z", "+00:00"))))
        w.write(records)
        w.finish()
        ids.append(w.capture_id)
    return ids
