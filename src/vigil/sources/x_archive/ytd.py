"""Read the archive's `window.YTD.<name>.partN = [ ... ]` files item by item, salvaging damaged ones."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import NamedTuple

import msgspec


class YtdError(NamedTuple):
    """Where in the file (line and column) and what went wrong."""

    where: str
    message: str


def iter_items(data: bytes) -> Iterator[tuple[int, bytes] | YtdError]:
    """Yield (item number, raw JSON) for each element of the array; a damaged file yields its good items first."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    eq = data.find(b"=")
    if not data.lstrip().startswith(b"window.YTD.") or eq < 0 or data.find(b"[", eq) < 0:
        yield YtdError("line 1, column 1", "does not start with `window.YTD.<name>.partN = [`")
        return
    try:
        items = msgspec.json.decode(data[eq + 1 :], type=list[msgspec.Raw])
    except msgspec.DecodeError:
        yield from _salvage(data, data.index(b"[", eq))
        return
    for n, item in enumerate(items, 1):
        yield n, bytes(item)


def _salvage(data: bytes, start: int) -> Iterator[tuple[int, bytes] | YtdError]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield YtdError(f"line {line} (byte {exc.start})", "invalid UTF-8; the items before it were read")
        text = data[: exc.start].decode("utf-8")
    decoder = json.JSONDecoder()
    i = len(data[:start].decode("utf-8", "replace")) + 1
    n = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text):
            line = text.count("\n") + 1
            msg = "truncated JSON: the array never closes; the items before it were read"
            yield YtdError(f"item {n + 1}, line {line}", msg)
            return
        if text[i] == "]":
            return
        try:
            _, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            where = f"item {n + 1}, line {exc.lineno}, column {exc.colno}"
            yield YtdError(where, f"bad JSON ({exc.msg}); the items before it were read")
            return
        n += 1
        yield n, text[i:end].encode("utf-8")
        i = end
