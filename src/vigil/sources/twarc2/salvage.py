"""A damaged twarc2 line taken apart by its brackets, so that one bad tweet or user does not lose the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from vigil.records import Problem
from vigil.sources.base import DECODE_ERRORS
from vigil.sources.shape import mend_json, split_elements, split_members
from vigil.sources.twarc2.types import Includes, MediaItem, Page, User

_user = msgspec.json.Decoder(User)
_media = msgspec.json.Decoder(MediaItem)


def explain(exc: Exception, raw: bytes) -> str:
    """Msgspec's message, with what it means when the cause is a lone surrogate or NaN (which it words oddly)."""
    fixed, notes = mend_json(raw)
    if notes:
        return f"{exc} ({'; '.join(notes).replace(' read as', ' would read as')})"
    return str(exc)


def decode_mended(decoder: msgspec.json.Decoder[Any], raw: bytes) -> tuple[Any, list[str]]:
    """Decode raw; failing that, decode it with lone surrogates and NaN mended (the notes say what), or raise."""
    try:
        return decoder.decode(raw), []
    except DECODE_ERRORS:
        fixed, notes = mend_json(raw)
        if not notes:
            raise
        return decoder.decode(fixed), notes


def salvaged(
    path: Path, where: str, raw: bytes, exc: Exception | None = None, stream: bool = False
) -> tuple[Page, list[Problem]] | Problem:
    """The page of a line msgspec could not read whole: each tweet, user and media item on its own, or a Problem."""
    members = None if isinstance(exc, RecursionError) else split_members(raw)
    found = dict(members or [])
    if "data" not in found and "id" not in found:
        return Problem(source=str(path), where=where, message=f"bad JSON: {explain(exc, raw) if exc else '?'}")
    problems: list[Problem] = []
    src = str(path)
    page = Page()
    data = found.get("data")
    if data is not None:
        if data.startswith(b"{"):
            page.data = [msgspec.Raw(data)]
        elif data == b"null":
            page.data = None
        else:
            items = split_elements(data)
            if items is None:
                return Problem(source=src, where=f"{where}, data", message="bad tweet JSON: `data` is not an array")
            page.data = [msgspec.Raw(x) for x in items]
    elif "id" in found:
        page.id = ""  # a flattened tweet: read again, mended, by the importer
        return page, problems
    includes = split_members(found.get("includes", b"{}")) or []
    inc = Includes()
    for key, value in includes:
        items = split_elements(value) or []
        if key == "tweets":
            inc.tweets = [msgspec.Raw(x) for x in items]
        elif key in ("users", "media"):
            decoder = _user if key == "users" else _media
            good: list[Any] = []
            for i, item in enumerate(items):
                try:
                    obj, notes = decode_mended(decoder, item)
                except DECODE_ERRORS as err:
                    msg = f"bad {key[:-1]} object: {explain(err, item)}; read the page without it"
                    problems.append(Problem(source=src, where=f"{where}, includes.{key}[{i}]", message=msg))
                    continue
                if notes:
                    problems.append(
                        Problem(source=src, where=f"{where}, includes.{key}[{i}]", message="; ".join(notes))
                    )
                good.append(obj)
            if key == "users":
                inc.users = good
            else:
                inc.media = good
    page.includes = inc
    page.errors = [msgspec.Raw(x) for x in split_elements(found.get("errors", b"[]")) or []]
    return page, problems


def mended_tweet(
    decoder: msgspec.json.Decoder[Any], path: Path, where: str, raw: bytes, exc: Exception
) -> tuple[Any, Problem]:
    """A tweet msgspec could not read, read with lone surrogates and NaN mended, and the Problem saying so.

    The tweet is None (and the Problem says why) when mending does not help.
    """
    fixed, notes = mend_json(raw)
    if notes:
        try:
            return decoder.decode(fixed), Problem(source=str(path), where=where, message="; ".join(notes))
        except DECODE_ERRORS as err:
            exc = err
    return None, Problem(source=str(path), where=where, message=f"bad tweet: {explain(exc, raw)}")
