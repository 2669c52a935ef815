"""Options and helpers every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", envvar="VIGIL_WORKSPACE", help="Workspace folder (default ./vigil-data)."),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="From this date or time: 2026-04-13, 13/04/2026, yesterday, '2 days ago', now."),
]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this date or time (a day: to its end).")]
TzOpt = Annotated[
    str | None,
    typer.Option("--tz", help="Read --since/--until in this zone (+03:00, Europe/Kyiv): local days. Default UTC."),
]
DateOrderOpt = Annotated[
    str | None,
    typer.Option("--date-order", envvar="VIGIL_DATE_ORDER", help="How to read 04/05/2026: dmy or mdy."),
]
PlatformOpt = Annotated[list[str] | None, typer.Option("--platform", help="Only this platform (repeatable).")]
AuthorOpt = Annotated[list[str] | None, typer.Option("--author", help="Only this handle or account uid.")]
LabelOpt = Annotated[list[str] | None, typer.Option("--label", help="Only posts with this triage label.")]
PriorityOpt = Annotated[list[str] | None, typer.Option("--priority", help="Only this priority.")]

TABLE_LIMIT = 100  # rows a terminal table shows unless --limit says otherwise (20,000 take a minute to lay out)


def limited(rows: list[Any], limit: int | None, table: bool) -> list[Any]:
    """The rows to show: --limit N (0: all); unset, a table's first TABLE_LIMIT and every JSON Lines row."""
    if limit is None:
        limit = TABLE_LIMIT if table else 0
    return rows[:limit] if limit else rows


def console(stderr: bool = False) -> Any:
    """A Rich console (imported lazily so --help stays fast)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def open_ws(workspace: Path | None, write: bool = True, create: bool = False) -> Any:
    """Open the workspace or exit with a one-line error.

    write=False (a read command) opens it read-only; create=True (ingest, demo) makes it when it does not exist.
    """
    from vigil.store.engine import WorkspaceError, open_workspace

    try:
        ws = open_workspace(workspace, create=create, write=write)
    except WorkspaceError as exc:
        console(stderr=True).print(f"error: {exc}", markup=False, soft_wrap=True)  # a path may hold [brackets]
        raise typer.Exit(2) from exc
    if ws.upgraded_from is not None:
        _finish_upgrade(ws)
    if not write:
        as_reader(ws.path)
    return ws


def as_reader(workspace: Path | None) -> None:
    """A command that only reads: while an ingest writes to its workspace, run on CPU time the ingest leaves.

    Called first in every read command, before its imports and the workspace's opening (a reader's start-up is
    most of a short read's CPU time); open_ws(write=False) calls it again for a command that did not.
    """
    from vigil.store.lock import yield_to_ingest
    from vigil.store.paths import resolve_path

    yield_to_ingest(resolve_path(workspace))


def _finish_upgrade(ws: Any) -> None:
    """After a read command migrated an older workspace (once): voices for accounts an older Vigil left without."""
    from vigil.store.engine import open_workspace
    from vigil.watch.voices import ensure_voices

    writer = open_workspace(ws.path, create=False)
    try:
        ensure_voices(writer)
    finally:
        writer.close()
    message = f"note: upgraded the workspace {ws.path} from schema {ws.upgraded_from} (once, for this Vigil)"
    console(stderr=True).print(message, markup=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line 'error: …' on stderr; return the Exit to raise."""
    console(stderr=True).print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def moment(option: str, value: str | None, tz: str | None = None, order: str | None = None, end: bool = False) -> Any:
    """An aware datetime from an option's text (see vigil.dates), or exit with one line naming the option."""
    from vigil.dates import DateError, parse_moment, parse_zone

    if value is None:
        return None
    try:
        return parse_moment(value, end=end, tz=parse_zone(tz), order=order)
    except DateError as exc:
        raise fail(f"{option}: {exc}") from None


def bounds(since: str | None, until: str | None, tz: str | None = None, order: str | None = None) -> Any:
    """--since and --until as UTC ISO strings (a day alone: its first and its last second in tz)."""
    from vigil.dates import iso_utc

    lo, hi = moment("--since", since, tz, order), moment("--until", until, tz, order, end=True)
    return (iso_utc(lo) if lo else None, iso_utc(hi) if hi else None)


def _known(option: str, values: list[str] | None, allowed: tuple[str, ...]) -> list[str]:
    """The values, lower-cased, or exit with a one-line error naming the one that is not allowed."""
    out = [v.lower() for v in values or []]
    for v in out:
        if v not in allowed:
            message = f"error: {option} {v!r} is not one of: {', '.join(allowed)}"
            console(stderr=True).print(message, markup=False, soft_wrap=True)
            raise typer.Exit(2)
    return out


def make_filter(**kw: Any) -> Any:
    """A PostFilter from command options (an unknown label or priority is an error, not an empty result)."""
    from vigil.store.queries import PostFilter
    from vigil.triage.labels import LABELS, PRIORITIES

    since, until = bounds(kw.get("since"), kw.get("until"), kw.get("tz"), kw.get("date_order"))
    return PostFilter(
        since=since,
        until=until,
        platforms=kw.get("platform") or [],
        authors=kw.get("author") or [],
        query=kw.get("query"),
        labels=_known("--label", kw.get("label"), LABELS),
        priorities=_known("--priority", kw.get("priority"), PRIORITIES),
        limit=kw.get("limit"),
    )
