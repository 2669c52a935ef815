"""The shape every importer has, and the reading helpers they share."""

from __future__ import annotations

import codecs
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable

import msgspec

from vigil.records import Problem, Record, TimeQuality
from vigil.sources.arrays import Damage, Window, iter_items, open_array
from vigil.sources.guard import Mended, mended
from vigil.sources.walk import Broken, members

MAX_LINE = 64 * 1024 * 1024
STREAM_BYTES = 64 << 20  # a one-document file larger than this has its lists of posts read item by item
_ITEM = re.compile(r"^item (\d+)")
READ_BUFFER = 1 << 20  # bytes buffered per file read line by line
# What decoding one JSON value can raise: msgspec gives up on nesting deeper than Python's recursion limit (~1,000
# levels) with RecursionError, which a hostile line must not turn into a lost rest of the file.
DECODE_ERRORS: tuple[type[Exception], ...] = (msgspec.DecodeError, RecursionError)
HEAD_BYTES = 64 * 1024
MEDIA_SUFFIXES = frozenset(
    [
        ".vtt",
        ".srt",
        ".ass",
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".heic",
        ".mp4",
        ".mov",
        ".webm",
        ".mkv",
        ".m4v",
        ".mp3",
        ".ogg",
        ".oga",
        ".opus",
        ".m4a",
        ".wav",
        ".pdf",
        ".part",
        ".ytdl",
        ".description",
        ".tgs",
        ".webm",
        ".svg",
        ".ico",
        ".css",
    ]
)


@dataclass
class ImportOptions:
    """What the user asked of an ingest run."""

    strict: bool = False
    column_map: dict[str, str] = field(default_factory=dict)
    forced_format: str | None = None
    shard: tuple[int, int] | None = None  # (k, n): read only every n-th line from the k-th (parallel readers)
    tz: str | None = None  # the zone of times a source writes without one (WhatsApp): '+02:00' or 'Europe/Kyiv'
    date_order: str | None = None  # 'dmy' or 'mdy' for sources whose dates may be either (WhatsApp)


@runtime_checkable
class Importer(Protocol):
    """One export format: detect() says how sure it is, iter_records() yields what it reads."""

    name: str
    description: str
    example: str

    def detect(self, path: Path, head: bytes) -> int:
        """Confidence 0-100 that path (a file, or a folder with head=b'') is this format."""
        ...

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield posts, events, skips and problems; never raise for bad content."""
        ...


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file, without a UTF-8 BOM."""
    with path.open("rb") as fh:
        head = fh.read(size)
    return head[3:] if head.startswith(codecs.BOM_UTF8) else head


def first_json_char(head: bytes) -> str:
    """The first non-space character of a JSON text, or ''."""
    stripped = head.lstrip()
    return chr(stripped[0]) if stripped else ""


def encoding_problem(path: Path, head: bytes) -> Problem | None:
    """A Problem when the file is plainly not UTF-8 (UTF-16/32 BOM or NUL bytes)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Problem(source=str(path), where="offset 0", message="file is UTF-16/32 encoded; re-save it as UTF-8")
    nul = head.find(b"\x00", 0, 4096)
    if nul >= 0:
        return Problem(source=str(path), where=f"offset {nul}", message="NUL byte: not a UTF-8 text file")
    return None


def iter_lines(path: Path) -> Iterator[tuple[int, bytes | Problem]]:
    """Yield (line number, line bytes) for non-blank lines; an over-long line yields a Problem instead."""
    # A 1 MiB buffer: with the default 8 KiB one, readline() assembles a 140 KB twarc2 page from ~17 reads
    # (reading the 200k benchmark file took 0.42 CPU-s, now 0.10; each ingest worker reads the whole file).
    with path.open("rb", buffering=READ_BUFFER) as fh:
        lineno = 0
        while True:
            line = fh.readline(MAX_LINE + 1)
            if not line:
                return
            lineno += 1
            if len(line) > MAX_LINE and not line.endswith(b"\n"):
                size = len(line)
                while True:
                    rest = fh.readline(MAX_LINE)
                    size += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield (
                    lineno,
                    Problem(
                        source=str(path),
                        where=f"line {lineno}",
                        message=f"line of {size / 1e6:.1f} MB is over the {MAX_LINE // 2**20} MiB limit; skipped",
                    ),
                )
                continue
            if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[3:]
            if not line.isspace():  # (line.strip() would copy every line only to test it)
                yield lineno, line


def json_error_where(exc: Exception, data: bytes, base: str = "") -> str:
    """Turn a msgspec decode error's byte offset into 'line L, column C' when it names one."""
    msg = str(exc).replace("(byte ", "at byte ")  # msgspec writes "(byte 37)"; older versions "at byte 37"
    marker = "at byte "
    if marker in msg:
        try:
            offset = int(msg.rsplit(marker, 1)[1].split()[0].rstrip(")."))
        except ValueError:
            return base or "offset ?"
        line = data.count(b"\n", 0, offset) + 1
        col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        return f"{base + ', ' if base else ''}line {line}, column {col} (byte {offset})"
    return base or "offset 0"


