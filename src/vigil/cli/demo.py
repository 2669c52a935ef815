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
    known: int = 0


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
    """Ingest the export files and folders of the examples not yet captured whole, oldest export first."""
    from vigil.ingest.pipeline import ingest, plan
    from vigil.sources.base import ImportOptions

    def on_problem(problem: object) -> None:
        run.problems.append(str(problem))
        run.err.print(f"error: {problem}", markup=False, emoji=False, soft_wrap=True)

    units = [u.path for u in plan(example_sources(run.examples), ImportOptions())]
    todo = [p for p in units if not already_captured(run.ws, p)]
    run.known = len(units) - len(todo)
    run.results = ingest(run.ws, todo, on_problem=on_problem) if todo else []


def already_captured(ws: Any, path: Path) -> bool:
    """True when a capture without failures already read this very file or folder (same SHA-256 and size)."""
    import sqlalchemy as sa

    from vigil.sources.digest import source_digest
    from vigil.store import schema

    sha, size = source_digest(path)
    c = schema.captures.c
    stmt = sa.select(c.id).where(c.source_sha256 == sha, c.source_size == size, c.failed == 0, c.ended_at.is_not(None))
    with ws.engine.connect() as conn:
        return conn.execute(stmt.limit(1)).first() is not None


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
            Text(str(rel)),
            r.format or "-",
            *(str(x) for x in (c.new, c.updated, c.unchanged, c.skipped)),
            Text(str(c.failed), style="red" if c.failed else ""),
        )
    if run.results:
        run.out.print(table)
    if run.known:
        run.out.print(f"{run.known} sources skipped: this workspace already holds the very same files", markup=False)
    if not sum(r.counts.new + r.counts.updated for r in run.results):
        run.out.print("nothing new", markup=False)


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


DEMO_TZ = "+02:00"  # the fictional city of examples/ keeps UTC+2 (examples/README.md)
DEMO_TITLE = "Sarvan under siege (fictional demo data)"
AS_OF_AFTER_LAST_POST_H = 3


def watch_and_digest(run: DemoRun) -> None:
    """Watch the voices and write <workspace>/digest.html as of a few hours after the last post (the data is past)."""
    from datetime import timedelta

    import sqlalchemy as sa
    from rich.text import Text

    from vigil.records import iso_z
    from vigil.report.digest import build_digest
    from vigil.report.html import render_html
    from vigil.store import schema
    from vigil.watch.silence import DEFAULT_SILENCE, parse_as_of, returns, watch

    p = schema.posts.c
    with run.ws.engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(p.created_at)).where(p.time_quality != "suspect")).scalar()
    if not last:
        return
    as_of = parse_as_of(last) + timedelta(hours=AS_OF_AFTER_LAST_POST_H)
    rows = watch(run.ws, as_of)
    silent = [r for r in rows if r.status == "silent" and r.alarm]
    gone = [r for r in rows if r.status == "gone"]
    quiet = sum(r.status == "silent" and not r.alarm for r in rows)
    run.out.print(
        f"watch as of {iso_z(as_of)}: {len(rows)} voices, {len(silent)} silent longer than usual for them and at risk, "
        f"{len(gone)} gone, {quiet} quiet but outside, relaying only or acknowledged; most at risk:",
        markup=False,
    )
    for r in rows[:3]:
        labels = " ".join(r.last_labels) or "no labels"
        status = f"gone, {r.gone_reason};" if r.status == "gone" and r.gone_reason else f"{r.status},"
        run.out.print(Text(f"  {r.name}: {status} {r.silent_hours} h since the last post ({labels})"))
    for r in gone:  # why: a platform's word (account suspended…) or its posts deleted
        if r not in rows[:3]:
            run.out.print(Text(f"  {r.name}: gone, {r.gone_reason or 'recent posts deleted'}"))
    longest = {
        r.name: max(returns(r.posts, DEFAULT_SILENCE), key=lambda x: x[1], default=None) for r in rows if r.counts
    }
    back = sorted(((n, x) for n, x in longest.items() if x), key=lambda nx: -nx[1][1])[:3]
    for name, (when, hours) in back:
        run.out.print(Text(f"  {name} came back on {when} after {hours:.0f} hours of silence"))
    default = run.examples == examples_dir().resolve()
    d = build_digest(
        run.ws,
        as_of=iso_z(as_of),
        tz=DEMO_TZ if default else None,
        title=DEMO_TITLE if default else f"Digest of {run.examples.name}",
    )
    path = run.ws.path / "digest.html"
    path.write_text(render_html(d), encoding="utf-8")
    run.out.print(f"digest: {path.resolve()}", markup=False, soft_wrap=True)


def open_the_desk(run: DemoRun) -> None:
    """Give the demo's desk account a new random password and say how to open the desk (`vigil serve`)."""
    from datetime import timedelta

    import sqlalchemy as sa

    from vigil.models.labels import current_user
    from vigil.store import schema
    from vigil.watch.silence import parse_as_of
    from vigil.web.users import demo_account

    p = schema.posts.c
    with run.ws.engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(p.created_at)).where(p.time_quality != "suspect")).scalar()
    as_of = (
        f" --as-of {(parse_as_of(last) + timedelta(hours=AS_OF_AFTER_LAST_POST_H)):%Y-%m-%dT%H:%M:%SZ}" if last else ""
    )
    name, password = demo_account(run.ws, current_user())
    run.out.print(
        f"desk: vigil serve --workspace {run.ws.path}{as_of}\n"
        f"      then open http://127.0.0.1:8765/ and sign in as {name} with password {password}",
        markup=False,
        soft_wrap=True,
    )


# The demo, step by step; later stages (watch, digest) append their step here.
STEPS: list[Callable[[DemoRun], None]] = [
    install_gazetteer,
    ingest_examples,
    show_sources,
    show_overview,
    watch_and_digest,
    open_the_desk,
]


def demo(
    workspace: WorkspaceOpt = None,
    examples: Annotated[Path | None, typer.Option("--examples", help="Folder to ingest instead of examples/.")] = None,
) -> None:
    """Ingest examples/ (a fictional crisis) into the workspace and print what Vigil found."""
    ws = open_ws(workspace, create=True)
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
