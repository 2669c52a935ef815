"""The digest page: pick a period and voices, open the digest (its own document and CSP) or download it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from vigil.web.render import render, threaded
from vigil.web.security import page

FIELDS = ("since", "until", "as_of", "tz", "title")


def _options(request: Request) -> dict[str, Any]:
    q = request.query_params
    opts: dict[str, Any] = {k: (q.get(k) or "").strip() for k in FIELDS}
    opts["voices"] = [v for v in q.getlist("voice") if v.strip()]
    return opts


@page
async def digest_form(request: Request) -> Response:
    """GET /digest: the form (period, voices, time zone) and links to the digest it gives."""
    board = request.app.state.board.snapshot
    opts = _options(request)
    voices = [v.status for v in board.voices[:500]] if board else []
    query = request.url.query
    return render(request, "digest.html.j2", opts=opts, voices=voices, query=query)


def _build(request: Request, opts: dict[str, Any]) -> Any:
    from vigil.report.digest import build_digest

    return build_digest(
        request.app.state.ro,
        since=opts["since"] or None,
        until=opts["until"] or None,
        as_of=opts["as_of"] or request.app.state.board.as_of,
        voices=opts["voices"] or None,
        tz=opts["tz"] or None,
        silence=request.app.state.silence,
        title=opts["title"] or "Digest",
    )


@page
async def digest_view(request: Request) -> Response:
    """GET /digest/view (or /digest/download?format=html|md): the digest itself, as `vigil digest` writes it."""
    import sqlalchemy as sa

    from vigil.report.html import content_security_policy, render_html
    from vigil.report.markdown import render_markdown
    from vigil.watch.voices import VoiceError

    opts = _options(request)
    try:
        d = await threaded(_build, request, opts)
    except (ValueError, VoiceError) as exc:
        return PlainTextResponse(f"cannot make this digest: {exc}", status_code=400)
    except sa.exc.OperationalError:  # new accounts need voices first: the board's next pass gives them
        request.app.state.board.refresh()
        return PlainTextResponse("new accounts are being given voices: try again in a few seconds", status_code=503)
    fmt = request.query_params.get("format", "")
    download = request.url.path.endswith("/download")
    if fmt == "md":
        return Response(
            render_markdown(d),
            media_type="text/markdown; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="digest.md"'},
        )
    from pathlib import Path

    import vigil.report.html as report_html

    css = (Path(report_html.__file__).parent / "templates" / "digest.css").read_text(encoding="utf-8")
    headers = {"content-security-policy": content_security_policy(css) + "; frame-ancestors 'none'"}
    if download:
        headers["content-disposition"] = 'attachment; filename="digest.html"'
    return Response(render_html(d), media_type="text/html; charset=utf-8", headers=headers)


def routes() -> list[Route]:
    """The digest routes."""
    return [
        Route("/digest", digest_form, methods=["GET"]),
        Route("/digest/view", digest_view, methods=["GET"]),
        Route("/digest/download", digest_view, methods=["GET"]),
    ]
