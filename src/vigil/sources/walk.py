"""A JSON object walked key by key through a bounded window, the values not read skipped without being held.

So an array nested in a large document (`chats.list[].messages`, `entries`, `statuses`) is read item by item
(`arrays.iter_items`) as a top-level array is, whatever the document's size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import msgspec

from vigil.sources.arrays import MAX_ITEM, TOO_BIG, Window, bracket_end, item_end, skip_brackets

_KEY = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)


class Broken(Exception):
    """The JSON being walked cannot be followed any further: where it breaks and why."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def here(win: Window) -> str:
    """'line L, column C' of the window's position (no column when its line began before the window)."""
    line, col = win.line_at(win.pos), win.column(win.pos)
    return f"line {line}" if col is None else f"line {line}, column {col}"


def _opened(win: Window, opener: bytes, what: str) -> None:
    c = win.skip_space()
    if c != opener:
        found = f"`{c.decode('latin-1')}`" if c else "the end of the file"
        raise Broken(here(win), f"expected {what}, found {found}")
    win.pos += 1


def _next(win: Window, closer: bytes, what: str) -> bool:
    """Move to the next member or item (past a comma); False at the closing bracket (moved past it)."""
    c = win.skip_space(b",")
    if c == closer:
        win.pos += 1
        return False
    if not c:
        raise Broken(here(win), f"truncated JSON: the file ends inside this {what}")
    return True


def members(win: Window) -> Iterator[str]:
    """Each key of the object at the window, the window then at its value; a value the caller leaves is skipped.

    Raises Broken where the object cannot be followed (a key that is not a string, a value whose brackets never
    close, the end of the file).
    """
    _opened(win, b"{", "an object")
    while _next(win, b"}", "object"):
        if win.buf[win.pos] != 0x22:
            raise Broken(here(win), "expected a key (a string)")
        key = _key(win)
        if win.skip_space() != b":":
            raise Broken(here(win), f"expected `:` after the key {key!r}")
        win.pos += 1
        win.skip_space()
        at = win.offset + win.pos
        yield key
        if win.offset + win.pos == at:
            skip_value(win)


def elements(win: Window) -> Iterator[int]:
    """Each item of the array at the window (from 1), the window then at it; an item the caller leaves is skipped."""
    _opened(win, b"[", "an array")
    n = 0
    while _next(win, b"]", "array"):
        n += 1
        at = win.offset + win.pos
        yield n
        if win.offset + win.pos == at:
            skip_value(win)


def _key(win: Window) -> str:
    """The key string at the window's position, decoded; the window moves past it."""
    while True:
        m = _KEY.match(win.buf, win.pos)
        if m is not None:
            try:
                key = msgspec.json.decode(m.group(), type=str)
            except msgspec.DecodeError as exc:
                raise Broken(here(win), f"bad key ({exc})") from None
            win.pos = m.end()
            return key
        if len(win.buf) - win.pos > MAX_ITEM or not win.more():
            raise Broken(here(win), "truncated JSON: the file ends inside a key")


def skip_value(win: Window) -> None:
    """Move past the value at the window's position without holding it (an array or object by its brackets)."""
    c = win.skip_space()
    if c in (b"[", b"{"):
        where = here(win)
        if not skip_brackets(win):
            raise Broken(where, "truncated JSON: this value never closes")
        return
    take_value(win)


def take_value(win: Window) -> bytes:
    """The raw JSON of the (small) value at the window's position; the window moves past it.

    A damaged value is given as far as its brackets go (its reader says what is wrong with it).
    """
    win.skip_space()
    end = item_end(win)
    if end < 0:
        end = bracket_end(win) if end != TOO_BIG else -1
        if end < 0:
            raise Broken(here(win), f"a value that never closes or is over {MAX_ITEM >> 20} MiB")
    raw = win.buf[win.pos : end]
    win.pos = end
    return raw
