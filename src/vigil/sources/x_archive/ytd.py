"""Read the archive's `window.YTD.<name>.partN = [ ... ]` files item by item, salvaging damaged ones."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import TYPE_CHECKING

import msgspec

from vigil.records import Problem
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
    """(where, raw JSON) for each element of an archive's file, and a Problem for what cannot be read of it."""
    member = archive.where(name)
    data = archive.read(name)
    if isinstance(data, Problem):
        yield data
        return
    for item in iter_items(data):
        if isinstance(item, Damage):
            yield Problem(source=str(archive.source), where=f"{member}, {item.where}", message=item.message)
        else:
            yield f"{member}, item {item[0]}", item[1]
