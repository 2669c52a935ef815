"""`vigil ingest`: read exports into the workspace, one capture per source."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws

MAX_SHOWN_PROBLEMS = 50


def parse_map(spec: str | None) -> dict[str, str]:
    """'id=Tweet ID,text=Tweet Text' -> {'id': 'Tweet ID', 'text': 'Tweet Text'}."""
    if not spec:
        return {}
    out = {}
    for part in spec.split(","):
        key, sep, col = part.partition("=")
        if not sep or not key.strip() or not col.strip():
            raise typer.BadParameter(f"expected field=Column, got {part!r}", param_hint="--map")
        out[key.strip()] = col.strip()
    return out


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import.")],
    workspace: WorkspaceOpt = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="Force an importer (see `vigil formats`).")] = None,
    column_map: Annotated[
        str | None, typer.Option("--map", help="CSV column map: id=COL,text=COL,created_at=COL,author=COL.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first error.")] = False,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Zone of times written without one (WhatsApp): +02:00 or Europe/Kyiv."),
    ] = None,
    date_order: Annotated[
        str | None, typer.Option("--date-order", help="dmy or mdy, when a chat's dates could be either (WhatsApp).")
    ] = None,
) -> None:
    """Import exports (auto-detected) into the workspace."""
    import time

    from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
    from rich.table import Table
    from rich.text import Text

    from vigil.ingest.enrich import SetupError
    from vigil.ingest.pipeline import Interrupted, prestart_workers
    from vigil.ingest.pipeline import ingest as run_ingest
    from vigil.ingest.worker import WorkerFailed
    from vigil.sources.base import ImportOptions
    from vigil.sources.guard import Internal
    from vigil.sources.zones import parse_tz
    from vigil.store.engine import WorkspaceBusy
    from vigil.words import count, rate

    class Rate(ProgressColumn):
        """'4,623 records/s', not Rich's raw float."""

        def render(self, task: Task) -> Text:
            return Text(rate(task.completed, task.elapsed or 0, "records") if task.speed else "", style="cyan")

    if tz:
        try:
            parse_tz(tz)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--tz") from exc
    if date_order and date_order.lower() not in ("dmy", "mdy"):
        raise typer.BadParameter(f"expected dmy or mdy, got {date_order!r}", param_hint="--date-order")
    options = ImportOptions(strict=strict, column_map=parse_map(column_map), forced_format=fmt, tz=tz)
    options.date_order = date_order.lower() if date_order else None
    if column_map and not fmt:
        options.forced_format = "csv"
    from vigil.store.engine import resolve_path

    prestart_workers(paths, options, resolve_path(workspace))  # its workers import while the workspace opens
    ws = open_ws(workspace, create=True)
    err = console(stderr=True)
    out = console()
    shown = 0
    internal = False

    def on_problem(problem: object) -> None:
        nonlocal shown, internal
        shown += 1
        internal = internal or isinstance(problem, Internal)
        if shown <= MAX_SHOWN_PROBLEMS:
            err.print(f"error: {problem}", markup=False, emoji=False, soft_wrap=True)  # one line, verbatim
        elif shown == MAX_SHOWN_PROBLEMS + 1:
            more = "error: … more problems; see the capture's errors in `vigil stats --format json`"
            err.print(more, markup=False, soft_wrap=True)

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed:,.0f} records"),
        Rate(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=None)

        def on_progress(path: Path, n: int) -> None:
            progress.update(task, advance=n, description=path.name[:40])

        def on_wait(message: str) -> None:
            err.print(message + "; this one starts when it ends (Ctrl-C to give up)", markup=False, soft_wrap=True)

        started = time.monotonic()
        try:
            results = run_ingest(ws, paths, options, on_problem=on_problem, on_progress=on_progress, on_wait=on_wait)
        except Interrupted as stop:  # what was written is committed; the capture says `interrupted`
            progress.stop()
            err.print(f"interrupted: {stop.stored:,} stored, re-run to continue", markup=False, soft_wrap=True)
            raise typer.Exit(130) from None
        except WorkspaceBusy as exc:
            err.print(f"error: {ws.path}: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from exc
        except SetupError as exc:
            err.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(2) from exc
        except WorkerFailed as exc:  # the batches written before it stay stored
            err.print(f"error: {exc.line()}", markup=False, soft_wrap=True)
            raise typer.Exit(2) from exc
    for r in results:
        if r.note:
            err.print(f"skipped: {r.path}: {r.note}", markup=False, emoji=False, soft_wrap=True)
    took = time.monotonic() - started
    posts = sum(r.counts.posts for r in results)
    summary = f"{count(posts, 'post')} in {took:,.1f} s ({rate(posts, took)})"
    table = Table(title=f"Ingested into {ws.path}: {summary}", title_justify="left")
    for col in ("source", "format", "new", "updated", "unchanged", "skipped", "failed"):
        table.add_column(col, justify="right" if col not in ("source", "format") else "left")
    for r in results:
        c = r.counts
        table.add_row(
            Text(str(r.path)),  # a file name is not markup: '[id].info.json' must show as it is
            r.format or "-",
            f"{c.new:,}",
            f"{c.updated:,}",
            f"{c.unchanged:,}",
            f"{c.skipped:,}",
            f"[red]{c.failed:,}[/red]" if c.failed else "0",
        )
    out.print(table)
    ws.close()
    if internal:  # a bug (one line each above), told apart from bad input
        raise typer.Exit(2)
    if any(r.counts.failed for r in results):
        raise typer.Exit(1)
