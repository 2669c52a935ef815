"""Security of every response: headers (a CSP allowing only the site's own files), sessions, CSRF, roles."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.web import users
from vigil.web.changes import ChangeError

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
}
SESSION_COOKIE = "vigil_session"
LOGIN_COOKIE = "vigil_login"  # a random value the login form's CSRF token is bound to (no session yet)

Handler = Callable[[Request], Awaitable[Response]]


class SecurityHeaders:
    """ASGI middleware: the CSP (unless a route set its own), the other headers and Server-Timing, on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the response's start message."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        wall, cpu = time.perf_counter(), time.process_time()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers += [(k, v) for k, v in HEADERS.items() if k not in names]
                # the time spent, and the server process's CPU meanwhile (bench/web.py reads both)
                spent = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
                took = f"app;dur={spent[0]:.1f}, cpu;dur={spent[1]:.1f}"
                headers.append((b"server-timing", took.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target on this site only (a path, never //host or a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def client_of(request: Request) -> str:
    """The client's address, as the socket gives it."""
    return request.client.host if request.client else "unknown"


def current(request: Request) -> tuple[users.User, str] | None:
    """The signed-in user and session CSRF token, from the signed session cookie."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    token = users.unsign(request.app.state.key, raw)
    if token is None:
        return None
    with request.app.state.ro.engine.connect() as conn:
        return users.session_user(conn, token)


def login_csrf(request: Request) -> tuple[str, str]:
    """(cookie value, form token) for the login form: the token is the cookie's value signed."""
    value = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(16)
    return value, users.sign(request.app.state.key, "login:" + value).rpartition(".")[2]


def login_csrf_ok(request: Request, form_token: str) -> bool:
    """Whether the login form's token matches its cookie."""
    value = request.cookies.get(LOGIN_COOKIE)
    if not value:
        return False
    expected = users.sign(request.app.state.key, "login:" + value).rpartition(".")[2]
    return hmac.compare_digest(expected, form_token)


def page(handler: Handler) -> Handler:
    """A page for signed-in users (anyone else is sent to the login page)."""

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        found = current(request)
        if found is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        request.state.user, request.state.csrf = found
        return await handler(request)

    return wrapped


def change(handler: Handler) -> Handler:
    """A POST that changes something: a signed-in editor or admin, with the session's CSRF token (else 403).

    A change the desk refuses (ChangeError: an unknown label, no such post) answers 400 with its one line.
    """

    @wraps(handler)
    async def wrapped(request: Request) -> Response:
        found = current(request)
        if found is None:
            return PlainTextResponse("sign in first", status_code=401)
        user, csrf = found
        form = await request.form()
        token = str(form.get("csrf") or "")
        if not token or not hmac.compare_digest(token, csrf):
            return PlainTextResponse("the form's CSRF token is missing or wrong: reload the page", status_code=403)
        if not user.can_edit:
            return PlainTextResponse(f"{user.name} is a viewer: viewers cannot change anything", status_code=403)
        request.state.user, request.state.csrf, request.state.form = user, csrf, form
        try:
            return await handler(request)
        except ChangeError as exc:
            return PlainTextResponse(str(exc), status_code=400)

    return wrapped


def form_list(form: Any, name: str) -> list[str]:
    """Every non-empty value of a repeated form field."""
    return [str(x).strip() for x in form.getlist(name) if str(x).strip()]
