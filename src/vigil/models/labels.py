"""Human labels in the workspace (who set them and when), and their CSV export and import."""

from __future__ import annotations

import csv
import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema
from vigil.store.engine import Workspace

CSV_COLUMNS = ("uid", "task", "label", "set_by", "set_at", "text")


class LabelError(Exception):
    """A label file cannot be imported."""


@dataclass
class HumanLabel:
    """One label a person gave one post for one task."""

    uid: str
    task: str
    label: str
    set_by: str
    set_at: str
    id: int | None = None


def current_user() -> str:
    """$VIGIL_USER, else the OS user name."""
    user = os.environ.get("VIGIL_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def add(ws: Workspace, uid: str, task: str, label: str, set_by: str | None = None, set_at: str | None = None) -> int:
    """Store a label; return its row id (for undo)."""
    with ws.engine.begin() as conn:
        res = conn.execute(
            schema.human_labels.insert().values(
                uid=uid, task=task, label=label, set_by=set_by or current_user(), set_at=set_at or now_iso()
            )
        )
        key = res.inserted_primary_key
        assert key is not None
        return int(key[0])


def remove(ws: Workspace, label_id: int) -> None:
    """Delete one stored label (undo)."""
    with ws.engine.begin() as conn:
        conn.execute(schema.human_labels.delete().where(schema.human_labels.c.id == label_id))


def all_labels(ws: Workspace, task: str | None = None) -> list[HumanLabel]:
    """Every stored label (of one task), oldest first."""
    h = schema.human_labels.c
    stmt = sa.select(schema.human_labels).order_by(h.set_at, h.id)
    if task:
        stmt = stmt.where(h.task == task)
    with ws.engine.connect() as conn:
        return [HumanLabel(r.uid, r.task, r.label, r.set_by, r.set_at, r.id) for r in conn.execute(stmt)]


def latest(ws: Workspace, task: str) -> dict[str, str]:
    """The newest label of each post for a task (a relabel replaces an older one)."""
    return {lab.uid: lab.label for lab in all_labels(ws, task)}


def tasks(ws: Workspace) -> dict[str, int]:
    """Each task and how many labels it holds."""
    h = schema.human_labels.c
    with ws.engine.connect() as conn:
        return dict(conn.execute(sa.select(h.task, sa.func.count()).group_by(h.task).order_by(h.task)).all())


def export_csv(ws: Workspace, out: IO[str], task: str | None = None, with_text: bool = True) -> int:
    """Write labels as CSV (uid, task, label, set_by, set_at and the post's text for review); return how many."""
    from vigil.models.enrichment import texts_of_uids

    rows = all_labels(ws, task)
    texts = texts_of_uids(ws, sorted({r.uid for r in rows})) if with_text else {}
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.uid, r.task, r.label, r.set_by, r.set_at, texts.get(r.uid, "")])
    return len(rows)


def import_csv(ws: Workspace, path: Path, task: str | None = None) -> tuple[int, int]:
    """Add the labels of a CSV (uid, label, and task unless given); identical rows already stored are skipped.

    Returns (added, already present).
    """
    from vigil.models.dataset import DatasetError, match_column, read_rows

    try:
        header, rows = read_rows(path)
        ucol, lcol = match_column(header, "uid"), match_column(header, "label")
        tcol = match_column(header, "task") if task is None else None
    except DatasetError as exc:
        raise LabelError(str(exc)) from exc
    by = next((c for c in header if c.strip() == "set_by"), None)
    at = next((c for c in header if c.strip() == "set_at"), None)
    existing = {(x.uid, x.task, x.label, x.set_by, x.set_at) for x in all_labels(ws)}
    user, stamp = current_user(), now_iso()
    new = []
    for n, row in enumerate(rows, 2):
        uid, label = (row.get(ucol) or "").strip(), (row.get(lcol) or "").strip()
        t = task if tcol is None else (row.get(tcol) or "").strip()
        if not uid or not label or not t:
            raise LabelError(f"{path}: row {n}: uid, label and task are required")
        who = (row.get(by) or "").strip() if by else ""
        when = (row.get(at) or "").strip() if at else ""
        key = (uid, t, label, who or user, when or stamp)
        if key in existing:
            continue
        existing.add(key)
        new.append(dict(zip(("uid", "task", "label", "set_by", "set_at"), key, strict=True)))
    if new:
        with ws.engine.begin() as conn:
            conn.execute(schema.human_labels.insert(), new)
    return len(new), len(rows) - len(new)
