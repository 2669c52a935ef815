"""The desk's routes for voices, a voice, a post (with its raw payload) and the digest."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from vigil.web import changes, detail
from vigil.web.pages import _marks
from vigil.web.render import not_found, redirect_back, render, threaded
from vigil.web.security import change, form_list, page

VOICES_PAGE = 200
MAX_SUGGEST = 2000  # the suggestions compare every pair of voices: beyond this, too slow for a page
STATUSES = ("silent", "gone", "active")


@page
async def voices(request: Request) -> Response:
    """GET /voices: the board (status, last seen, risk, role, place, inside, accounts), with link suggestions."""
    q = request.query_params
    board = request.app.state.board.snapshot
    marks = await threaded(_marks, request)
    status, name = q.get("status", ""), (q.get("name") or "").strip().casefold()
    voices_all = board.voices if board else []
    if status in STATUSES:
        voices_all = [v for v in voices_all if v.status.status == status]
    if name:
        voices_all = [
            v
            for v in voices_all
            if name in v.status.name.casefold() or any(name in h.casefold() for h in v.status.handles)
        ]
    start = max(0, int(q.get("start", "0") or 0)) if (q.get("start") or "0").isdigit() else 0
    shown = []
    for v in voices_all[start : start + VOICES_PAGE]:  # rows built for the page only: 20,000 voices at 1M posts
        s = v.status
        m = marks.get(s.voice, {})
        ack = m.get("acknowledged")
        shown.append({"v": v, "s": s, "marks": m, "acknowledged": bool(ack and ack.get("since") == s.last_seen)})
    rows = voices_all
    suggestions: list[Any] = []
    too_many = bool(q.get("suggest")) and board is not None and len(board.voices) > MAX_SUGGEST
    if q.get("suggest") and not too_many:
        from vigil.watch.linking import suggest

        suggestions = await threaded(suggest, request.app.state.ro)
    params = {"status": status, "name": q.get("name", "")}
    return render(
        request, "voices.html.j2", board=board, rows=shown, total=len(rows), start=start, step=VOICES_PAGE,
        params=params, suggestions=suggestions, too_many=too_many, statuses=STATUSES,
        here=str(request.url.path) + "?" + request.url.query,
    )  # fmt: skip


def _vid(request: Request) -> int | None:
    raw = request.path_params.get("vid", "")
    return int(raw) if str(raw).isdigit() else None


@page
async def voice(request: Request) -> Response:
    """GET /voices/{vid}: one voice's timeline, posts in time order, silences, deletions and edits."""
    vid = _vid(request)
    before = request.query_params.get("before", "")

    def read() -> detail.VoicePage | None:
        with request.app.state.ro.engine.connect() as conn:
            return detail.voice_page(conn, vid, before=before) if vid is not None else None

    data = await threaded(read)
    if data is None:
        return not_found(request, "voice")
    board = request.app.state.board.snapshot
    on_board = board.by_id.get(data.voice["id"]) if board else None
    ack = data.marks.get("acknowledged")
    acknowledged = bool(on_board and ack and ack.get("since") == on_board.status.last_seen)
    return render(
        request, "voice.html.j2", d=data, chart=detail.day_chart(data.per_day), on_board=on_board,
        acknowledged=acknowledged, here=f"/voices/{data.voice['id']}",
    )  # fmt: skip


async def _voice_change(request: Request, fn: Any, *args: Any) -> Response:
    vid = _vid(request)
    if vid is None:
        return PlainTextResponse("no such voice", status_code=404)
    await threaded(fn, request.app.state.rw, request.state.user, vid, *args)
    return redirect_back(request, f"/voices/{vid}")


@change
async def voice_set(request: Request) -> Response:
    """POST /voices/{vid}/set: role and place by hand."""
    form = request.state.form
    return await _voice_change(request, changes.set_voice, form.get("role"), form.get("place"))


