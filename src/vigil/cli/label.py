"""`vigil label` (the labelling queue), `vigil label export` and `vigil label import`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from vigil.cli.common import WorkspaceOpt, as_reader, console, open_ws

app = typer.Typer(
    help="Label posts by hand, least certain first; export and import labels as CSV.", invoke_without_command=True
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    console(stderr=True).print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def _read_key() -> str:
    """One key press (a terminal in raw mode, or the next character of piped input); '' at the end of input."""
    try:
        return typer.getchar()
    except (EOFError, KeyboardInterrupt):
        return ""
    except OSError:  # no terminal: read the next non-blank character
        while ch := sys.stdin.read(1):
            if not ch.isspace():
                return ch
        return ""


@app.callback()
def label(
    ctx: typer.Context,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Order by this model's uncertainty; its labels.")
    ] = None,
    task: Annotated[str | None, typer.Option("--task", help="Label task (default: the model's name).")] = None,
    labels: Annotated[
        str | None, typer.Option("--labels", help="Comma-separated labels (default: the model's).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="At most this many posts.")] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", help="Local time on the card: +03:00 or Europe/Kyiv (UTC is shown too).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Label posts one key per label, least certain first (u undo, s skip, q quit)."""
    if ctx.invoked_subcommand is not None:
        return
    from vigil.dates import DateError, parse_zone
    from vigil.models import queue, storage

    try:
        zone = parse_zone(tz)
    except DateError as exc:
        raise _fail(f"--tz: {exc}") from None

    ws = open_ws(workspace)
    clf = None
    if model:
        try:
            clf = storage.load(ws.path, model)
        except storage.ModelError as exc:
            raise _fail(str(exc)) from exc
    names = [x.strip() for x in labels.split(",") if x.strip()] if labels else (clf.classes if clf else [])
    the_task = task or model
    if not names or not the_task:
        raise _fail("give --model NAME, or --task TASK with --labels a,b,c")
    try:
        keys = queue.key_map(names)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    items = queue.build(ws, the_task, clf, limit)
    session = queue.Session(ws, the_task, items, keys)
    _run(session, zone)
    console().print(f"labelled {session.labelled} post(s) for task {the_task}", markup=False)
    ws.close()


def card_text(c: Any, text: str) -> Any:
    """The card's body: who, where, when, labels with cues, the post replied to, then the text (never markup)."""
    from rich.text import Text

    body = Text()
    body.append(f"{c.author} · {c.platform} · {c.local} ({c.utc})", style="bold")
    if c.url:
        body.append(f"\n{c.url}", style="dim")
    if c.triage:
        labels = "; ".join(f"{lab} ({', '.join(cues)})" if cues else lab for lab, cues in c.triage)
        body.append(f"\ntriage: {labels}", style="yellow")
    if c.human:
        body.append("\nlabelled: " + ", ".join(f"{task}={lab}" for task, lab in c.human), style="green")
    if c.parent:
        body.append(f"\nreplying to {c.parent}", style="dim")
    elif c.reply_to:
        body.append(f"\nreplying to {c.reply_to} (not in this workspace)", style="dim")
    body.append("\n\n")
    body.append(text)
    return body


def _run(session: Any, zone: Any) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from vigil.models.queue import card

    out = console()
    legend = "  ".join(f"[{k}] {v}" for k, v in session.keys.items()) + "  [u] undo  [s] skip  [q] quit"
    while True:
        item = session.current
        if item is None:
            out.print(Text(f"queue done ({len(session.items)} posts). [u] undo  [q] quit", style="bold"))
        else:
            head = f"{session.position + 1}/{len(session.items)}  {item.uid}"
            if item.guess is not None:
                head += f"  model: {item.guess} ({item.score:.2f})"
            c = card(session.ws, item.uid, zone)
            body = card_text(c, item.text) if c is not None else Text(item.text)
            out.print(Panel(body, title=Text(head), title_align="left"))  # Text: never markup
            out.print(Text(legend, style="dim"))
        key = _read_key()
        if not key or not session.press(key.lower()):
            return


@app.command("export")
def export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="CSV file (default stdout).")] = None,
    task: Annotated[str | None, typer.Option("--task", help="Only this task.")] = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave out the posts' text.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the human labels as CSV: uid, task, label, set_by, set_at, text."""
    as_reader(workspace)
    from vigil.models.labels import export_csv

    ws = open_ws(workspace, write=False)
    if output:
        with output.open("w", newline="", encoding="utf-8") as fh:
            n = export_csv(ws, fh, task, with_text=not no_text)
        console(stderr=True).print(f"wrote {n:,} labels to {output}", markup=False)
    else:
        export_csv(ws, sys.stdout, task, with_text=not no_text)
    ws.close()


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="CSV with uid, label and task (or --task) columns.")],
    task: Annotated[
        str | None, typer.Option("--task", help="Task for every row (else the file's task column).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add human labels from a CSV (rows already stored are skipped)."""
    from vigil.models.labels import LabelError, import_csv

    ws = open_ws(workspace)
    try:
        added, present = import_csv(ws, path, task)
    except LabelError as exc:
        raise _fail(str(exc)) from exc
    console().print(f"imported {added:,} labels ({present:,} already present)", markup=False)
    ws.close()
