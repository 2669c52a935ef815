"""A JSON array read item by item from a stream through a bounded window, damaged items skipped and named.

Memory stays at one item plus a read chunk whatever the file's size: an 800 MB array of posts is never held whole.
(`sources/walk.py` walks an object key by key through the same window, for the arrays nested in it.)
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Generator
from typing import IO, NamedTuple

import msgspec

from vigil.sources.shape import value_end

CHUNK = 4 << 20  # bytes read at a time
MAX_ITEM = 64 << 20  # an item longer than this is skipped (said so): the window never holds more
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_SPACE = b" \t\r\n"
_OUTSIDE = re.compile(rb'[^"\[\]{}]*+')  # up to a string or a bracket
_STRING_BODY = re.compile(rb'[^"\\]*+(?:\\.[^"\\]*+)*+', re.DOTALL)  # up to a string's closing quote
INDENT_KEPT = 4096  # bytes of an item's line kept before it when the window moves on


class Damage(NamedTuple):
    """Where a damaged JSON text stops being readable, and why."""

    where: str
    message: str


class Window:
    """The unread part of a stream: bytes from `pos` of `buf` on, refilled a chunk at a time; lines counted as read."""

    def __init__(self, fh: IO[bytes], buf: bytes = b"", line: int = 1) -> None:
        self.fh = fh
        self.buf = buf
        self.pos = 0
        self.eof = False
        self.line = line  # the line number at buf[counted]
        self.counted = 0
        self.offset = 0  # the stream offset of buf[0]
        self.line_start = True  # whether buf[0] begins a line

    @classmethod
    def opened(cls, fh: IO[bytes]) -> Window:
        """A window over a stream from its start: the first chunk read, a UTF-8 byte order mark passed."""
        win = cls(fh)
        win.more()
        if win.buf.startswith(codecs.BOM_UTF8):
            win.pos = 3
        return win

    def more(self) -> bool:
        """Read another chunk, dropping what is behind pos; False at the end of the stream."""
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        cut = self.pos  # keep the start of pos's line (its indent resynchronises after a damaged item)
        nl = self.buf.rfind(b"\n", max(0, cut - INDENT_KEPT), cut)
        if nl >= 0:
            cut = nl + 1
        elif self.line_start and cut <= INDENT_KEPT:
            cut = 0  # (the line began with the window)
        self.line_at(cut)
        self.line_start = self.line_start if cut == 0 else self.buf[cut - 1] == 0x0A
        self.buf = self.buf[cut:] + chunk
        self.offset += cut
        self.counted -= cut
        self.pos -= cut
        return True

    def column(self, at: int) -> int | None:
        """The column of buf[at], None when its line began before the window."""
        nl = self.buf.rfind(b"\n", 0, at)
        return None if nl < 0 and not self.line_start else at - nl

    def line_at(self, at: int) -> int:
        """The line number of buf[at] (at >= the last position asked)."""
        self.line += self.buf.count(b"\n", self.counted, at)
        self.counted = at
        return self.line

    def where(self, n: int, at: int) -> str:
        """'item N, line L, column C' for an item that starts at buf[at] (no column when its line began earlier)."""
        line, col = self.line_at(at), self.column(at)
        return f"item {n}, line {line}" if col is None else f"item {n}, line {line}, column {col}"

    def skip_space(self, also: bytes = b"") -> bytes:
        """Move past whitespace (and the bytes of `also`); the next byte, or b'' at the end of the stream."""
        while True:
            buf, pos, size = self.buf, self.pos, len(self.buf)
            while pos < size and (buf[pos] in _SPACE or buf[pos] in also):
                pos += 1
            self.pos = pos
            if pos < size:
                return buf[pos : pos + 1]
            if not self.more():
                return b""


def open_array(win: Window, key: bytes | None = None) -> bool:
    """Move the window just past the '[' that opens the array (the value of `key` in the top object, when given)."""
    if key is None:
        if win.skip_space() != b"[":
            return False
        win.pos += 1
        return True
    pattern = re.compile(rb'"' + re.escape(key) + rb'"\s*:\s*\[')
    while True:
        m = pattern.search(win.buf, win.pos)
        if m is not None:
            win.pos = m.end()
            return True
        if len(win.buf) - win.pos > MAX_ITEM or not win.more():
            return False


def iter_items(win: Window) -> Generator[tuple[int, bytes] | Damage, None, bool]:
    """Yield (n, raw JSON) for each item of the array the window is inside, and a Damage per item that is not JSON.

    Returns whether the array closed (False when the damage ended the reading).
    """
    n = 0
    single_until = 0  # the stream offset up to which items are found one by one (a batch failed there)
    while True:
        c = win.skip_space(b",")
        if c == b"]":
            win.pos += 1
            return True
        if not c:
            msg = "truncated JSON: the array never closes; the items before it were read"
            yield Damage(f"item {n + 1}, line {win.line_at(len(win.buf))}", msg)
            return False
        if c == b"{" and win.offset + win.pos >= single_until:
            batch = _batch(win)
            if batch is not None:
                for raw in batch:
                    n += 1
                    yield n, raw
                continue
            single_until = win.offset + len(win.buf)
        n += 1
        end = item_end(win)
        if end > 0:
            yield n, win.buf[win.pos : end]
            win.pos = end
        elif end == TOO_BIG:
            if not (yield from _too_big(win, n)):
                return False
        elif not (yield from _damaged(win, n)):
            return False


TOO_BIG = -2  # what _item_end gives for an item over MAX_ITEM
_raws = msgspec.json.Decoder(list[msgspec.Raw])
_FIRST_KEY = re.compile(rb'\{\s*"[^"\\]{1,64}"\s*:')  # how an item of a compact array begins


def _batch(win: Window) -> list[bytes] | None:
    """The items of an array that the window holds whole, found by one decode; None if it cannot.

    The window is cut before the last item it holds that begins like the first (pretty-printed: on a line of its
    own, indented as the first; compact: with the first's key), and what comes before must read as whole items.
    A compact array's cut may fall on an object nested in an item (a retweeted status): up to three cuts are tried.
    A damaged item, or a layout otherwise, leave the window to the item-by-item reading.
    """
    buf, pos = win.buf, win.pos
    nl = buf.rfind(b"\n", max(0, pos - 256), pos)  # (a compact array's line is long: look back a little only)
    indent = buf[nl + 1 : pos] if nl >= 0 or (pos <= 256 and win.line_start) else b"?"
    if not indent.strip():
        mark, brace, tries = b"\n" + indent + b"{", len(indent) + 1, 1
    else:
        first = _FIRST_KEY.match(buf, pos)
        if first is None:
            return None
        mark, brace, tries = first.group(), 0, 3
    limit = len(buf)
    for _ in range(tries):
        at = buf.rfind(mark, pos + 1, limit)
        if at < 0:
            return None
        limit = end = at + brace
        while end > pos and buf[end - 1] in _SPACE:
            end -= 1
        if end <= pos or buf[end - 1] != 0x2C:  # ','
            continue
        end -= 1
        try:
            items = _raws.decode(b"[" + buf[pos:end] + b"]")
        except (msgspec.DecodeError, RecursionError):
            continue
        win.pos = end
        return [bytes(r) for r in items]
    return None


def item_end(win: Window) -> int:
    """The end of the well-formed item at the window's position (refilling as needed), -1 when it is not one.

    TOO_BIG when it is still open after MAX_ITEM bytes.
    """
    while True:
        try:
            msgspec.json.decode(memoryview(win.buf)[win.pos :], type=msgspec.Raw)
        except msgspec.DecodeError as exc:
            m = _TRAILING.search(str(exc))
            if m is not None:  # the item, then the ',' or ']' after it (msgspec counts the byte it stopped at)
                end = win.pos + int(m.group(1)) - 1
                while win.buf[end - 1] in _SPACE:
                    end -= 1
                return end
            if "truncated" not in str(exc) or value_end(win.buf, win.pos) >= 0:
                return -1  # malformed, or whole by its brackets yet refused (a lone surrogate escape)
            if len(win.buf) - win.pos > MAX_ITEM:
                return TOO_BIG
            if not win.more():
                return -1
        except RecursionError:
            return -1
        else:
            if not win.more():  # (a number the window cut would read as a shorter one: read on first)
                return len(win.buf)  # the item runs to the end of the stream (no ']' after it)


def _too_big(win: Window, n: int) -> Generator[Damage, None, bool]:
    """Skip an item over MAX_ITEM by its brackets, never holding it; whether the items after it can be read.

    In a pretty-printed array an item whose brackets do not close before the next line indented as its first
    is damage, and the reading resumes there.
    """
    where = win.where(n, win.pos)
    start = win.offset + win.pos
    nxt = _indent_resume(win)
    if nxt >= 0 and not skip_brackets(win, nxt):
        win.pos = nxt
        yield Damage(where, "bad JSON (its brackets do not close); this item skipped, the next ones read")
        return True
    if nxt >= 0 or skip_brackets(win):
        size = (win.offset + win.pos - start) >> 20
        yield Damage(where, f"item of {size} MiB, over {MAX_ITEM >> 20} MiB: skipped; the next ones read")
        return True
    yield Damage(where, f"item over {MAX_ITEM >> 20} MiB that never closes; the items before it were read")
    return False


def skip_brackets(win: Window, stop: int = -1) -> bool:
    """Move past the array or object at the window's position by its brackets alone, never holding it.

    Strings are respected (one longer than the window too), content is not judged. False when it does not close
    (before buf[stop], when given).
    """
    pos = win.pos
    if win.buf[pos : pos + 1] not in (b"[", b"{"):
        return False
    depth = 0
    in_string = False
    while True:
        buf = win.buf
        limit = len(buf) if stop < 0 else stop
        while pos < limit:
            if in_string:
                pos = _STRING_BODY.match(buf, pos, limit).end()  # type: ignore[union-attr]
                if pos < limit and buf[pos] == 0x22:
                    pos += 1
                    in_string = False
                    continue
                break  # the window ends inside the string (perhaps just after a backslash)
            pos = _OUTSIDE.match(buf, pos, limit).end()  # type: ignore[union-attr]
            if pos >= limit:
                break
            c = buf[pos]
            pos += 1
            if c == 0x22:
                in_string = True
            elif c in b"[{":
                depth += 1
            else:
                depth -= 1
                if depth <= 0:
                    win.pos = pos
                    return depth == 0
        if stop >= 0:
            return False
        win.pos = pos  # read on from there: the window never holds more than a chunk and a line
        if not win.more():
            return False
        pos = win.pos


def bracket_end(win: Window) -> int:
    """The end of the value at the window's position by its brackets alone (refilling as needed), or -1."""
    while True:
        end = value_end(win.buf, win.pos)
        if end >= 0 or len(win.buf) - win.pos > MAX_ITEM or not win.more():
            return end


def _damaged(win: Window, n: int) -> Generator[tuple[int, bytes] | Damage, None, bool]:
    """An item msgspec refused: read by Python's decoder (NaN, lone surrogates, bad UTF-8 mended) or skipped.

    Returns whether the items after it can be read.
    """
    nxt = _indent_resume(win)  # where the next item begins in a pretty-printed array (-1 in a compact one)
    end = value_end(win.buf, win.pos, nxt) if nxt >= 0 else bracket_end(win)
    if end >= 0:
        after = end
        while after < len(win.buf) and win.buf[after] in _SPACE:
            after += 1
        next_at = end if after < len(win.buf) and win.buf[after] in b",]" else nxt
    elif nxt >= 0:
        next_at = end = nxt  # the brackets do not close before the next item: the damage broke them
    elif len(win.buf) - win.pos > MAX_ITEM:
        yield Damage(win.where(n, win.pos), f"item over {MAX_ITEM >> 20} MiB; the items before it were read")
        return False
    else:
        yield _last(win, n)
        return False
    where = win.where(n, win.pos)
    start = win.pos
    raw = win.buf[start:end]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", "replace")
        line = win.line_at(start) + raw.count(b"\n", 0, exc.start)
        msg = "invalid UTF-8: read as U+FFFD (the item holding it keeps the mended text); the other items read"
        yield Damage(f"line {line} (byte {win.offset + start + exc.start})", msg)
        raw = text.encode("utf-8")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        where = _json_where(win, n, start, exc)
        if next_at < 0:
            yield Damage(where, f"bad JSON ({exc.msg}); the items before it were read")
            return False
        yield Damage(where, f"bad JSON ({exc.msg}); this item skipped, the next ones read")
        win.pos = next_at
        return True
    except RecursionError:
        yield Damage(where.split(", column")[0], "JSON nested too deep; skipped")
        win.pos = end
        return True
    yield n, raw
    win.pos = end
    return True


def _json_where(win: Window, n: int, start: int, exc: json.JSONDecodeError) -> str:
    """'item N, line L, column C' of where Python's decoder stopped in the item at buf[start]."""
    where = f"item {n}, line {win.line_at(start) + exc.lineno - 1}"
    if exc.lineno > 1:
        return f"{where}, column {exc.colno}"
    col = win.column(start)
    return where if col is None else f"{where}, column {col - 1 + exc.colno}"


def _last(win: Window, n: int) -> Damage:
    """The damage of an item that runs to the end of the stream: cut there, or broken before it."""
    start = win.pos
    text = win.buf[start:].decode("utf-8", "replace")
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) - 1
        why = "truncated JSON: the file ends inside this item" if cut else f"bad JSON ({exc.msg})"
        return Damage(_json_where(win, n, start, exc), f"{why}; the items before it were read")
    except RecursionError:
        pass
    return Damage(win.where(n, start), "truncated JSON: the file ends inside this item; the items before it were read")


def _indent_resume(win: Window) -> int:
    """Where the item after a damaged one at the window's position begins: the next line indented as its first line.

    Or the array's closing ']' when a line indented less comes first (the next array of the file is not this one).

    -1 when there is none (a compact array gives no line to resynchronise on). The window may have moved its bytes:
    its position is still the damaged item's start.
    """
    line_start = win.buf.rfind(b"\n", 0, win.pos) + 1
    indent = win.buf[line_start : win.pos]
    if indent.strip() or (line_start == 0 and not win.line_start):
        return -1
    mark = b"\n" + indent + b"{"
    dedent = re.compile(rb"\n(?!" + re.escape(indent) + rb")[ \t]*+([^ \t\r\n])") if indent else None
    while True:
        at = win.buf.find(mark, win.pos + 1)
        out = dedent.search(win.buf, win.pos + 1, at if at >= 0 else len(win.buf)) if dedent else None
        if out is not None:  # a line indented less: the array ends first (resume at its ']', not in the next one)
            return out.start(1) if win.buf[out.start(1)] == 0x5D else -1
        if at >= 0:
            return at + 1 + len(indent)
        if len(win.buf) - win.pos > MAX_ITEM or not win.more():
            return -1