def parse_time(value: object) -> datetime | None:
    """Parse ISO 8601, Twitter's 'Wed Oct 10 20:19:24 +0000 2018' or a Unix timestamp into aware UTC."""
    if type(value) is str and value[-1:] == "Z":  # ISO 8601 in UTC, as most APIs write it: read as it is
        try:
            return datetime.fromisoformat(value)  # (its zone is UTC itself)
        except ValueError:
            pass  # (e.g. surrounding spaces) the general way below
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) or (text := str(value).strip()).isdigit():
        try:
            return datetime.fromtimestamp(float(value) if isinstance(value, (int, float)) else int(text), tz=UTC)
        except (OverflowError, OSError) as exc:  # a timestamp past what a date holds: bad input, not a bug
            raise ValueError(f"timestamp {value!r} is out of range") from exc
    try:
        dt = datetime.fromisoformat(text)  # Python 3.11 reads a trailing Z as UTC
    except ValueError:
        dt = datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    try:
        return dt if dt.tzinfo is UTC else dt.astimezone(UTC)
    except OverflowError as exc:  # year 9999 with a zone west of UTC
        raise ValueError(f"time {text!r} is out of range") from exc


SUSPECT_BEFORE = datetime(2006, 3, 1, tzinfo=UTC)


_future = [datetime.now(UTC) + timedelta(days=1)]  # a day after a moment already past: later times may be suspect


def time_quality_of(dt: datetime | None, now: datetime | None = None) -> TimeQuality:
    """'exact' for a plausible time, 'suspect' for one over a day in the future or before 2006, 'unknown' for none."""
    if dt is None:
        return "unknown"
    if dt < SUSPECT_BEFORE:
        return "suspect"
    if now is not None:
        return "suspect" if dt - now > timedelta(days=1) else "exact"  # (now + 1 day overflows in year 9999)
    if dt <= _future[0]:  # not past the bound taken earlier, so not past one taken now: no clock read per post
        return "exact"
    _future[0] = datetime.now(UTC) + timedelta(days=1)
    return "suspect" if dt > _future[0] else "exact"


