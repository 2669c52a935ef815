"""`vigil serve`: the web desk over a workspace."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws


def is_loopback(host: str) -> bool:
    """Whether a bind address is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge silences at this moment (default: now, as it goes).")
    ] = None,
    silence: Annotated[str, typer.Option("--silence", help="Silent after this long without a post.")] = "12h",
    workspace: WorkspaceOpt = None,
) -> None:
    """Serve the desk in a browser: queue, voices, posts, search, digest, with accounts and an audit log."""
    import sqlalchemy as sa
    import uvicorn

    from vigil.store import schema
    from vigil.watch.silence import parse_as_of, parse_duration
    from vigil.web.app import create_app

    err = console(stderr=True)
    try:
        window = parse_duration(silence)
        if as_of:
            parse_as_of(as_of)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    ws = open_ws(workspace)
    with ws.engine.connect() as conn:
        people = conn.execute(sa.select(sa.func.count()).select_from(schema.web_users)).scalar_one()
    ws.close()
    if not is_loopback(host):
        err.print(
            f"warning: binding {host}: the desk is reachable from other machines. Put it behind HTTPS "
            "(a reverse proxy) and give every account a strong password.",
            markup=False,
            soft_wrap=True,
        )
    if not people:
        err.print("no desk account yet: add one with `vigil user add NAME --role admin`", markup=False)
    app = create_app(ws.path, as_of=as_of, silence=window)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"Vigil desk: http://{shown}:{port}/  (workspace {ws.path}; Ctrl-C stops it)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
