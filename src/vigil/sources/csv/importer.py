"""CSV/TSV spreadsheets of posts: a --map says which column is which field, or well-known headers do."""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import msgspec

from vigil.records import KINDS, Author, Metrics, Post, Problem, Record
from vigil.sources.base import ImportOptions
from vigil.sources.csv import profiles
from vigil.sources.csv.columns import REQUIRED, ColumnMap, guess, loose, resolve
from vigil.sources.csv.dates import read_time

MAX_FIELD = 64 * 1024 * 1024
DELIMITERS = (",", "\t", ";")
KIND_WORDS = {"tweet": "post", "status": "post", "retweet": "repost", "rt": "repost", "reblog": "repost",
              "boost": "repost", "share": "repost", "comment": "reply"}  # fmt: skip
PLATFORM_WORDS = {"x": "twitter", "x.com": "twitter", "twitter.com": "twitter", "x/twitter": "twitter"}
TWITTER_URL = re.compile(r"^https?://(www\.|mobile\.)?(twitter|x)\.com/", re.IGNORECASE)
SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+]?\d+$")
_CR_LINES = re.compile(r"(?<=\r)(?!\n)")
ENCODING = "invalid UTF-8: this row and the rest of the file were not read (re-save the file as UTF-8)"
_json = msgspec.json.Encoder()


