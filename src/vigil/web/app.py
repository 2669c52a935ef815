"""The desk as a Starlette application: pages read on read-only connections, changes are audited POSTs."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from vigil import __version__
from vigil.store.engine import open_workspace
from vigil.triage.labels import LABELS, PRIORITIES
from vigil.watch.silence import DEFAULT_SILENCE
from vigil.web import pages, users
from vigil.web.board import Board
from vigil.web.reads import read_only
from vigil.web.security import SecurityHeaders

HERE = Path(__file__).parent


def highlight(snippet: str) -> Markup:
    """An FTS snippet (chr(2)/chr(3) around matches) as HTML: the text escaped, then <mark> around the matches."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))  # noqa: S704


def environment() -> jinja2.Environment:
    """The desk's templates: autoescaped, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["qs"] = lambda d: urlencode({k: v for k, v in d.items() if v})
    env.globals.update(LABELS=LABELS, PRIORITIES=PRIORITIES, version=__version__)
    return env


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with the signed-in user and the CSRF token every form carries."""
    env: jinja2.Environment = request.app.state.env
    user = getattr(request.state, "user", None)
    html = env.get_template(name).render(
        request=request, user=user, csrf=getattr(request.state, "csrf", ""), path=request.url.path, **context
    )
    return HTMLResponse(html, status_code=status)


def redirect_back(request: Request, default: str = "/") -> RedirectResponse:
    """303 to the form's `next` (a path on this site) or default."""
    from vigil.web.security import safe_next

    form = getattr(request.state, "form", None)
    target = safe_next(str(form.get("next") or "") if form else "", default)
    return RedirectResponse(target, status_code=303)


async def threaded(fn: Any, *args: Any, **kw: Any) -> Any:
    """Run blocking store work off the event loop."""
    return await run_in_threadpool(fn, *args, **kw)


def create_app(
    workspace: Path, as_of: str | None = None, silence: timedelta = DEFAULT_SILENCE, board: bool = True
) -> Starlette:
    """The desk over one workspace (created and migrated if needed)."""
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

    app = Starlette(
        routes=[*pages.routes(), Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
        middleware=[Middleware(SecurityHeaders)],
        lifespan=lifespan,
    )
    app.state.rw, app.state.ro = rw, ro
    app.state.key = users.secret(rw.path)
    app.state.env = environment()
    app.state.board = Board(rw, as_of, silence)
    app.state.silence = silence
    return app


__all__ = ["Route", "RedirectResponse", "Response", "create_app", "render", "redirect_back", "threaded"]
