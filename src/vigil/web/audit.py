"""The audit log: every change made through the desk or `vigil user`, with who, when, before and after."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema

COLUMNS = ("id", "at", "who", "action", "target", "before", "after")


@dataclass
class Entry:
    """One audited change (before and after as decoded JSON, None when there was nothing)."""

    id: int
    at: str
    who: str
    action: str
    target: str
    before: Any
    after: Any


def record(conn: sa.Connection, who: str, action: str, target: str, before: Any, after: Any) -> None:
    """Write one entry in the caller's transaction (the change and its record commit together)."""
    conn.execute(
        schema.audit_log.insert().values(
            at=now_iso(),
            who=who,
            action=action,
            target=target,
            before=None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
            after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        )
    )


def _entry(r: sa.Row[Any]) -> Entry:
    return Entry(
        r.id,
        r.at,
        r.who,
        r.action,
        r.target,
        json.loads(r.before) if r.before else None,
        json.loads(r.after) if r.after else None,
    )


def entries(
    conn: sa.Connection, who: str | None = None, action: str | None = None, target: str | None = None, limit: int = 100
) -> list[Entry]:
    """The newest entries first, optionally of one person, kind of change or target."""
    a = schema.audit_log.c
    stmt = sa.select(schema.audit_log).order_by(a.id.desc()).limit(limit)
    if who:
        stmt = stmt.where(a.who == who)
    if action:
        stmt = stmt.where(a.action == action)
    if target:
        stmt = stmt.where(a.target == target)
    return [_entry(r) for r in conn.execute(stmt)]


def iter_all(conn: sa.Connection) -> Iterator[Entry]:
    """Every entry, oldest first."""
    for r in conn.execute(sa.select(schema.audit_log).order_by(schema.audit_log.c.id)):
        yield _entry(r)


def export(conn: sa.Connection, out: IO[str], fmt: str = "jsonl") -> int:
    """Write the whole log as JSON Lines or CSV (before/after as JSON text); return how many entries."""
    n = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(COLUMNS)
    for e in iter_all(conn):
        row = {"id": e.id, "at": e.at, "who": e.who, "action": e.action, "target": e.target}
        if writer:
            sides = [json.dumps(x, ensure_ascii=False) for x in (e.before, e.after)]
            writer.writerow([*row.values(), *sides])
        else:
            out.write(json.dumps({**row, "before": e.before, "after": e.after}, ensure_ascii=False) + "\n")
        n += 1
    return n