def _delimiter(path: Path, first_line: str) -> str:
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    counts = {d: len(_cells(first_line, d)) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _cells(line: str, delimiter: str) -> list[str]:
    """The cells of one line (a damaged line gives none: never a csv.Error)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def stray_cr(line: str) -> tuple[str, int]:
    """A header line without the carriage returns inside it (a stray CR breaks every reader), and where the first was.

    Returns (line, 0) when there is none; the column (from 1) of the first otherwise.
    """
    body = line.rstrip("\r\n")
    at = body.find("\r")
    if at < 0 or body.count("\r") > 1:  # none, or lines ended by a bare CR (classic Mac OS): not damage
        return line, 0
    return body.replace("\r", "") + line[len(body) :], at + 1


def _lines(fh: BinaryIO, bad: list[str]) -> Iterator[str]:
    """Decode line by line, so the rows before a bad byte still come in; a bad line ends the file."""
    for n, line in enumerate(fh, 1):
        if n == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad.append(f"line {n}, byte {exc.start + 1}")
            return


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


class CsvImporter:
    """Rows of a spreadsheet as posts; the raw payload is the row as a JSON object of header -> cell."""

    name = "csv"
    description = "CSV/TSV of posts (CrisisLex, spreadsheets); --map id=COL,text=COL,created_at=COL,author=COL"
    example = "vigil ingest sheet.csv --map 'id=Tweet ID,text=Tweet Text,created_at=date,author=user'"

    def detect(self, path: Path, head: bytes) -> int:
        """Moderate confidence for a CSV whose header names an id and a text column (Tweet ID, Tweet Text…)."""
        if not head or path.is_dir():
            return 0
        try:
            first = head.split(b"\n", 1)[0].decode("utf-8")
            first = stray_cr(first.split("\r", 1)[0] if first.rstrip("\r").count("\r") > 1 else first)[0].rstrip("\r")
        except UnicodeDecodeError:
            return 0
        if not first or first.lstrip()[:1] in ("{", "["):
            return 0
        header = _cells(first, _delimiter(path, first))
        if profiles.match(header):
            return 80  # a tool's documented tweet CSV
        cmap = guess(header)
        if "id" not in cmap.index or "text" not in cmap.index:
            return 0
        return 60 if path.suffix.lower() in (".csv", ".tsv", ".tab", ".txt") else 40

    def iter_records(self, path: Path, options: ImportOptions) -> Iterator[Record]:
        """Yield one post per row; a bad row is a Problem naming its row (header = row 1) and the rest go on."""
        if csv.field_size_limit() < MAX_FIELD:
            csv.field_size_limit(min(MAX_FIELD, sys.maxsize))
        try:
            with path.open("rb") as fh:
                yield from self._read(path, fh, options)
        except OSError as exc:
            yield Problem(source=str(path), where="-", message=f"cannot read: {exc.strerror}")

    def _read(self, path: Path, fh: BinaryIO, options: ImportOptions) -> Iterator[Record]:
        src = str(path)
        bad: list[str] = []
        lines = _lines(fh, bad)
        first = next(lines, "")
        if first.rstrip("\r\n").count("\r") > 1:  # lines ended by a bare CR: cut after each
            lines = (piece for line in itertools.chain([first], lines) for piece in _CR_LINES.split(line) if piece)
            first = next(lines, "")
        first, cr = stray_cr(first)
        if cr:
            msg = "a carriage return inside the header row (a damaged file?); read without it"
            yield Problem(source=src, where=f"row 1 (line 1, column {cr})", message=msg)
        delimiter = _delimiter(path, first.rstrip("\r\n"))
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            yield Problem(source=src, where="row 1", message="empty file: no header row")
            return
        except csv.Error as exc:
            yield Problem(source=src, where="row 1", message=f"bad CSV header: {exc}")
            return
        profile = None
        if options.column_map:
            cmap, errors = resolve(header, options.column_map)
        elif profile := profiles.match(header):
            cmap, errors = profiles.column_map(profile, header), []
        else:
            cmap, errors = guess(header), []
            errors += [f"no {k} column found; name it with --map {k}=COLUMN" for k in REQUIRED if k not in cmap.index]
        fatal = any(k not in cmap.index for k in REQUIRED)
        for e in errors:
            yield Problem(source=src, where="row 1", message=e if fatal else f"{e}; that field is left empty")
        if fatal:
            return
        keys = _unique(header)
        twitter_ids = "tweet" in loose(header[cmap.index["id"]])
        n = 1
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                yield from (Problem(source=src, where=b, message=ENCODING) for b in bad)
                return
            except csv.Error as exc:
                n += 1
                if bad:
                    yield Problem(source=src, where=bad[0], message=ENCODING)
                    return
                where = f"row {n} (line {line})"
                if "unexpected end of data" in str(exc):
                    msg = f"a quoted cell opened on line {line} never closes; the rest of the file was not read"
                    yield Problem(source=src, where=where, message=msg)
                    return
                yield Problem(source=src, where=where, message=f"bad CSV: {exc}; row skipped")
                continue
            n += 1
            if not any(cell.strip() for cell in row):
                continue
            yield from self._row(src, n, row, keys, cmap, twitter_ids, profile)

    def _row(
        self,
        src: str,
        n: int,
        row: list[str],
        keys: list[str],
        cmap: ColumnMap,
        twitter_ids: bool,
        profile: profiles.Profile | None = None,
    ) -> Iterator[Record]:
        where = f"row {n}"

        def cell(name: str) -> str | None:
            if name in cmap.fixed:
                return cmap.fixed[name]
            i = cmap.index.get(name)
            return row[i] if i is not None and i < len(row) else None

        def value(name: str) -> str | None:
            v = cell(name)
            return v.strip() or None if v is not None else None

        native = value("id")
        text = cell("text")
        if native is None:
            yield Problem(source=src, where=where, message=f"no id in column {cmap.column('id')!r}; row skipped")
            return
        if native.startswith("'") and native[1:].isdigit():
            native = native[1:]  # the apostrophe a spreadsheet user types to keep a long number as text
        if SCIENTIFIC.match(native):
            msg = f"id {native!r} was turned into a number by a spreadsheet (digits lost); row skipped"
            yield Problem(source=src, where=where, message=msg)
            return
        if text is None or not text.strip():
            yield Problem(source=src, where=where, message=f"no text in column {cmap.column('text')!r}; row skipped")
            return
        url = value("url")
        given = (value("platform") or "").lower()
        platform = PLATFORM_WORDS.get(given, given) or (
            "twitter" if twitter_ids or (url and TWITTER_URL.match(url)) else "csv"
        )
        created, quality = None, "unknown"
        raw_date = value("created_at")
        if raw_date:
            try:
                created, quality = read_time(raw_date)
            except (ValueError, OverflowError, OSError):
                col = cmap.column("created_at") if "created_at" in cmap.index else "created_at"
                msg = f"cannot read date {raw_date!r} in column {col!r}; the post is stored undated"
                yield Problem(source=src, where=where, message=msg)
        numbers: dict[str, int | None] = {}
        for name in ("likes", "shares", "replies", "quotes", "views"):
            v = value(name)
            numbers[name] = _number(v)
            if v is not None and numbers[name] is None:
                msg = f"cannot read number {v!r} in column {cmap.column(name)!r}; left empty"
                yield Problem(source=src, where=where, message=msg)
        kind = (value("kind") or "post").lower()
        kind = KIND_WORDS.get(kind, kind)
        if kind not in KINDS:
            yield Problem(source=src, where=where, message=f"unknown kind {kind!r}; stored as a post")
            kind = "post"
        reply = value("reply_to")
        reply_to = (reply if ":" in reply else f"{platform}:{reply}") if reply else None
        if reply_to and kind == "post":
            kind = "reply"
        if kind == "post" and platform == "twitter" and text.startswith("RT @"):
            kind = "repost"
        handle = value("author")
        author = Author(id=value("author_id"), handle=handle.lstrip("@") if handle else None, name=value("author_name"))
        if url is None and platform == "twitter":
            url = f"https://x.com/{author.handle or 'i/web'}/status/{native}"
        record = dict(zip(keys, row, strict=False))
        if len(row) > len(keys):
            record["(cells beyond the header)"] = row[len(keys) :]  # type: ignore[assignment]
        post = Post(
            platform=platform,
            id=native,
            kind=kind,  # type: ignore[arg-type]
            author=author,
            created_at=created,
            time_quality=quality,  # type: ignore[arg-type]
            text=text,
            lang=value("lang"),
            url=url,
            reply_to=reply_to,
            metrics=Metrics(**numbers),
            raw=_json.encode(record),
        )
        if profile is not None:
            post = profiles.refine(
                profile, post, lambda column: row[i] if (i := _at(keys, column)) < len(row) else None
            )
        yield post


def _at(keys: list[str], column: str) -> int:
    """The index of a header cell (as written, spaces aside), or a number past any row."""
    for i, k in enumerate(keys):
        if k.strip() == column:
            return i
    return 1 << 30


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    t = text.replace(",", "").replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        f = float(t)
    except ValueError:
        return None
    return int(f) if f.is_integer() and f >= 0 else None
