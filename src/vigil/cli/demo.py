"""`vigil demo`: ingest the examples (a fictional crisis) into a workspace and say what was found."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws

GAZETTEER = "gazetteer.tsv"


def examples_dir() -> Path:
    """The examples/ folder of the source tree."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples"
        if candidate.is_dir() and (parent / "pyproject.toml").exists():
            return candidate
    raise typer.BadParameter("examples/ not found next to this Vigil's source")


def example_sources(root: Path) -> list[Path]:
    """The export folders under root, sorted (README.md and gazetteer.tsv beside them are not exports)."""
    if root.is_file():
        return [root]
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    return folders or [root]


@dataclass
class DemoRun:
    """What the demo steps share: the workspace, the examples folder, the consoles and the ingest results."""

    ws: Any
    examples: Path
    out: Any
    err: Any
    results: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def install_gazetteer(run: DemoRun) -> None:
    """Copy examples/gazetteer.tsv into the workspace unless the workspace has its own."""
    src, dst = run.examples / GAZETTEER, run.ws.file(GAZETTEER)
    if not src.is_file():
        return
    if dst.exists():
        run.out.print(f"gazetteer: keeping the workspace's own {dst}", markup=False)
        return
    shutil.copyfile(src, dst)
    run.out.print(f"gazetteer: copied {src.name} ({_lines(dst) - 1} places) into {run.ws.path}", markup=False)


def ingest_examples(run: DemoRun) -> None:
    """Ingest every export folder of the examples, oldest export first within each folder."""
    from vigil.pipeline import ingest

    def on_problem(problem: object) -> None:
        run.problems.append(str(problem))
        run.err.print(f"error: {problem}", markup=False, emoji=False, soft_wrap=True)

    run.results = ingest(run.ws, example_sources(run.examples), on_problem=on_problem)


def show_sources(run: DemoRun) -> None:
    """One row per capture: the source, its format and what became of its records."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"Demo: {run.examples} → {run.ws.path}"), title_justify="left")
    for col in ("source", "format", "new", "updated", "unchanged", "skipped", "failed"):
        table.add_column(col, justify="left" if col in ("source", "format") else "right")
    for r in run.results:
        c = r.counts
        rel = r.path.relative_to(run.examples) if r.path.is_relative_to(run.examples) else r.path
        table.add_row(
            Text(str(rel)), r.format or "-", *(str(x) for x in (c.new, c.updated, c.unchanged, c.skipped)),
            Text(str(c.failed), style="red" if c.failed else ""),
        )
    run.out.print(table)
    new = sum(r.counts.new + r.counts.updated for r in run.results)
    if run.results and not new:
        run.out.print(f"nothing new: the {len(run.results)} sources were already in this workspace", markup=False)


def show_overview(run: DemoRun) -> None:
    """Posts per platform and language, the most active accounts, and triage labels when triage has run."""
    from rich.table import Table
    from rich.text import Text

    from vigil.report.overview import WATCHED_LABELS, overview

    ov = overview(run.ws)
    out = run.out
    out.print(
        f"{ov.posts} posts from {ov.account_count} accounts on {len(ov.by_platform)} platforms "
        f"({_pairs(ov.by_platform)}); languages {_pairs(ov.by_lang)}; kinds {_pairs(ov.by_kind)}; "
        f"{ov.edited} edited, {ov.deleted} deleted; {ov.first_post or '?'} → {ov.last_post or '?'}",
        markup=False,
    )
    table = Table(title="Most active accounts", title_justify="left")
    for col in ("account", "name", "posts", "first post", "last post"):
        table.add_column(col, justify="right" if col == "posts" else "left")
    for acc in ov.accounts:
        who = f"{acc.platform}:@{acc.handle}" if acc.handle else acc.uid
        table.add_row(Text(who), Text(acc.name or ""), str(acc.posts), acc.first or "-", acc.last or "-")
    out.print(table)
    if not ov.triaged:
        out.print("triage: not run in this workspace (no triage enricher installed)", markup=False)
        return
    watched = {k: ov.labels.get(k, 0) for k in WATCHED_LABELS if k in ov.labels}
    out.print(f"triage: {ov.triaged} posts triaged; {_pairs(watched) or 'no watched labels'}", markup=False)
    if ov.priorities:
        out.print(f"priority: {_pairs(ov.priorities)}", markup=False)


# The demo, step by step; later stages (watch, digest) append their step here.
STEPS: list[Callable[[DemoRun], None]] = [install_gazetteer, ingest_examples, show_sources, show_overview]


def demo(
    workspace: WorkspaceOpt = None,
    examples: Annotated[Path | None, typer.Option("--examples", help="Folder to ingest instead of examples/.")] = None,
) -> None:
    """Ingest examples/ (a fictional crisis) into the workspace and print what Vigil found."""
    ws = open_ws(workspace)
    run = DemoRun(ws, (examples or examples_dir()).resolve(), console(), console(stderr=True))
    try:
        for step in STEPS:
            step(run)
    finally:
        ws.close()
    if any(r.counts.failed for r in run.results):
        raise typer.Exit(1)


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())