@change
async def voice_inside(request: Request) -> Response:
    """POST /voices/{vid}/inside: inside the city, outside, or unknown."""
    value = {"inside": True, "outside": False}.get(str(request.state.form.get("inside") or ""))
    return await _voice_change(request, changes.set_inside, value)


@change
async def voice_ack(request: Request) -> Response:
    """POST /voices/{vid}/ack: acknowledge the voice's current silence."""
    form = request.state.form
    board = request.app.state.board.snapshot
    as_of = board.as_of.strftime("%Y-%m-%dT%H:%M:%SZ") if board else request.app.state.board.as_of
    return await _voice_change(request, changes.acknowledge_silence, as_of, str(form.get("note") or "")[:500])


@change
async def voice_mute(request: Request) -> Response:
    """POST /voices/{vid}/mute: stop (muted=1) or start again (muted=0) counting the voice as at risk."""
    return await _voice_change(request, changes.mute_silence, str(request.state.form.get("muted")) == "1")


@change
async def voices_link(request: Request) -> Response:
    """POST /voices/link: join two or more accounts into one voice."""
    keys = form_list(request.state.form, "account")
    target = await threaded(changes.link_accounts, request.app.state.rw, request.state.user, keys)
    request.app.state.board.refresh()
    return redirect_back(request, f"/voices/{target}")


@page
async def post(request: Request) -> Response:
    """GET /post?uid=…: the text verbatim, versions, captures, media, cues and scores, labels, history."""
    uid = request.query_params.get("uid", "")

    def read() -> detail.PostPage | None:
        with request.app.state.ro.engine.connect() as conn:
            return detail.post_page(conn, uid)

    data = await threaded(read)
    if data is None:
        return not_found(request, "post")
    from vigil.web.reads import user_names

    def people() -> list[str]:
        with request.app.state.ro.engine.connect() as conn:
            return user_names(conn)

    return render(
        request, "post.html.j2", d=data, p=data.post, people=await threaded(people),
        here="/post?" + request.url.query,
    )  # fmt: skip


@page
async def related(request: Request) -> Response:
    """GET /post/related?uid=…: the stored replies, reposts and quotes of a post."""
    uid = request.query_params.get("uid", "")

    def read() -> dict[str, Any]:
        with request.app.state.ro.engine.connect() as conn:
            return detail.related(conn, uid)

    return render(request, "related.html.j2", uid=uid, groups=await threaded(read))


@page
async def raw(request: Request) -> Response:
    """GET /raw?sha256=…: the raw payload as stored, checked against its SHA-256 before it is sent."""
    from vigil.store.payloads import PayloadError, read_payload

    sha = request.query_params.get("sha256", "").lower()
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return PlainTextResponse("give the payload's SHA-256 (64 hex digits)", status_code=400)

    def read() -> bytes:
        with request.app.state.ro.engine.connect() as conn:
            return read_payload(conn, sha)

    try:
        body = await threaded(read)
    except PayloadError as exc:
        status = 404 if "no raw payload" in str(exc) else 409
        return PlainTextResponse(str(exc), status_code=status)
    return Response(
        body,
        media_type="application/octet-stream",
        headers={
            "content-disposition": f'attachment; filename="{sha}.raw"',
            "x-content-sha256": sha,
        },
    )


def routes() -> list[Route]:
    """The voice and post routes."""
    return [
        Route("/voices", voices, methods=["GET"]),
        Route("/voices/link", voices_link, methods=["POST"]),
        Route("/voices/{vid}", voice, methods=["GET"]),
        Route("/voices/{vid}/set", voice_set, methods=["POST"]),
        Route("/voices/{vid}/inside", voice_inside, methods=["POST"]),
        Route("/voices/{vid}/ack", voice_ack, methods=["POST"]),
        Route("/voices/{vid}/mute", voice_mute, methods=["POST"]),
        Route("/post", post, methods=["GET"]),
        Route("/post/related", related, methods=["GET"]),
        Route("/raw", raw, methods=["GET"]),
    ]
