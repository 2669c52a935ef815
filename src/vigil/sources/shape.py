"""What a JSON file's bounded prefix is shaped like: keys and nesting, read even where the text is damaged or cut."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import msgspec

_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"')  # possessive: an unclosed 50 MB string fails in one pass
_SCALAR = re.compile(rb'[^\s{}\[\],:"]+')
_SPACE = re.compile(rb"\s*")
MAX_VALUES = 8  # values (lines or array items) of the prefix whose keys are read
MAX_TOKENS = 50_000  # tokens read from a prefix at most (64 KiB holds far fewer)
SCAN_BYTES = 8192  # bytes of a cut or damaged value read token by token (Python): its first keys are there
_members = msgspec.json.Decoder(dict[str, msgspec.Raw])
_items = msgspec.json.Decoder(list[msgspec.Raw])


class Value(NamedTuple):
    """One top-level JSON value of the prefix: its keys, and for each key the keys of the object under it.

    For a key whose value is an array of objects, `children` holds the keys of its first object, and `lists`
    names the key. Values cut off by the end of the prefix keep what was read before the cut.
    """

    keys: frozenset[str]
    children: dict[str, frozenset[str]]
    lists: frozenset[str]


class Shape(NamedTuple):
    """The layout of a prefix (`lines`, `array`, `object` or `other`) and the values read from it."""

    layout: str
    values: tuple[Value, ...]

    def any_keys(self, *names: str) -> bool:
        """Whether some value carries every one of names at its top level."""
        return any(all(n in v.keys for n in names) for v in self.values)

    def first(self) -> Value | None:
        """The first value read, if any."""
        return self.values[0] if self.values else None


@lru_cache(maxsize=8)
def shape_of(head: bytes) -> Shape:
    """Read the keys of the first values of a JSON prefix (JSON Lines, an array of objects, or one object)."""
    start = _SPACE.match(head).end()  # type: ignore[union-attr]
    if start >= len(head):
        return Shape("other", ())
    opener = head[start : start + 1]
    if opener == b"[":
        layout, pos, outer = "array", start + 1, 1
    elif opener == b"{":
        layout, pos, outer = _object_or_lines(head, start), start, 0
    else:
        return Shape("other", ())
    if layout == "lines":
        return Shape(layout, tuple(_line_values(head[start:])))
    return Shape(layout, tuple(_values(head[: start + SCAN_BYTES], pos, outer)))


def _object_or_lines(head: bytes, start: int) -> str:
    """'object' for one document over many lines (pretty-printed), else 'lines' (a line cut or damaged included).

    A pretty-printed document opens with a line that leaves a value open (`{`, `"data": [`, `"a": 1,`) and goes on
    with an indented line, or a closing one; a JSON Lines file goes on with the next value at the margin.
    """
    nl = head.find(b"\n", start)
    if nl < 0:
        return "lines"  # one line, longer than the prefix, or the whole file
    first = head[start:nl].strip()
    if first == b"{":
        return "object"
    if not first.endswith((b"{", b"[", b",")):
        return "lines"
    for line in head[nl + 1 :].split(b"\n"):
        if line.strip():
            return "object" if line[:1] in (b" ", b"\t", b'"', b"}", b"]") else "lines"
    return "lines"


def _line_values(head: bytes) -> list[Value]:
    """The first values of JSON Lines: whole lines by the decoder, a cut or damaged one by the scanner."""
    out: list[Value] = []
    for line in head.split(b"\n"):
        if len(out) >= MAX_VALUES:
            break
        if not line.strip():
            continue
        value = _decoded(line)
        if value is None:
            found = _values(line[:SCAN_BYTES], 0, 0)
            if not found:
                continue
            value = found[0]
        out.append(value)
    return out


def _decoded(line: bytes) -> Value | None:
    """A whole line's keys and its children's keys, read by msgspec (None when the line does not parse)."""
    try:
        members = _members.decode(line)
    except (msgspec.DecodeError, RecursionError):
        return None
    children: dict[str, frozenset[str]] = {}
    lists: set[str] = set()
    for key, raw in members.items():
        data = bytes(raw)
        try:
            if data[:1] == b"{":
                children[key] = frozenset(_members.decode(data))
            elif data[:1] == b"[":
                items = _items.decode(data)
                if items and bytes(items[0])[:1] == b"{":
                    children[key] = frozenset(_members.decode(items[0]))
                    lists.add(key)
        except (msgspec.DecodeError, RecursionError):
            continue
    return Value(frozenset(members), children, frozenset(lists))


def _values(head: bytes, pos: int, outer: int) -> list[Value]:
    """The values that begin from pos (inside an array when outer is 1), each as its keys and its children's keys."""
    out: list[Value] = []
    stack: list[bytes] = []  # b'{' or b'[' per open level of the current value
    keys: set[str] = set()
    children: dict[str, set[str]] = {}
    lists: set[str] = set()
    top_key = ""  # the key last read at the value's top level
    expect_key = False
    tokens = 0
    size = len(head)
    while pos < size and tokens < MAX_TOKENS and len(out) < MAX_VALUES:
        tokens += 1
        c = head[pos : pos + 1]
        if c in b" \t\r\n":
            pos = _SPACE.match(head, pos).end()  # type: ignore[union-attr]
            continue
        if c == b'"':
            m = _STRING.match(head, pos)
            if m is None:
                break  # a string cut by the end of the prefix
            pos = m.end()
            if expect_key:
                after = _SPACE.match(head, pos).end()  # type: ignore[union-attr]
                if head[after : after + 1] == b":":
                    name = m.group()[1:-1].decode("utf-8", "replace")
                    depth = len(stack)
                    if depth == 1:
                        keys.add(name)
                        top_key = name
                    elif depth == 2 and stack[1] == b"{":
                        children.setdefault(top_key, set()).add(name)
                    elif depth == 3 and stack[1] == b"[" and stack[2] == b"{":
                        lists.add(top_key)
                        children.setdefault(top_key, set()).add(name)
                expect_key = False
            continue
        pos += 1
        if c in b"{[":
            stack.append(c)
            expect_key = c == b"{"
        elif c in b"}]":
            if not stack:
                break  # the end of the outer array
            stack.pop()
            if not stack:
                out.append(_value(keys, children, lists))
                keys, children, lists = set(), {}, set()
        elif c == b",":
            expect_key = bool(stack) and stack[-1] == b"{"
        elif c == b":":
            expect_key = False
        else:
            m = _SCALAR.match(head, pos - 1)
            pos = m.end() if m else pos
    if keys or children:
        out.append(_value(keys, children, lists))  # cut by the end of the prefix: what was read of it
    return out


