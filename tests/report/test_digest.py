from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from tests.watch.city import AS_OF, load_city

from vigil.report.digest import build_digest
from vigil.report.html import render_html
from vigil.report.markdown import md_escape, render_markdown
from vigil.watch.voices import attribute, link

HOSTILE = "<script>alert('pwned')</script> & \"quotes\" 'here'"


class Collect(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> if any."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def digest(ws):
    load_city(ws)
    link(ws, ["lina_h", "telegram:lina_channel"])
    attribute(ws, "twitter:1006", "omar_rescue")
    return build_digest(ws, until=AS_OF, tz="+02:00", title="Harbourtown", silence=timedelta(hours=12))


def test_figures_days_and_stories(digest):
    d = digest
    assert d.figures == {"posts": 12, "voices": 5, "pleas": 2, "farewells": 1, "silent now": 4, "deleted": 2}
    assert [day.title for day in d.days] == ["Monday 2 March 2026", "Tuesday 3 March 2026", "Wednesday 4 March 2026"]
    monday = d.days[0]
    port = monday.stories[0]
    assert port.title == "Attacks reported · port"
    assert port.voices == ["Lina Haddad", "Omar Saleh", "Sami Nour"]  # three independent voices
    assert port.first.uid == "twitter:1001" and port.first.local == "Mon 2 Mar 10:10" and port.first.utc == "08:10 UTC"
    tuesday = d.days[1]
    assert any("Omar Saleh reappeared after 27 hours of silence" in e for e in tuesday.events)
    assert any(s.label == "farewell" for s in tuesday.stories)


def test_voices_quotes_marks_and_silence(digest):
    voices = {v.name: v for v in digest.voices}
    first = digest.voices[0]
    assert first.name == "Lina Haddad" and first.status.status == "silent"
    assert first.silence_note == "nothing since Tuesday 3 March 16:00"
    assert (first.role, first.place, first.platforms) == ("teacher", "Harbourtown", ["Telegram", "X/Twitter"])
    farewell = next(q for q in first.quotes if "farewell" in q.labels)
    assert farewell.text == "If you dont hear from me, remember us. Thank you for everything. Goodbye"  # verbatim
    assert farewell.reach == ["liked 52,000 times", "shared 30,000 times", "2,000,000 views"]
    plea = next(q for q in first.quotes if q.uid == "telegram:lina_channel/2")
    assert plea.deleted and plea.deleted.how == "absent"
    sami = voices["Sami Nour"]
    edited = next(q for q in sami.quotes if q.uid == "twitter:1004")
    assert edited.earlier == ["Bread queue at the north bakery stretches two streets, first since Friday."]
    assert "stretches three streets" in edited.words
    omar = voices["Omar Saleh"]
    video = next(q for q in omar.quotes if q.uid == "twitter:1006")
    assert video.from_transcript and video.words.startswith("We dug with our hands")
    assert video.speaker_name == "Omar Saleh" and video.voice_name == "Harbourtown Civil Defence"
    assert video.reach == ["liked 4,000 times", "100,000 views"]
    assert [q.uid for q in omar.points] == ["twitter:1002", "twitter:1007"]  # speaking in a video is not posting


def test_html_structure_escaping_and_no_external_resources(digest):
    html = render_html(digest)
    parser = Collect()
    parser.feed(html)
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "img", "iframe", "object", "embed", "link", "base", "form")]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; &amp; &#34;quotes&#34; &#39;here&#39;" in html
    assert HOSTILE in "".join(parser.text)  # shown to the reader exactly as posted
    for tag, attrs in tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if "src" in attrs:
            pytest.fail(f"{tag} loads {attrs['src']}")
        href = attrs.get("href")
        if href and not href.startswith("#"):
            assert tag == "a" and re.match(r"^https://(x\.com|t\.me)/", href), href
    assert "javascript:" not in html
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src 'none'" in csp and "'unsafe-inline'" not in csp
    assert not re.search(r"@import|url\((?!#)", html)
    assert html.count("<svg") == 2
    for heading in ("Silent now", "Activity", "Day by day", "Voices"):
        assert heading in html
    assert "nothing since Tuesday 3 March 16:00" in html and "Reported by 3 independent voices" in html
    assert "from the video's transcript" in html and "edited" in html and "gone from a later complete export" in html


