"""Mastodon's status HTML as plain text: paragraphs, line breaks and decoded entities, nothing else changed."""

# A linear-time scanner, not html.parser: that one slows cubically on hostile input such as '<a <a <a …'.

from __future__ import annotations

import re
from html import unescape

SKIPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "title"})
BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"})
LINK_SCHEMES = ("http://", "https://")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>")
_DECLARATION = re.compile(r"<[!?][^<>]*>")
_ATTR = re.compile(r"""([^\s=/<>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _attrs(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        found.setdefault(m.group(1).lower(), unescape(m.group(2) or m.group(3) or m.group(4) or ""))
    return found


class _Text:
    """The text being built: a paragraph or line break is written only once more text follows."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pending = ""
        self.links: list[str] = []

    def data(self, raw: str) -> None:
        if not raw or (not raw.strip() and (self.pending or not self.out)):
            return
        self.emit(unescape(raw))

    def emit(self, text: str) -> None:
        if self.pending:
            self.out.append(self.pending)
            self.pending = ""
        self.out.append(text)

    def brk(self, sep: str) -> None:
        if self.out and len(sep) > len(self.pending):
            self.pending = sep

    def tag(self, name: str, closing: bool, attrs: str) -> None:
        if name == "br":
            self.emit("\n")
        elif name in BLOCKS:
            self.brk("\n\n")
        elif name == "li" and not closing:
            self.brk("\n")
        elif name == "a" and not closing:
            a = _attrs(attrs)
            href = a.get("href", "").strip()
            plain = not ({"mention", "hashtag"} & set(a.get("class", "").split()) or "tag" in a.get("rel", "").split())
            if href.startswith(LINK_SCHEMES) and plain:
                self.links.append(href)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """The text of an HTML fragment and its plain links; <p> becomes a blank line, <br> a newline."""
    if "<" not in html and "&" not in html:
        return html, []
    low = html.lower()
    text = _Text()
    i, n = 0, len(html)
    while i < n:
        j = html.find("<", i)
        if j < 0:
            text.data(html[i:])
            break
        text.data(html[i:j])
        if html.startswith("<!--", j):
            end = html.find("-->", j + 4)
            i = n if end < 0 else end + 3
            continue
        m = _TAG.match(html, j) or _DECLARATION.match(html, j)
        if m is None:
            text.data("<")
            i = j + 1
            continue
        i = m.end()
        if m.re is _DECLARATION:
            continue
        name, closing, attrs = m.group(2).lower(), m.group(1) == "/", m.group(3)
        if name in SKIPPED:
            if not closing and not attrs.rstrip().endswith("/"):
                end = low.find(f"</{name}", i)
                close = html.find(">", end) if end >= 0 else -1
                i = n if close < 0 else close + 1
            continue
        text.tag(name, closing, attrs)
    return "".join(text.out), list(dict.fromkeys(text.links))
