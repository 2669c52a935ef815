"""A record with one wrong-typed part (a facet, a reaction, a media item) read without that part, not dropped."""

from __future__ import annotations

import re
from typing import Any

import msgspec

_AT = re.compile(r" - at `\$(.*)`$")
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[([^\]]*)\]")
MAX_PARTS = 8  # parts left out of one record at most; past that the record is too damaged to be read


def _path(exc: Exception) -> list[str | int] | None:
    """The steps of the `- at `$.a.b[0]`` path msgspec names in a validation error."""
    m = _AT.search(str(exc))
    if m is None:
        return None
    steps: list[str | int] = []
    for name, index, key in _STEP.findall(m.group(1)):
        steps.append(name if name else int(index) if index else key.strip("'\""))
    return steps


def _drop(obj: Any, steps: list[str | int]) -> str | None:
    """Remove the list item at the deepest index of steps (a facet, a reaction); its path, or None if there is none.

    A wrong-typed field outside any list (a text that is a number) is not a part: the record stays unreadable.
    """
    cut = max((i for i, s in enumerate(steps) if isinstance(s, int)), default=-1)
    if cut < 0:
        return None
    parent = obj
    for s in steps[:cut]:
        try:
            parent = parent[s]
        except (KeyError, IndexError, TypeError):
            return None
    last = steps[cut]
    try:
        del parent[last]
    except (KeyError, IndexError, TypeError):
        return None
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps[: cut + 1])


def without_bad_parts(decoder: msgspec.json.Decoder[Any], raw: bytes, exc: Exception) -> tuple[Any, list[str]] | None:
    """Decode raw after removing each wrong-typed part msgspec names (a list item); None if hopeless.

    Only for a ValidationError (the JSON itself is sound). The parts left out are returned as readable paths with
    the reason; the caller keeps the original bytes as the payload.
    """
    if not isinstance(exc, msgspec.ValidationError):
        return None
    try:
        obj = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return None
    dropped: list[str] = []
    for _ in range(MAX_PARTS):
        steps = _path(exc)
        if not steps:
            return None  # the record itself is of the wrong shape, or misses a required field
        where = _drop(obj, steps)
        if where is None:
            return None
        dropped.append(f"{where} ({str(exc).split(' - at ')[0]})")
        try:
            return decoder.decode(msgspec.json.encode(obj)), dropped
        except msgspec.ValidationError as err:
            exc = err
        except (msgspec.DecodeError, RecursionError):
            return None
    return None


def decode_parts(decoder: msgspec.json.Decoder[Any], raw: bytes) -> tuple[Any, list[str]]:
    """Decode raw; when one part is wrong-typed, without that part (the list says which); else raise as decode does."""
    try:
        return decoder.decode(raw), []
    except msgspec.ValidationError as exc:
        fixed = without_bad_parts(decoder, raw, exc)
        if fixed is None:
            raise
        return fixed


def parts_message(dropped: list[str]) -> str:
    """The one error line of a record read without its wrong-typed parts."""
    return f"read without its wrong-typed part{'s' if len(dropped) > 1 else ''}: {'; '.join(dropped)}"


def decode_lenient(decoder: msgspec.json.Decoder[Any], raw: bytes) -> tuple[Any, list[str]]:
    """decode_parts, and failing on NaN or a lone surrogate, again with those mended; the notes say what was done."""
    try:
        obj, dropped = decode_parts(decoder, raw)
        return obj, ([parts_message(dropped)] if dropped else [])
    except msgspec.ValidationError:
        raise
    except msgspec.DecodeError:
        from vigil.sources.shape import mend_json

        fixed, notes = mend_json(raw)
        if not notes:
            raise
        obj, dropped = decode_parts(decoder, fixed)
        return obj, notes + ([parts_message(dropped)] if dropped else [])
