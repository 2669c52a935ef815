"""`vigil voices` and `vigil voice link|suggest|set|attribute`: the people behind the accounts."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, as_reader, console, limited, open_ws

app = typer.Typer(
    help="Link accounts into voices, set a voice's role and place, record who speaks.", no_args_is_help=True
)


class ListFormat(StrEnum):
    """Output formats of `vigil voices`."""

    table = "table"
    jsonl = "jsonl"


def _fail(exc: Exception) -> None:
    console(stderr=True).print(f"error: {exc}", markup=False, soft_wrap=True)
    raise typer.Exit(2) from exc


def voices(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, help="Show the first N by name (table: 100 unless set; 0: every voice)."),
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """List voices: role, place, where (inside, outside or ?), platforms, handles, post count, first and last seen."""
    as_reader(workspace)
    import msgspec
    from rich.table import Table

    from vigil.watch.location import UNKNOWN
    from vigil.watch.marks import voice_locations
    from vigil.watch.voices import list_voices

    ws = open_ws(workspace, write=False)
    rows = list_voices(ws)
    where = voice_locations(ws)  # from bios, place, own posts' words and first-hand reports
    ws.close()
    shown = limited(rows, limit, table=fmt is not ListFormat.jsonl)
    if fmt is ListFormat.jsonl:
        for v in shown:
            loc = where.get(v.id, UNKNOWN)
            row = {**v.__dict__, "location": loc.value, "location_reason": loc.reason}
            sys.stdout.write(msgspec.json.encode(row).decode() + "\n")
        return
    title = f"{len(rows)} voices"
    if len(shown) < len(rows):
        title = f"the first {len(shown):,} of {len(rows):,} voices by name (--limit 0 shows all)"
    table = Table(title=title, title_justify="left")
    for col in ("id", "name", "role", "place", "where", "platforms", "handles", "posts", "first seen", "last seen"):
        table.add_column(col, justify="right" if col in ("id", "posts") else "left")
    for v in shown:
        table.add_row(
            str(v.id),
            v.name,
            v.role or "-",
            v.place or "-",
            where.get(v.id, UNKNOWN).value or "?",
            ", ".join(v.platforms),
            ", ".join(v.handles),
            f"{v.posts:,}",
            v.first_seen or "-",
            v.last_seen or "-",
        )
    console().print(table, markup=False)


@app.command()
def link(
    accounts: Annotated[list[str], typer.Argument(help="Two or more accounts: handle, platform:handle or uid.")],
    by: Annotated[str | None, typer.Option("--by", help="Who links them (kept with the voice).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Join accounts across platforms into one voice (the first account's)."""
    from vigil.watch.voices import VoiceError
    from vigil.watch.voices import link as run_link

    ws = open_ws(workspace)
    try:
        vid = run_link(ws, accounts, actor=by)
    except VoiceError as exc:
        _fail(exc)
    console().print(f"voice {vid}: {', '.join(accounts)}", markup=False)
    ws.close()


@app.command()
def suggest(
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="Show the N most likely links (0: every one).")
    ] = 100,
    workspace: WorkspaceOpt = None,
) -> None:
    """Propose accounts to link (same or similar names and handles, bios naming each other) and speakers."""
    as_reader(workspace)
    from vigil.watch.linking import suggest as run_suggest
    from vigil.watch.linking import suggest_speakers

    ws = open_ws(workspace, write=False)
    out = console()
    found = run_suggest(ws)
    if not found:
        out.print("no links to suggest", markup=False)
    shown = found[:limit] if limit else found
    for s in shown:
        a, b = _arg(s.a.handles[0]), _arg(s.b.handles[0])
        out.print(
            f"{s.score:.2f}  {s.a.name} ({s.a.handles[0]}) = {s.b.name} ({s.b.handles[0]}): {s.reason}\n"
            f"      vigil voice link {a} {b}",
            markup=False,
            soft_wrap=True,
        )
    if len(shown) < len(found):
        out.print(f"the {len(shown):,} most likely of {len(found):,} links (--limit 0 shows all)", markup=False)
    for uid, v in suggest_speakers(ws):
        out.print(f"speaker  {uid} names {v.name}\n      vigil voice attribute {uid} {v.id}", markup=False)
    ws.close()


def _arg(text: str) -> str:
    """A command-line argument as a shell would need it ('telegram:Dr Hala Mansour | …' quoted)."""
    import shlex

    return shlex.quote(text)


@app.command("set")
def set_(
    voice: Annotated[str, typer.Argument(help="Voice id, name or one of its accounts.")],
    role: Annotated[str | None, typer.Option("--role")] = None,
    place: Annotated[str | None, typer.Option("--place")] = None,
    name: Annotated[str | None, typer.Option("--name")] = None,
    inside: Annotated[bool, typer.Option("--inside", help="Inside the crisis: at risk when silent.")] = False,
    outside: Annotated[bool, typer.Option("--outside", help="The voice is outside: not at risk when silent.")] = False,
    unknown: Annotated[bool, typer.Option("--location-unknown", help="Forget where it is (inferred again).")] = False,
    by: Annotated[str | None, typer.Option("--by", help="Who says so (kept with the voice).")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Set a voice's role, place, name or location (--inside/--outside) by hand."""
    from vigil.watch.marks import set_location
    from vigil.watch.voices import VoiceError, set_voice

    if inside + outside + unknown > 1:
        raise typer.BadParameter("give one of --inside, --outside, --location-unknown")
    ws = open_ws(workspace)
    try:
        if name is not None or role is not None or place is not None or not (inside or outside or unknown):
            vid = set_voice(ws, voice, name=name, role=role, place=place, actor=by)
        if inside or outside or unknown:
            vid = set_location(ws, voice, "inside" if inside else "outside" if outside else None, by)
    except VoiceError as exc:
        _fail(exc)
    console().print(f"voice {vid} updated", markup=False)
    ws.close()


@app.command()
def attribute(
    post: Annotated[str, typer.Argument(help="The post's uid (platform:id).")],
    voice: Annotated[str, typer.Argument(help="Voice id, name or one of its accounts.")],
    new: Annotated[bool, typer.Option("--new", help="Create a voice of this name if none matches.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Record who speaks in a post when it is not the poster (a volunteer in an organisation's video)."""
    from vigil.watch.voices import VoiceError
    from vigil.watch.voices import attribute as run_attribute

    ws = open_ws(workspace)
    try:
        vid = run_attribute(ws, post, voice, create=new)
    except VoiceError as exc:
        _fail(exc)
    console().print(f"{post}: speaker is voice {vid}", markup=False)
    ws.close()
