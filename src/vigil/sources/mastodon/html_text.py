"""Mastodon's status HTML as plain text: paragraphs, line breaks and decoded entities, nothing else changed."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})
BLOCKS = frozenset({"p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"})
LINK_SCHEMES = ("http://", "https://")


class _TextParser(HTMLParser):
    """Collects text and the plain links (not mentions, not hashtags) of one HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str] = []
        self.skip = 0
        self.pending = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "br":
            self._emit("\n")
        elif tag in BLOCKS:
            self._break("\n\n")
        elif tag == "li":
            self._break("\n")
        elif tag == "a":
            self._link(dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED:  # a self-closed <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag in BLOCKS:
            self._break("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip or (not data.strip() and (self.pending or not self.out)):
            return
        self._emit(data)

    def _break(self, sep: str) -> None:
        if self.out and len(sep) > len(self.pending):
            self.pending = sep

    def _emit(self, text: str) -> None:
        if self.pending:
            self.out.append(self.pending)
            self.pending = ""
        self.out.append(text)

    def _link(self, attrs: dict[str, str | None]) -> None:
        href = (attrs.get("href") or "").strip()
        classes = (attrs.get("class") or "").split()
        rel = (attrs.get("rel") or "").split()
        if href.startswith(LINK_SCHEMES) and "mention" not in classes and "hashtag" not in classes and "tag" not in rel:
            self.links.append(href)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """The text of an HTML fragment and its plain links; <p> becomes a blank line, <br> a newline."""
    if "<" not in html and "&" not in html:
        return html, []
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "".join(parser.out), list(dict.fromkeys(parser.links))
