"""`vigil watch`: each voice's status and risk at a moment, and alerts for transitions."""

from __future__ import annotations

import sys
from datetime import UTC
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from vigil.cli.common import DateOrderOpt, WorkspaceOpt, as_reader, console, limited, moment, open_ws


class WatchFormat(StrEnum):
    """Output formats of `vigil watch`."""

    table = "table"
    jsonl = "jsonl"


STATUS_STYLE = {"gone": "bold red", "silent": "yellow", "active": "green"}
COLUMNS = (
    "risk",
    "voice",
    "name",
    "handles",
    "where",
    "status",
    "last seen",
    "silent h",
    "usual h",
    "last labels",
    "came back",
    "account",
)


def watch(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The moment to judge (default now): 2026-03-08 (its end), '2026-03-08 14:00', 2 days ago."
        ),
    ] = None,
    silence: Annotated[str, typer.Option("--silence", help="Silent after this long without a post.")] = "12h",
    fmt: Annotated[WatchFormat, typer.Option("--format", "-f")] = WatchFormat.table,
    alerts: Annotated[bool, typer.Option("--alerts", help="Deliver new events, each once per sink.")] = False,
    webhook: Annotated[str | None, typer.Option("--webhook", help="Also POST alerts as JSON to this URL.")] = None,
    jsonl_out: Annotated[Path | None, typer.Option("--jsonl-out", help="Also append alerts to this file.")] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, help="Show the N most at risk (table: 100 unless set; 0: every voice)."),
    ] = None,
    ack: Annotated[
        list[str] | None, typer.Option("--ack", help="Acknowledge VOICE's current silence: no more alerts for it.")
    ] = None,
    mute: Annotated[list[str] | None, typer.Option("--mute", help="Mute VOICE's silences until --unmute.")] = None,
    unmute: Annotated[list[str] | None, typer.Option("--unmute", help="Lift VOICE's mute.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who acknowledges or mutes (kept with the mark).")] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Read --as-of in this zone (+03:00, Europe/Kyiv): a local day or time. Default UTC."),
    ] = None,
    date_order: DateOrderOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Who is active, silent or gone, silences that matter first; --alerts delivers silences, returns, deletions."""
    if not (alerts or webhook or jsonl_out or ack or mute or unmute):
        as_reader(workspace)
    import msgspec
    from rich.table import Table
    from rich.text import Text

    from vigil.watch.events import detect_events
    from vigil.watch.silence import judge_moment, parse_duration
    from vigil.watch.silence import watch as run_watch

    try:
        window = parse_duration(silence)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    given = moment("--as-of", as_of or None, tz, date_order, end=True)  # a day alone: its last second, in --tz
    if given is not None:
        given = given.astimezone(UTC)
    # alerts record what they delivered, --ack/--mute what a person decided: the rest only reads
    ws = open_ws(workspace, write=bool(alerts or webhook or jsonl_out or ack or mute or unmute))
    if ack or mute or unmute:
        _mark(ws, ack or [], mute or [], unmute or [], by, as_of and given)
        ws.close()
        return
    when, note = judge_moment(ws, given)
    if note:
        console(stderr=True).print(note, markup=False)
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
                Text(_where(s)),
                Text(_status(s), style=STATUS_STYLE.get(s.status, "") if s.alarm or s.status == "active" else "dim"),
                s.last_seen or "-",
                f"{s.silent_hours:.1f}" if s.silent_hours is not None else "-",
                f"{s.limit_hours:.0f}" if s.limit_hours is not None else "-",
                " ".join(s.last_labels),
                f"{s.returned[0]} after {s.returned[1]:.0f} h" if s.returned else "",
                Text(s.account.phrase() if s.account else ""),  # the status as the source gave it: not markup
            )
        console().print(table)
    if alerts or webhook or jsonl_out:
        stream = sys.stderr if fmt is WatchFormat.jsonl else sys.stdout  # keep JSONL output clean
        _alert(ws, detect_events(ws, when, window, rows), webhook, jsonl_out, stream)
    ws.close()


def _where(s: Any) -> str:
    """'inside (bio names 'sarvan', …)', 'outside (set by desk at …)' or '?'."""
    return f"{s.location.value} ({s.location.reason})" if s.location.value else "?"


def _status(s: Any) -> str:
    """The status, and why a silence does not count (acknowledged, muted, outside)."""
    why = [w for w, on in (("acknowledged", s.acked), ("muted", s.muted)) if on]
    return s.status + (f" ({', '.join(why)})" if why and s.status != "active" else "")


def _mark(ws: Any, ack: list[str], mute: list[str], unmute: list[str], by: str | None, as_of: Any) -> None:
    """Acknowledge, mute and unmute voices, one line each."""
    from vigil.records import iso_z
    from vigil.watch.marks import acknowledge
    from vigil.watch.marks import mute as run_mute
    from vigil.watch.marks import unmute as run_unmute
    from vigil.watch.voices import VoiceError

    out = console()
    try:
        for key in ack:
            m = acknowledge(ws, key, by, iso_z(as_of) if as_of else None)
            out.print(f"voice {m.voice_id}: silence after {m.since} acknowledged", markup=False)
        for key in mute:
            m = run_mute(ws, key, by)
            out.print(f"voice {m.voice_id}: muted (vigil watch --unmute {key!r} lifts it)", markup=False)
        for key in unmute:
            n = run_unmute(ws, key, by)
            out.print(f"{key}: {n} mute{'s' if n != 1 else ''} lifted", markup=False)
    except VoiceError as exc:
        console(stderr=True).print(f"error: {exc}", markup=False, soft_wrap=True)
        ws.close()
        raise typer.Exit(2) from exc


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
