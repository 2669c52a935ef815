"""`vigil places add`: grow the workspace gazetteer (neighbourhoods, streets, hospitals) the desk meets."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws

app = typer.Typer(help="The workspace's own places (gazetteer.tsv), read by triage beside the packaged ones.")


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="The place's name, as the desk wants it shown.")],
    country: Annotated[str, typer.Option("--country", "-c", help="ISO country code (e.g. SY, KW).")] = "",
    lat: Annotated[float | None, typer.Option(help="Latitude (decimal degrees).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude (decimal degrees).")] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", "-a", help="Another way people write it (repeatable).")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a place to the workspace gazetteer; `vigil triage` then finds it in the stored posts."""
    from vigil.triage.places import GazetteerError, add_workspace_place

    err = console(stderr=True)
    ws = open_ws(workspace, create=True)  # a place may be added before the first ingest, as a lexicon may
    try:
        path = ws.file("gazetteer.tsv")
        row = add_workspace_place(path, name, country, lat, lon, alias or [])
    except GazetteerError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    finally:
        ws.close()
    console().print(f"added to {path}: {row}", markup=False, soft_wrap=True)
    console().print("run `vigil triage` to find it in the posts already stored", markup=False)