def _value(keys: set[str], children: dict[str, set[str]], lists: set[str]) -> Value:
    return Value(frozenset(keys), {k: frozenset(v) for k, v in children.items()}, frozenset(lists))


def value_end(data: bytes, pos: int, stop: int | None = None) -> int:
    """The end of the JSON value at data[pos] (strings and brackets respected, content not judged), or -1.

    With stop, the value must end before data[stop].
    """
    depth = 0
    size = len(data) if stop is None else stop
    while pos < size:
        c = data[pos]
        if c == 0x22:  # '"'
            m = _STRING.match(data, pos, size)
            if m is None:
                return -1
            pos = m.end()
            if depth == 0:
                return pos
            continue
        if c in b"{[":
            depth += 1
        elif c in b"}]":
            depth -= 1
            if depth == 0:
                return pos + 1
            if depth < 0:
                return pos  # the end of the enclosing container: a scalar ran up to it
        elif depth == 0 and c in b",:":
            return pos
        pos += 1
    return -1 if depth else size


def split_members(data: bytes) -> list[tuple[str, bytes]] | None:
    """The (key, raw value) members of a JSON object, read by brackets alone (None when even those are broken)."""
    pos = _SPACE.match(data).end()  # type: ignore[union-attr]
    if data[pos : pos + 1] != b"{":
        return None
    pos += 1
    out: list[tuple[str, bytes]] = []
    while True:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        m = _STRING.match(data, pos)
        if m is None:
            return out if data[pos : pos + 1] == b"}" else None
        key = m.group()[1:-1].decode("utf-8", "replace")
        pos = _SPACE.match(data, m.end()).end()  # type: ignore[union-attr]
        if data[pos : pos + 1] != b":":
            return None
        pos = _SPACE.match(data, pos + 1).end()  # type: ignore[union-attr]
        end = value_end(data, pos)
        if end < 0:
            return None
        out.append((key, data[pos:end].rstrip()))
        pos = _SPACE.match(data, end).end()  # type: ignore[union-attr]
        if data[pos : pos + 1] == b",":
            pos += 1
        elif data[pos : pos + 1] == b"}":
            return out
        else:
            return None


def split_elements(data: bytes) -> list[bytes] | None:
    """The raw elements of a JSON array, read by brackets alone (None when even those are broken)."""
    pos = _SPACE.match(data).end()  # type: ignore[union-attr]
    if data[pos : pos + 1] != b"[":
        return None
    pos += 1
    out: list[bytes] = []
    while True:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        if data[pos : pos + 1] == b"]":
            return out
        end = value_end(data, pos)
        if end < 0 or end == pos:
            return None
        out.append(data[pos:end].rstrip())
        pos = _SPACE.match(data, end).end()  # type: ignore[union-attr]
        if data[pos : pos + 1] == b",":
            pos += 1
        elif data[pos : pos + 1] != b"]":
            return None


_LONE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"  # a high half not followed by a low one
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"  # a low half not after a high one
)
_NOT_NUMBER = re.compile(rb"(?<=[:\[,])(\s*)(?:NaN|-?Infinity)(?=\s*[,}\]])")


def mend_json(data: bytes) -> tuple[bytes, list[str]]:
    """Data with lone surrogate escapes as U+FFFD and NaN/Infinity as null, and what was mended (a fallback only)."""
    notes: list[str] = []
    if b"NaN" not in data and b"Infinity" not in data and b"\\ud" not in data and b"\\uD" not in data:
        return data, notes  # (a quick look first: the expressions below are slow over a long line)
    fixed, n = _LONE.subn(rb"\\ufffd", data)
    if n:
        notes.append(f"{n} lone surrogate escape{'s' if n > 1 else ''} (half of an emoji?) read as U+FFFD")
    fixed, n = _NOT_NUMBER.subn(rb"\1null", fixed)
    if n:
        notes.append(f"{n} NaN/Infinity value{'s' if n > 1 else ''} (not JSON) read as no value")
    return fixed, notes


def salvage_lists(data: bytes, keys: tuple[str, ...]) -> dict[str, list[bytes]] | None:
    """The raw items of each of keys' arrays in a JSON object read by its brackets (None when none is readable)."""
    members = split_members(data)
    if members is None:
        return None
    out: dict[str, list[bytes]] = {}
    for key, value in members:
        if key in keys:
            items = split_elements(value)
            if items is not None:
                out[key] = items
    return out or None