def decode_prefix(data: bytes) -> tuple[str, Damage | None]:
    """The UTF-8 text of data, its invalid bytes read as U+FFFD (with a Damage saying where the first is)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        msg = "invalid UTF-8: read as U+FFFD (the item holding it keeps the mended text); the other items read"
        return data.decode("utf-8", "replace"), Damage(f"line {line} (byte {exc.start})", msg)


def salvage_array(text: str, pos: int) -> Iterator[tuple[int, bytes] | Damage]:
    """Yield (n, raw JSON) for each whole element of the array that opens just before text[pos], then any Damage."""
    import json

    decoder = json.JSONDecoder()
    n = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            msg = "truncated JSON: the array never closes; the items before it were read"
            yield Damage(f"item {n + 1}, line {text.count(chr(10)) + 1}", msg)
            return
        if text[pos] == "]":
            return
        try:
            _, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            n += 1
            where = f"item {n}, line {exc.lineno}, column {exc.colno}"
            resume = _next_item(text, pos)
            if resume is None:
                cut = exc.pos >= len(text.rstrip()) - 1
                why = "truncated JSON: the file ends inside this item" if cut else f"bad JSON ({exc.msg})"
                yield Damage(where, f"{why}; the items before it were read")
                return
            yield Damage(where, f"bad JSON ({exc.msg}); this item skipped, the next ones read")
            pos = resume
            continue
        except RecursionError:  # nested deeper than the parser goes: skip this item, read the ones after it
            skipped = _end_of_value(text, pos)
            n += 1
            where = f"item {n}, line {text.count(chr(10), 0, pos) + 1}"
            yield Damage(where, "JSON nested too deep; skipped")
            if skipped is None:
                return
            pos = skipped
            continue
        n += 1
        yield n, text[pos:end].encode("utf-8")
        pos = end


def _next_item(text: str, pos: int) -> int | None:
    """Where the array item after a damaged one at text[pos] begins (its brackets, or the next line like it)."""
    end = _end_of_value(text, pos)
    if end is not None:
        after = end
        while after < len(text) and text[after] in " \t\r\n":
            after += 1
        if after < len(text) and text[after] in ",]":
            return after
    # The damage broke the brackets: resume at the next line indented as this item's first line.
    line_start = text.rfind("\n", 0, pos) + 1
    indent = text[line_start:pos]
    if indent.strip():
        return None  # a compact array: no line to resynchronise on
    nxt = text.find("\n" + indent + "{", pos)
    return None if nxt < 0 else nxt + 1 + len(indent)


def _end_of_value(text: str, pos: int) -> int | None:
    """The index just after the object or array that opens at text[pos] (strings respected), or None."""
    depth, i, size = 0, pos, len(text)
    while i < size:
        c = text[i]
        if c == '"':
            i += 1
            while i < size and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _stream_array(path: Path) -> Iterator[tuple[str, bytes] | Problem]:
    """The items of a JSON array file, read through a bounded window: a damaged item is one Problem, the next read."""
    with path.open("rb") as fh:
        win = Window.opened(fh)
        if not open_array(win):
            yield Problem(source=str(path), where="offset 0", message="not a JSON array")
            return
        for item in iter_items(win):
            if isinstance(item, Damage):
                yield Problem(source=str(path), where=item.where, message=item.message)
            else:
                yield f"item {item[0]}", item[1]


def item_where(where: str, key: str) -> str:
    """A damaged item's place as the whole document's reading names it: 'item 3, line 9' -> 'key[2], line 9'."""
    m = _ITEM.match(where)
    return f"{key}[{int(m.group(1)) - 1}]{where[m.end() :]}" if m else where


def _stream_lists(path: Path, lists: tuple[str, ...]) -> Generator[tuple[str, bytes] | Problem, None, bool]:
    """The items of the arrays named `lists` in a file's top-level object, read through a bounded window.

    Each comes as the whole document's reading names it (`line 1, statuses[0]`); the rest of the object is
    skipped without being held. Returns whether such an array was found (if not, the file is to be read whole).
    """
    found = False
    with path.open("rb") as fh:
        win = Window.opened(fh)
        try:
            for key in members(win):
                if key not in lists or win.skip_space() != b"[":
                    continue
                found = True
                win.pos += 1
                for item in iter_items(win):
                    if isinstance(item, Damage):
                        yield Problem(source=str(path), where=item_where(item.where, key), message=item.message)
                    else:
                        yield f"line 1, {key}[{item[0] - 1}]", item[1]
        except Broken as exc:
            if found:
                yield Problem(source=str(path), where=exc.where, message=f"bad JSON ({exc.message})")
    return found


def _one_long_line(path: Path) -> bool:
    """Whether a file's first line is longer than MAX_LINE (one compact document), read a chunk at a time."""
    with path.open("rb") as fh:
        read = 0
        while read <= MAX_LINE:
            chunk = fh.read(READ_BUFFER * 4)
            if not chunk:
                return False
            if b"\n" in chunk:
                return False
            read += len(chunk)
    return True


def utf8_problem(path: Path, where: str, data: bytes) -> Problem | None:
    """A Problem naming the first byte that is not UTF-8 (a Latin-1 or cp1252 line, say), else None."""
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"invalid UTF-8 (byte 0x{data[exc.start]:02x}; Latin-1 or another encoding?): skipped; re-save as UTF-8"
        at = f"byte {exc.start + 1}"
        return Problem(source=str(path), where=f"{where}, {at}" if where else at, message=msg)
    return None


