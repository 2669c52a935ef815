"""Rendering pages and running store work off the event loop: what every route module shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from vigil import __version__
from vigil.triage.labels import LABELS, PRIORITIES
from vigil.web.security import safe_next

HERE = Path(__file__).parent  # templates/ and static/


def highlight(snippet: str) -> Markup:
    """An FTS snippet (chr(2)/chr(3) around matches) as HTML: the text escaped, then <mark> around the matches."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))  # noqa: S704


def environment() -> jinja2.Environment:
    """The desk's templates: autoescaped; a missing value renders empty."""
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
    form = getattr(request.state, "form", None)
    target = safe_next(str(form.get("next") or "") if form else "", default)
    return RedirectResponse(target, status_code=303)


async def threaded(fn: Any, *args: Any, **kw: Any) -> Any:
    """Run blocking store work off the event loop."""
    return await run_in_threadpool(fn, *args, **kw)


def not_found(request: Request, what: str) -> HTMLResponse:
    """A 404 page naming what was not found."""
    return render(request, "error.html.j2", 404, message=f"{what} not found")
