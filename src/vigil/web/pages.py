"""The desk's routes: sign in and out, Now, Queue, Search and the audit log (voices and posts in pages_more)."""

from __future__ import annotations

import hmac
import io
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from vigil.web import audit, changes, reads, users
from vigil.web.render import redirect_back, render, threaded
from vigil.web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    change,
    client_of,
    current,
    form_list,
    login_csrf,
    login_csrf_ok,
    page,
    safe_next,
)

SEARCH_HITS = 20  # as `vigil search` shows


async def login_form(request: Request) -> Response:
    """GET /login: the sign-in form (its CSRF token bound to a cookie)."""
    cookie, token = login_csrf(request)
    return _login_page(request, cookie, token, "", 200)


def _login_page(request: Request, cookie: str, token: str, message: str, status: int) -> Response:
    nxt = safe_next(request.query_params.get("next"))
    resp = render(request, "login.html.j2", status, login_token=token, next=nxt, message=message)
    resp.set_cookie(LOGIN_COOKIE, cookie, httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp


async def login(request: Request) -> Response:
    """POST /login: check the password (attempts limited), start a session, go where the user was going."""
    form = await request.form()
    cookie, token = login_csrf(request)
    if not login_csrf_ok(request, str(form.get("csrf") or "")):
        return _login_page(request, cookie, token, "The form expired: please sign in again.", 403)
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    try:
        found = await threaded(users.login, request.app.state.rw, name, password, client_of(request))
    except users.LoginLimited as exc:
        return _login_page(request, cookie, token, f"{str(exc).capitalize()}.", 429)
    if found is None:
        return _login_page(request, cookie, token, "Wrong name or password.", 401)
    session_token, _user = found
    target = safe_next(str(form.get("next") or ""))
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        users.sign(request.app.state.key, session_token),
        max_age=users.SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    resp.delete_cookie(LOGIN_COOKIE)
    return resp


async def logout(request: Request) -> Response:
    """POST /logout: end the session (its CSRF token required)."""
    found = current(request)
    form = await request.form()
    if found is not None and hmac.compare_digest(str(form.get("csrf") or ""), found[1]):
        token = users.unsign(request.app.state.key, request.cookies.get(SESSION_COOKIE, ""))
        if token:
            await threaded(users.logout, request.app.state.rw, token)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


def _marks(request: Request) -> dict[int, dict[str, Any]]:
    """Each voice's desk marks (inside, acknowledged, muted), read now: they change between two boards."""
    with request.app.state.ro.engine.connect() as conn:
        return changes.voice_marks(conn)


def at_risk(board: Any, marks: dict[int, dict[str, Any]], limit: int = 20) -> list[dict[str, Any]]:
    """Silent or gone voices not muted and not known to be outside, most at risk first, with their marks."""
    out = []
    for v in board.voices if board else []:
        s = v.status
        m = marks.get(s.voice, {})
        if s.status == "active" or m.get("muted") or m.get("inside") is False:
            continue
        ack = m.get("acknowledged")
        out.append({"s": s, "marks": m, "acknowledged": bool(ack and ack.get("since") == s.last_seen), "ack": ack})
        if len(out) >= limit:
            break
    return out


@page
async def now(request: Request) -> Response:
    """GET /: headline figures, voices at risk, newest critical and high posts, ingests."""

    def read() -> dict[str, Any]:
        with request.app.state.ro.engine.connect() as conn:
            return {"newest": reads.newest(conn), "captures": reads.captures(conn)}

    data = await threaded(read)
    board = request.app.state.board.snapshot
    marks = await threaded(_marks, request)
    return render(
        request, "now.html.j2", board=board, board_error=request.app.state.board.error,
        risk=at_risk(board, marks), **data,
    )  # fmt: skip


@page
async def queue(request: Request) -> Response:
    """GET /queue: posts by priority and time, filtered, with one-click (one-key) labelling and bulk actions."""
    f = reads.QueueFilter.from_params(request.query_params)
    after = request.query_params.get("after", "")
    user = request.state.user

    def read() -> dict[str, Any]:
        with request.app.state.ro.engine.connect() as conn:
            rows, cursor = reads.queue(conn, f, after)
            return {
                "rows": rows,
                "cursor": cursor,
                "saved": reads.saved_filters(conn, user.name),
                "people": reads.user_names(conn),
                "facets": reads.facets(conn),
            }

    data = await threaded(read)
    here = "/queue" + (f"?{request.url.query}" if request.url.query else "")
    return render(request, "queue.html.j2", f=f, params=f.params(), here=here, place_window=reads.PLACE_WINDOW, **data)


@change
async def queue_label(request: Request) -> Response:
    """POST /queue/label: confirm, correct, add a label or mark not relevant, for one post or the selected ones."""
    form = request.state.form
    uids = form_list(form, "uid")
    action = str(form.get("action") or "")
    if ":" in action:  # a button naming its label: correct:plea, add:missing
        action, _, label = action.partition(":")
    else:
        label = str(form.get("label") or "")
    if not uids:
        return PlainTextResponse("select at least one post", status_code=400)
    await threaded(changes.label_posts, request.app.state.rw, request.state.user, uids, action, label or None)
    return redirect_back(request, "/queue")


@change
async def queue_assign(request: Request) -> Response:
    """POST /queue/assign: give the selected posts to a colleague."""
    form = request.state.form
    uids = form_list(form, "uid")
    if not uids:
        return PlainTextResponse("select at least one post", status_code=400)
    await threaded(changes.assign, request.app.state.rw, request.state.user, uids, str(form.get("assignee") or ""))
    return redirect_back(request, "/queue")


@change
async def queue_filter_save(request: Request) -> Response:
    """POST /queue/filters: keep the current filters under a name."""
    form = request.state.form
    f = reads.QueueFilter.from_params(dict(parse_qsl(str(form.get("query") or ""))))
    query = urlencode(f.params())
    await threaded(changes.save_filter, request.app.state.rw, request.state.user, str(form.get("name") or ""), query)
    return RedirectResponse("/queue?" + query, status_code=303)


@change
async def queue_filter_delete(request: Request) -> Response:
    """POST /queue/filters/delete: forget a saved filter."""
    name = str(request.state.form.get("name") or "")
    await threaded(changes.delete_filter, request.app.state.rw, request.state.user, name)
    return RedirectResponse("/queue", status_code=303)


@page
async def search(request: Request) -> Response:
    """GET /search: full-text search with filters; snippets escaped, matches highlighted."""
    from vigil.store.queries import PostFilter
    from vigil.store.queries import search as fts_search
    from vigil.triage.labels import LABELS, PRIORITIES

    q = request.query_params
    text = (q.get("q") or "").strip()
    f = PostFilter(
        since=q.get("since") or None,
        until=q.get("until") or None,
        platforms=[q["platform"]] if q.get("platform") else [],
        authors=[q["author"]] if q.get("author") else [],
        labels=[q["label"]] if q.get("label") in LABELS else [],
        priorities=[q["priority"]] if q.get("priority") in PRIORITIES else [],
    )
    results = None
    error = ""
    if text:
        try:
            results = await threaded(fts_search, request.app.state.ro, text, f, SEARCH_HITS)
        except ValueError as exc:  # a bad date in the filters
            error = str(exc)
    params = {k: q.get(k, "") for k in ("q", "since", "until", "platform", "author", "label", "priority")}
    return render(request, "search.html.j2", results=results, params=params, error=error, lang_of=reads.html_lang)


@page
async def audit_page(request: Request) -> Response:
    """GET /audit: the newest changes first, by person, kind or target."""
    q = request.query_params

    def read() -> list[audit.Entry]:
        with request.app.state.ro.engine.connect() as conn:
            return audit.entries(
                conn, q.get("who") or None, q.get("action") or None, q.get("target") or None, limit=500
            )

    entries = await threaded(read)
    params = {k: q.get(k, "") for k in ("who", "action", "target")}
    return render(request, "audit.html.j2", entries=entries, params=params)


@page
async def audit_download(request: Request) -> Response:
    """GET /audit.jsonl: the whole log as JSON Lines (what `vigil audit export` writes)."""

    def read() -> str:
        out = io.StringIO()
        with request.app.state.ro.engine.connect() as conn:
            audit.export(conn, out, "jsonl")
        return out.getvalue()

    body = await threaded(read)
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"content-disposition": 'attachment; filename="vigil-audit.jsonl"'},
    )


def routes() -> list[Route]:
    """Sign-in, Now, Queue, Search and audit routes."""
    return [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", now, methods=["GET"]),
        Route("/queue", queue, methods=["GET"]),
        Route("/queue/label", queue_label, methods=["POST"]),
        Route("/queue/assign", queue_assign, methods=["POST"]),
        Route("/queue/filters", queue_filter_save, methods=["POST"]),
        Route("/queue/filters/delete", queue_filter_delete, methods=["POST"]),
        Route("/search", search, methods=["GET"]),
        Route("/audit", audit_page, methods=["GET"]),
        Route("/audit.jsonl", audit_download, methods=["GET"]),
    ]
