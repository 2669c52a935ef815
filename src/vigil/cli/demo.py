"""`vigil demo`: ingest the embedded examples into a workspace and say what was found."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws


def examples_dir() -> Path:
    """The examples/ folder of the source tree."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples"
        if candidate.is_dir() and (parent / "pyproject.toml").exists():
            return candidate
    raise typer.BadParameter("examples/ not found next to this Vigil's source")


def demo(
    workspace: WorkspaceOpt = None,
    examples: Annotated[Path | None, typer.Option("--examples", help="Folder to ingest.")] = None,
) -> None:
    """Ingest examples/ into the workspace and print what Vigil found."""
    from rich.table import Table

    from vigil.pipeline import ingest
    from vigil.store.queries import stats

    ws = open_ws(workspace)
    src = examples or examples_dir()
    out = console()
    err = console(stderr=True)
    results = ingest(ws, [src], on_problem=lambda p: err.print(f"error: {p}", markup=False))
    table = Table(title=f"Demo: {src} → {ws.path}", title_justify="left")
    for col in ("source", "format", "new", "updated", "unchanged", "skipped", "failed"):
        table.add_column(col)
    for r in results:
        c = r.counts
        rel = r.path.relative_to(src) if r.path.is_relative_to(src) else r.path
        figures_row = (c.new, c.updated, c.unchanged, c.skipped, c.failed)
        table.add_row(str(rel), r.format or "-", *(str(x) for x in figures_row))
    out.print(table)
    figures = stats(ws)
    out.print(
        f"{figures['posts']:,} posts from {figures['accounts']:,} accounts on "
        f"{', '.join(sorted(figures['by_platform']))}; {figures['edited']} edited, {figures['deleted']} deleted; "
        f"{figures['first_post']} → {figures['last_post']}",
        markup=False,
    )
    ws.close()
