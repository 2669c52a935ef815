"""`vigil export`, `vigil search`, `vigil stats`, `vigil raw`: read what the workspace holds."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import (
    AuthorOpt,
    DateOrderOpt,
    LabelOpt,
    PlatformOpt,
    PriorityOpt,
    SinceOpt,
    TzOpt,
    UntilOpt,
    WorkspaceOpt,
    as_reader,
    console,
    fail,
    make_filter,
    open_ws,
)

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class ExportFormat(StrEnum):
    """Export file formats."""

    jsonl = "jsonl"
    csv = "csv"


class StatsFormat(StrEnum):
    """Stats output formats."""

    table = "table"
    json = "json"


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    platform: PlatformOpt = None,
    author: AuthorOpt = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Full-text query.")] = None,
    label: LabelOpt = None,
    priority: PriorityOpt = None,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="CSV columns: a,b,c; +a,b (the default set and these); all (every column). "
            "Default: uid, platform, created_at, author, kind, text, url, labels, priority, story, voice, deleted_at, "
            "edited.",
        ),
    ] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for spreadsheets: a UTF-8 byte-order mark, formulas kept as text.")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export posts as JSON Lines (every field) or CSV (one record per post)."""
    as_reader(workspace)
    from vigil.report.export import ColumnError, iter_records, resolve_columns, write_csv, write_jsonl

    if (columns or excel) and fmt is not ExportFormat.csv:
        raise fail("--columns and --excel are for --format csv (JSON Lines always has every field)")
    try:
        cols = resolve_columns(columns)
    except ColumnError as exc:
        raise fail(f"--columns: {exc}") from None

    f = make_filter(
        since=since, until=until, platform=platform, author=author, query=query, label=label, priority=priority,
        tz=tz, date_order=date_order,
    )  # fmt: skip
    ws = open_ws(workspace, write=False)
    records = iter_records(ws, f)
    if fmt is ExportFormat.jsonl:
        if output:
            with output.open("wb") as fh:
                n = write_jsonl(records, fh)
        else:
            n = write_jsonl(records, sys.stdout.buffer)
    else:
        if output:
            with output.open("w", newline="", encoding="utf-8") as fh:
                n = write_csv(records, fh, cols, excel=excel)
        else:
            n = write_csv(records, sys.stdout, cols, excel=excel)
    if output:
        console(stderr=True).print(f"wrote {n:,} posts to {output}", markup=False)


def search(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", AND/OR/NOT, prefix*.')],
    limit: Annotated[int, typer.Option("--limit", "-n")] = 20,
    since: SinceOpt = None,
    until: UntilOpt = None,
    platform: PlatformOpt = None,
    author: AuthorOpt = None,
    label: LabelOpt = None,
    priority: PriorityOpt = None,
    tz: TzOpt = None,
    date_order: DateOrderOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Full-text search ranked by BM25 (unfiltered: of the 10,000 most recently stored matches), with snippets."""
    as_reader(workspace)
    from rich.text import Text

    from vigil.store.queries import search as run_search

    f = make_filter(
        since=since, until=until, platform=platform, author=author, label=label, priority=priority,
        tz=tz, date_order=date_order,
    )  # fmt: skip
    ws = open_ws(workspace, write=False)
    hits = run_search(ws, query, f, limit=limit)
    out = console()
    if not hits:
        out.print("no matches", markup=False)
    elif hits.ranked is not None:
        note = (
            f"{hits.matches:,} matches: ranked the {hits.ranked:,} most recently stored (narrow with words or filters)"
        )
        out.print(Text(note, style="dim"))
    for hit in hits:
        r = hit.row
        head = Text(f"{r['created_at'] or '?'}  {r['platform']}  @{r['author_handle'] or '?'}  ", style="dim")
        head.append(r["uid"], style="cyan")
        if r["priority"]:
            head.append(f"  [{r['priority']}] {r['labels'] or ''}", style="yellow")
        out.print(head)
        line = Text("  ")
        for i, part in enumerate(hit.snippet.replace("\x03", "\x02").split("\x02")):
            line.append(part, style="bold reverse" if i % 2 else "")
        out.print(line)
    ws.close()


def stats(
    fmt: Annotated[StatsFormat, typer.Option("--format", "-f")] = StatsFormat.table,
    workspace: WorkspaceOpt = None,
) -> None:
    """Headline figures of the workspace."""
    as_reader(workspace)
    import json

    from rich.table import Table

    from vigil.store.queries import stats as run_stats

    ws = open_ws(workspace, write=False)
    figures = run_stats(ws)
    out = console()
    if fmt is StatsFormat.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"Workspace {ws.path}", title_justify="left", show_header=False)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k or '-'} {v:,}" for k, v in sorted(value.items(), key=lambda kv: -kv[1]))
        elif isinstance(value, int):
            value = f"{value:,}"
        table.add_row(key.replace("_", " "), str(value) if value is not None else "-")
    out.print(table)


def raw(
    uid: Annotated[
        str,
        typer.Argument(
            help="The post's uid, platform:id (as `vigil export` gives it), or the SHA-256 of any stored payload "
            "(an account event's evidence in `vigil watch --format jsonl`)."
        ),
    ],
    capture: Annotated[int | None, typer.Option(help="The payload one capture read (default: the latest).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write a post's raw payload, byte for byte as its source held it, after checking it against its SHA-256."""
    as_reader(workspace)
    import sqlalchemy as sa

    from vigil.store import schema
    from vigil.store.payloads import PayloadError, read_payload

    ws = open_ws(workspace, write=False)
    pc = schema.post_captures.c
    stmt = sa.select(pc.capture_id, pc.raw_sha256).where(pc.uid == uid, pc.raw_sha256.is_not(None))
    if capture is not None:
        stmt = stmt.where(pc.capture_id == capture)
    try:
        with ws.engine.connect() as conn:
            row = conn.execute(stmt.order_by(pc.capture_id.desc()).limit(1)).first()
            if row is None and capture is None and _SHA256.fullmatch(uid):
                data = read_payload(conn, uid.lower())  # evidence that is not a post: account events, deletions
            elif row is None:
                where = f" in capture {capture}" if capture is not None else ""
                raise PayloadError(f"no raw payload of {uid}{where} in {ws.path}")
            else:
                data = read_payload(conn, row[1])
    except PayloadError as exc:
        console(stderr=True).print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)  # one line
        raise typer.Exit(1) from exc
    finally:
        ws.close()
    sys.stdout.buffer.write(data)  # no newline added: `vigil raw UID | sha256sum` gives the stored SHA-256
