"""Render a digest as one self-contained HTML file (Jinja2 with autoescape; a strict Content-Security-Policy)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import jinja2
from markupsafe import Markup

from vigil import __version__
from vigil.report import charts
from vigil.report import phrases as ph
from vigil.report.digest import Digest

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    """Templates from report/templates, every value escaped unless marked safe by Vigil itself."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["figure_name"] = ph.figure_name  # '1 farewell', '2 farewells'
    return env


def content_security_policy(css: str) -> str:
    """Nothing may load from anywhere; only this file's own stylesheet (by hash) applies."""
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; font-src 'none'; "
        "script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def period_text(d: Digest) -> str:
    """'Mon 2 Mar 10:10 – Wed 4 Mar 14:00 (UTC+2)'."""
    return f"{ph.clock(d.since, d.tz)} – {ph.clock(d.until, d.tz)} ({d.tz_label})"


def render_html(d: Digest, lang: str = "en") -> str:
    """The digest as an HTML page."""
    css = (TEMPLATES / "digest.css").read_text(encoding="utf-8")
    template = environment().get_template("digest.html.j2")
    return template.render(
        d=d,
        lang=lang,
        css=Markup(css),  # noqa: S704 - Vigil's own stylesheet, not user content
        csp=content_security_policy(css),
        period=period_text(d),
        as_of=f"{ph.clock(d.as_of, d.tz)} ({d.tz_label})",
        silence=ph.hours_phrase(d.silence.total_seconds() / 3600),
        chart_labels=charts.posts_by_label(d),
        chart_voices=charts.voice_timeline(d),
        version=__version__,
        generated=f"{ph.clock(d.generated_at, d.tz)} ({d.tz_label})",
    )
