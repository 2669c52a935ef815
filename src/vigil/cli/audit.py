"""`vigil audit export`: the web desk's audit log (every change: who, when, before, after)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws

app = typer.Typer(help="The audit log of changes made on the web desk and to its accounts.", no_args_is_help=True)


@app.command("export")
def export(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default stdout).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    workspace: WorkspaceOpt = None,
) -> None:
    """Write every audit entry, oldest first: id, at, who, action, target, before, after."""
    from vigil.web.audit import export as write

    if fmt not in ("jsonl", "csv"):
        raise typer.BadParameter("--format is jsonl or csv")
    ws = open_ws(workspace)
    with ws.engine.connect() as conn:
        if output:
            with output.open("w", encoding="utf-8", newline="") as fh:
                n = write(conn, fh, fmt)
            console(stderr=True).print(f"wrote {n:,} audit entries to {output}", markup=False)
        else:
            write(conn, sys.stdout, fmt)
    ws.close()
