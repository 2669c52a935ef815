"""`vigil digest`: the roundup of a period as one self-contained HTML file or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.common import DateOrderOpt, SinceOpt, UntilOpt, WorkspaceOpt, as_reader, bounds, console, moment, open_ws

LANGS = ("en",)


def digest(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.html or FILE.md.")],
    since: SinceOpt = None,
    until: UntilOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge silences at this moment (default --until, else now).")
    ] = None,
    voices: Annotated[list[str] | None, typer.Option("--voices", help="Only these voices (repeatable).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the digest's own words.")] = "en",
    tz: Annotated[str | None, typer.Option("--tz", help="Local time zone: +02:00 or Europe/Kyiv.")] = None,
    silence: Annotated[str, typer.Option("--silence", help="Silent after this long without a post.")] = "12h",
    title: Annotated[str, typer.Option("--title", help="Headline of the digest.")] = "Digest",
    max_voices: Annotated[int, typer.Option("--max-voices", help="Voices given a section, most at risk first.")] = 40,
    date_order: DateOrderOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the digest: figures, stories day by day, each voice quoted verbatim, silences, charts."""
    as_reader(workspace)
    from vigil.report.digest import build_digest
    from vigil.watch.silence import parse_duration
    from vigil.watch.voices import VoiceError

    if lang not in LANGS:
        raise typer.BadParameter(f"digest language {lang!r} is not available (available: {', '.join(LANGS)})")
    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise typer.BadParameter("the output must end in .html or .md", param_hint="-o")
    since, until = bounds(since, until, tz, date_order)  # --tz: local days
    if as_of is not None:
        from vigil.dates import iso_utc

        as_of = iso_utc(moment("--as-of", as_of, tz, date_order, end=True))
    ws = open_ws(workspace, write=False)
    try:
        d = build_digest(
            ws,
            since=since,
            until=until,
            as_of=as_of,
            voices=voices,
            tz=tz,
            silence=parse_duration(silence),
            title=title,
            max_voices=max_voices,
        )
    except (ValueError, VoiceError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    finally:
        ws.close()
    if suffix in (".md", ".markdown"):
        from vigil.report.markdown import render_markdown

        text = render_markdown(d)
    else:
        from vigil.report.html import render_html

        text = render_html(d, lang=lang)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console(stderr=True).print(
        f"wrote {output}: {d.figures['posts']:,} posts, {len(d.voices)} voices, {len(d.days)} days", markup=False
    )
