"""The desk as a Starlette application: pages read on read-only connections, changes are audited POSTs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from vigil.store.engine import open_workspace
from vigil.watch.silence import DEFAULT_SILENCE
from vigil.web import digest_page, pages, pages_more, users
from vigil.web.board import Board
from vigil.web.reads import read_only
from vigil.web.render import HERE, environment
from vigil.web.security import SecurityHeaders


def create_app(
    workspace: Path, as_of: str | None = None, silence: timedelta = DEFAULT_SILENCE, board: bool = True
) -> Starlette:
    """The desk over one workspace (created and migrated if needed); the board starts with the server."""
    rw = open_workspace(workspace)
    ro = read_only(rw.path)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if board:
            app.state.board.start()
        yield
        app.state.board.stop()
        rw.close()
        ro.close()

    routes = [*pages.routes(), *pages_more.routes(), *digest_page.routes()]
    app = Starlette(
        routes=[*routes, Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(SecurityHeaders)],
        lifespan=lifespan,
    )
    app.state.rw, app.state.ro = rw, ro
    app.state.key = users.secret(rw.path)
    app.state.env = environment()
    app.state.board = Board(rw, as_of, silence)
    app.state.silence = silence
    return app
