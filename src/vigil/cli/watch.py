"""`vigil watch`: each voice's status and risk at a moment, and alerts for transitions."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from vigil.cli.common import WorkspaceOpt, console, limited, open_ws


class WatchFormat(StrEnum):
    """Output formats of `vigil watch`."""

    table = "table"
    jsonl = "jsonl"


STATUS_STYLE = {"gone": "bold red", "silent": "yellow", "active": "green"}
COLUMNS = ("risk", "voice", "name", "handles", "status", "last seen", "silent h", "last labels", "came back", "account")


def watch(
    as_of: Annotated[str | None, typer.Option("--as-of", help="The moment to judge (default now), UTC.")] = None,
    silence: Annotated[str, typer.Option("--silence", help="Silent after this long without a post.")] = "12h",
    fmt: Annotated[WatchFormat, typer.Option("--format", "-f")] = WatchFormat.table,
    alerts: Annotated[bool, typer.Option("--alerts", help="Deliver new events, each once per sink.")] = False,
    webhook: Annotated[str | None, typer.Option("--webhook", help="Also POST alerts as JSON to this URL.")] = None,
    jsonl_out: Annotated[Path | None, typer.Option("--jsonl-out", help="Also append alerts to this file.")] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, help="Show the N most at risk (table: 100 unless set; 0: every voice)."),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Who is active, silent or gone, most at risk first; with --alerts, deliver silences, returns, deletions, edits."""
    import msgspec
    from rich.table import Table
    from rich.text import Text

    from vigil.watch.silence import detect_events, parse_as_of, parse_duration
    from vigil.watch.silence import watch as run_watch

    try:
        when, window = parse_as_of(as_of), parse_duration(silence)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    ws = open_ws(workspace)
    rows = run_watch(ws, when, window)
    shown = limited(rows, limit, table=fmt is not WatchFormat.jsonl)
    if fmt is WatchFormat.jsonl:
        for s in shown:
            sys.stdout.write(msgspec.json.encode(s.row()).decode() + "\n")
    else:
        title = f"Watch as of {when:%Y-%m-%d %H:%M} UTC, silent after {silence}"
        if len(shown) < len(rows):
            title += f": the {len(shown):,} most at risk of {len(rows):,} voices (--limit 0 shows all)"
        table = Table(title=title, title_justify="left")
        for col in COLUMNS:
            table.add_column(col, justify="right" if col in ("risk", "voice", "silent h") else "left")
        for s in shown:
            table.add_row(
                str(s.risk),
                str(s.voice),
                Text(s.name),
                Text(", ".join(s.handles)),
                Text(s.status, style=STATUS_STYLE.get(s.status, "")),
                s.last_seen or "-",
                f"{s.silent_hours:.1f}" if s.silent_hours is not None else "-",
                " ".join(s.last_labels),
                f"{s.returned[0]} after {s.returned[1]:.0f} h" if s.returned else "",
                Text(s.account.phrase() if s.account else ""),  # the status as the source gave it: not markup
            )
        console().print(table)
    if alerts or webhook or jsonl_out:
        stream = sys.stderr if fmt is WatchFormat.jsonl else sys.stdout  # keep JSONL output clean
        _alert(ws, detect_events(ws, when, window, rows), webhook, jsonl_out, stream)
    ws.close()


def _alert(ws: Any, events: list[Any], webhook: str | None, jsonl_out: Path | None, stream: IO[str]) -> None:
    from vigil.watch.alerts import deliver, make_sinks, record

    err = console(stderr=True)
    new = record(ws, events)
    try:
        sinks = make_sinks({"terminal": True, "webhook": webhook, "jsonl_out": jsonl_out, "stream": stream})
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    reports = deliver(ws, sinks)
    err.print(f"{len(events)} events, {new} new", markup=False)
    for rep in reports:
        err.print(f"{rep.sink}: {rep.delivered} delivered, {rep.failed} failed", markup=False)
        for e in rep.errors[:5]:
            err.print(f"  error: {e}", markup=False)
    if any(rep.failed for rep in reports):
        raise typer.Exit(1)
