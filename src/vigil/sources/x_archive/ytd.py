"""Read the archive's `window.YTD.<name>.partN = [ ... ]` files item by item, salvaging damaged ones."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

import msgspec

from vigil.records import Problem
from vigil.sources.arrays import Window
from vigil.sources.arrays import iter_items as stream_items
from vigil.sources.base import DECODE_ERRORS, Damage, decode_prefix, salvage_array

if TYPE_CHECKING:
    from vigil.sources.x_archive.archive import Archive


def iter_items(data: bytes) -> Iterator[tuple[int, bytes] | Damage]:
    """Yield (item number, raw JSON) for each element of the array; a damaged file yields its good items first."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    eq = data.find(b"=")
    if not data.lstrip().startswith(b"window.YTD.") or eq < 0 or data.find(b"[", eq) < 0:
        yield Damage("line 1, column 1", "does not start with `window.YTD.<name>.partN = [`")
        return
    try:
        items = msgspec.json.decode(data[eq + 1 :], type=list[msgspec.Raw])
    except DECODE_ERRORS:
        yield from _salvage(data, data.index(b"[", eq))
        return
    for n, item in enumerate(items, 1):
        yield n, bytes(item)


def _salvage(data: bytes, start: int) -> Iterator[tuple[int, bytes] | Damage]:
    text, bad = decode_prefix(data)
    if bad:
        yield bad
    yield from salvage_array(text, len(data[:start].decode("utf-8", "replace")) + 1)


def member_items(archive: Archive, name: str) -> Iterator[tuple[str, bytes] | Problem]:
    """(where, raw JSON) for each element of an archive's file, streamed; a Problem for what cannot be read."""
    from vigil.sources.x_archive.archive import ZIP_ERRORS

    member = archive.where(name)
    fh = archive.open(name)
    if isinstance(fh, Problem):
        yield fh
        return
    src = str(archive.source)
    n = 0
    with fh:
        try:
            for item in _stream(fh):
                if isinstance(item, Damage):
                    yield Problem(source=src, where=f"{member}, {item.where}", message=item.message)
                else:
                    n = item[0]
                    yield f"{member}, item {n}", item[1]
        except ZIP_ERRORS as exc:  # a corrupt deflate stream: the items before it are kept
            yield Problem(source=src, where=f"{member}, after item {n}", message=f"cannot read zip member: {exc}")


def _stream(fh: IO[bytes]) -> Iterator[tuple[int, bytes] | Damage]:
    """The items of a `window.YTD.<name>.partN = [ ... ]` stream, read through a bounded window."""
    win = Window.opened(fh)
    eq = win.buf.find(b"=", win.pos, win.pos + 4096)
    start = win.buf.find(b"[", eq) if eq >= 0 else -1
    if not win.buf[win.pos :].lstrip().startswith(b"window.YTD.") or start < 0:
        yield Damage("line 1, column 1", "does not start with `window.YTD.<name>.partN = [`")
        return
    win.pos = start + 1
    yield from stream_items(win)