def test_markdown_has_the_same_story_and_escapes(digest):
    md = render_markdown(digest)
    assert "# Harbourtown" in md and "## Silent now" in md
    assert "#### Attacks reported · port: 3 independent voices" in md
    assert "<script>" not in md and "&lt;script>alert('pwned')&lt;/script> & \"quotes\" 'here'" in md
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)>" in md
    assert "[link](<https://x.com/lina_h/status/1008>)" in md and "javascript:" not in md
    rendered = MarkdownIt("commonmark").render(md)
    assert "<script>" not in rendered and "<img" not in rendered  # shown as text, never run


def test_md_escape_keeps_words_and_neutralises_syntax():
    assert md_escape("plain words, typos incldued.") == "plain words, typos incldued."
    assert md_escape("#كفر_مدرا @noor_writes snake_case_name") == "#كفر_مدرا @noor_writes snake_case_name"
    assert md_escape("- not a list\n1. nor this\n# nor a heading") == "\\- not a list\n1\\. nor this\n\\# nor a heading"
    assert md_escape("[x](javascript:1) *b* `c`") == "[x\\](javascript:1) \\*b\\* \\`c\\`"


MD_HOSTILE = [
    "#كفر_مدرا عاجل: القصف على حي الميناء @noor_writes",
    "# not a heading\n> not a quote\n- not a list\n+ nor this\n* nor this\n1. nor this\n2) nor this",
    "---\n***\n___\n===\n```\nnot code\n~~~",
    "*stars* _under_ __strong__ **bold** a * b snake_case `tick` ``two``",
    "[text](https://example.org) ![img](x.png) [ref]: https://example.org [a][b]",
    "<b>bold</b> <!-- c --> <https://example.org> a < b > c AT&T &amp; &#65; &copy;",
    "back\\slash \\* \\_ trailing\\",
    "~~struck~~ ~50 people ~a~",
    "Title #\ntrailing hashes ##",
    "emoji 🕯️ and tabs\tinside | pipes | here",
]


def _text(md: str) -> str:
    """The text a Markdown renderer shows for md (tags dropped, entities read), whitespace collapsed."""
    html = MarkdownIt("commonmark").enable("strikethrough").render(md)
    text = re.sub(r"<[^>]+>", "", html.replace("<br />", "\n"))
    return " ".join(unescape(text).split())


@pytest.mark.parametrize("text", MD_HOSTILE)
def test_a_quote_renders_as_the_original_text(text):
    block = "\n".join("> " + md_escape(line) if line.strip() else ">" for line in text.split("\n"))
    assert _text(block) == " ".join(text.split())
    assert _text(md_escape(text)) == " ".join(text.split())
    html = MarkdownIt("commonmark").enable("strikethrough").render(block)
    assert not re.search(r"<(?!/?(?:blockquote|p|br)\b)", html)  # nothing but the quote and its lines


def test_as_of_and_voices_filter(ws):
    load_city(ws)
    d = build_digest(ws, until="2026-03-02T23:59:59Z", voices=["omar_rescue"])
    assert [v.name for v in d.voices] == ["Omar Saleh"] and d.figures["posts"] == 1
    assert d.figures["deleted"] == 0  # the 03-03 deletion is not known yet on 03-02
    early = build_digest(ws, until="2026-03-02T12:00:00Z")
    assert all(v.status.status == "active" for v in early.voices) and early.figures["silent now"] == 0


def test_cli_writes_html_and_markdown(ws, cli, tmp_path):
    load_city(ws)
    out = tmp_path / "d.html"
    res = cli("digest", "-o", str(out), "--until", AS_OF, "--tz", "+02:00", "--title", "Harbourtown")
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("<!doctype html>") and "Harbourtown" in out.read_text()
    md = tmp_path / "d.md"
    assert cli("digest", "-o", str(md), "--until", AS_OF).exit_code == 0
    assert md.read_text().startswith("# Digest")
    assert cli("digest", "-o", str(tmp_path / "d.pdf")).exit_code == 2
    assert cli("digest", "-o", str(out), "--lang", "xx").exit_code == 2
    assert cli("digest", "-o", str(out), "--tz", "Mars/Olympus").exit_code == 2


def test_a_speaker_without_an_account_gets_a_section(ws):
    load_city(ws)
    attribute(ws, "twitter:1006", "Rami Aziz", create=True)
    d = build_digest(ws, until=AS_OF)
    rami = next(v for v in d.voices if v.name == "Rami Aziz")
    assert rami.status.status == "speaker" and [q.uid for q in rami.quotes] == ["twitter:1006"]
    assert "speaking in posts by others" in render_html(d)
