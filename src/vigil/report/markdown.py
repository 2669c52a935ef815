"""Render a digest as Markdown for a briefing: same sections as the HTML, user content escaped."""

from __future__ import annotations

import re

from vigil import __version__
from vigil.report import phrases as ph
from vigil.report.digest import Digest
from vigil.report.html import period_text
from vigil.report.quotes import Quote
from vigil.words import count

# Inline, each character escaped only where Markdown would read it as syntax (CommonMark, with GFM's
# strikethrough): `#كفر_مدرا` and `@noor_writes` stay as written, since an underscore between letters is never
# emphasis and a hash is a heading only at a line's start and before a space.
_INLINE = re.compile(
    r"""\\(?=[!-/:-@\[-`{-~]|$)"""  # a backslash before punctuation (an escape) or at the end (a line break)
    r"|[`]"  # code spans
    r"|\*(?!(?<=\s\*)\s)"  # emphasis: a star, unless spaces stand on both sides of it
    r"|(?<![^\W_])_|_(?![^\W_])"  # emphasis: an underscore not between letters or digits
    r"|\](?=[(\[:])"  # a link, image or link definition: ](  ][  ]:
    r"|<(?=[A-Za-z/!?])"  # raw HTML, autolinks: as &lt;, which every renderer reads (not all know \<)
    r"|&(?=#?\w+;)"  # entity and character references: as &amp;
    r"|~(?=[^\n]*~)|(?<=~)~",  # strikethrough: a tilde with another one after it on the line
    re.MULTILINE,
)
_LINE_START = re.compile(
    r"^([ \t]{0,3})"
    r"(>|[-+*](?=[ \t]|$)|#{1,6}(?=[ \t]|$)|```|~~~|"  # quote, list, heading, fence
    r"(?:[-*_][ \t]*){3,}$|=+[ \t]*$|-+[ \t]*$)",  # thematic break, setext underline
    re.MULTILINE,
)
_ORDERED = re.compile(r"^([ \t]{0,3}\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)  # '1. ' starts a list: '1\. '
_CLOSING_HASHES = re.compile(r"(?<=[ \t])(#+)([ \t]*)$", re.MULTILINE)  # a heading's optional closing sequence


_ENTITIES = {"<": "&lt;", "&": "&amp;"}


def _escape_one(m: re.Match[str]) -> str:
    c = m.group(0)
    return _ENTITIES.get(c) or "\\" + c


def md_escape(text: str) -> str:
    """Text shown as itself by a Markdown renderer, escaped only where Markdown would otherwise read syntax."""
    t = _INLINE.sub(_escape_one, text)
    t = _CLOSING_HASHES.sub(lambda m: "\\" + m.group(1) + m.group(2), t)
    t = _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), t)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), t)


def _url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def quote_md(q: Quote, with_voice: bool = False) -> list[str]:
    """A blockquote (line breaks kept) and a line of who, where, when, reach, marks."""
    lines = ["> " + (md_escape(line) if line.strip() else "") for line in q.words.split("\n")]
    lines = [line + "  " if i < len(lines) - 1 else line for i, line in enumerate(lines)]
    meta: list[str] = []
    if q.deleted:
        meta.append(f"**{q.deleted_note}**")
    if q.earlier:
        meta.append("**edited**")
    if q.labels:
        meta.append(", ".join(q.labels))
    if with_voice or q.speaker_name:
        who = md_escape(q.speaker_name or q.voice_name)
        meta.append(f"**{who}**" + (f" (posted by {md_escape(q.voice_name)})" if q.speaker_name else ""))
    where = q.platform_name + (f" @{md_escape(q.handle)}" if q.handle else "")
    meta.append(f"{where}, {q.local} local ({q.utc})")
    if q.from_transcript:
        meta.append(f"from the {q.kind}'s transcript" + (f" “{md_escape(q.title)}”" if q.title else ""))
    meta += q.reach
    if q.url:
        meta.append(f"[link](<{_url(q.url)}>)")
    out = [*lines, "", "— " + " · ".join(meta), ""]
    for text in q.earlier:
        out += ["Earlier version:", "", *("> " + md_escape(line) for line in text.split("\n")), ""]
    return out


def render_markdown(d: Digest) -> str:
    """The digest as Markdown."""
    as_of = f"{ph.clock(d.as_of, d.tz)} ({d.tz_label})"
    out = [
        f"# {md_escape(d.title)}",
        "",
        f"*Vigil digest · {period_text(d)} · as of {as_of}*",
        "",
        " · ".join(f"**{v:,}** {ph.figure_name(k, v)}" for k, v in d.figures.items()),
        "",
    ]
    if d.silent_now:
        out += ["## Silent now", ""]
        for v in d.silent_now:
            who = md_escape(v.name) + (f", {md_escape(v.role)}" if v.role else "")
            last = f" (last post: {', '.join(v.status.last_labels)})" if v.status.last_labels else ""
            why = f" — {md_escape(v.status.gone_reason)}" if v.status.gone_reason else ""
            out.append(f"- **{who}**: {v.silence_note}{last}{why}")
        out.append("")
    if d.quiet_now:
        hours = ph.hours_phrase(d.silence.total_seconds() / 3600)
        names = ", ".join(f"{md_escape(v.name)} (since {v.last_seen_local})" for v in d.quiet_now)
        out += [f"Also silent for more than {hours}: {names}.", ""]
    out += ["## Day by day", ""]
    for day in d.days:
        out += [f"### {day.title}", "", count(day.posts, "post"), ""]
        for s in day.stories:
            names = ", ".join(md_escape(n) for n in s.voices)
            out += [
                f"#### {md_escape(s.title)}: {count(len(s.voices), 'independent voice')}",
                "",
                f"Reported by {names}. First report:",
                "",
                *quote_md(s.first, with_voice=True),
            ]
        out += [f"- {md_escape(e)}" for e in day.events] + ([""] if day.events else [])
    out += ["## Voices", ""]
    for v in d.voices:
        role = " · ".join(md_escape(x) for x in (v.role or "role unknown", v.place) if x)
        out += [
            f"### {md_escape(v.name)} ({v.status.status})",
            "",
            f"{role} · {', '.join(v.platforms)} · {md_escape(', '.join(v.status.handles))} · {count(v.posts, 'post')}",
            "",
        ]
        if v.status.account:
            out += [md_escape(v.status.account.phrase()), ""]
        if v.silence_note:
            out += [f"**{v.silence_note}** local.", ""]
        for q in v.quotes:
            out += quote_md(q)
    if d.others:
        out += [f"Also posting in the period: {md_escape(', '.join(d.others))}.", ""]
    out += ["---", f"Quotes are verbatim. Generated by Vigil {__version__}.", ""]
    return "\n".join(out)