def text_problem(path: Path, head: bytes) -> Problem | None:
    """encoding_problem, except that JSON Lines with a few damaged lines (a NUL, binary bytes) are read line by line."""
    bad = encoding_problem(path, head)
    if bad is None or "NUL" not in bad.message or head.lstrip()[:1] not in (b"{", b"["):
        return bad
    lines = head.split(b"\n")
    if len(lines) > 1:
        lines.pop()  # (cut by the end of the head)
    clean = sum(1 for ln in lines if b"\x00" not in ln)
    return None if clean * 2 > len(lines) else bad


def layout_of(path: Path) -> str:
    """'lines', 'array', 'object' (one document over several lines) or 'other', from the file's head."""
    from vigil.sources.shape import shape_of

    return shape_of(read_head(path)).layout


def is_json_lines(path: Path) -> bool:
    """Whether a file is JSON Lines (so that parallel readers can share its lines)."""
    return layout_of(path) == "lines"


def iter_json_values(
    path: Path, shard: tuple[int, int] | None = None, salvage: bool = False, lists: tuple[str, ...] = ()
) -> Generator[tuple[str, bytes] | Problem | Mended, None, None]:
    """Yield (where, raw JSON bytes) for each value of a JSON array, a single JSON document, or JSON Lines.

    The layout is judged from the head's structure, not from whether its first line parses: a file of good lines
    with a damaged one is read line by line and the damaged line reported. A line with invalid UTF-8 comes as a
    Problem and a Mended value (its text with U+FFFD, its original bytes kept for the payload).
    With shard=(k, n), only the lines k, k+n, k+2n… (counting from 0) of a JSON Lines file are read; any other
    shape is read whole by shard 0 and not at all by the others.
    With salvage, a one-document file that does not parse is still given whole ("line 1"): the importer takes it
    apart by its brackets (one damaged post must not lose the response) and reports what it cannot read.
    A one-document file over STREAM_BYTES whose top-level object holds one of the arrays named by `lists` (a search
    response's `statuses`) gives those arrays' items one by one instead, never held whole.
    """
    import msgspec

    layout = layout_of(path)
    if layout == "lines" and lists and path.stat().st_size > STREAM_BYTES and _one_long_line(path):
        layout = "object"  # one compact document (an API response as sent), too long to be read as a line
    if layout == "array":
        if shard is None or shard[0] == 0:
            yield from _stream_array(path)
        return
    if layout == "object":
        if shard is not None and shard[0] != 0:
            return
        if lists and path.stat().st_size > STREAM_BYTES and (yield from _stream_lists(path, lists)):
            return
        data = path.read_bytes()
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        try:
            value = msgspec.json.decode(data, type=msgspec.Raw)
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
            if salvage and not isinstance(exc, RecursionError):
                bad = utf8_problem(path, "", data)
                if bad is None:
                    yield "line 1", data
                    return
            yield utf8_problem(path, "", data) or Problem(
                source=str(path), where=json_error_where(exc, data), message=f"bad JSON: {exc}"
            )
            return
        yield "line 1", bytes(value)
        return
    k, n = shard if shard is not None else (0, 1)
    for lineno, line in iter_lines(path):
        if n > 1 and (lineno - 1) % n != k:
            continue
        if isinstance(line, Problem):
            yield line
        elif line.isascii():
            yield f"line {lineno}", line
        else:
            where = f"line {lineno}"
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                problem, fixed = mended(path, where, line)
                if fixed is not None and not _is_json(fixed.data):
                    msg = "not JSON: binary bytes or another encoding, not a damaged text; skipped"
                    problem = Problem(source=str(path), where=where, message=msg)
                    fixed = None
                yield problem
                if fixed is not None:
                    yield fixed
                continue
            yield where, line


def _is_json(data: bytes) -> bool:
    """Whether data is one JSON value (a mended line may still be junk)."""
    import msgspec

    try:
        msgspec.json.decode(data)
    except msgspec.DecodeError:
        return False
    except RecursionError:
        return True  # (nested deep: the importer says so)
    return True
