"""The export contract: one record per post, as JSON Lines or flattened CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

import msgspec
import sqlalchemy as sa

from vigil.store.engine import Workspace
from vigil.store.queries import PostFilter, captures_of, iter_posts

# The contract's fields, in order; later stages add theirs at the end and never change these meanings.
FIELDS = (
    "uid",
    "platform",
    "id",
    "url",
    "kind",
    "author",
    "created_at",
    "time_quality",
    "text",
    "transcript",
    "title",
    "lang",
    "reply_to",
    "repost_of",
    "quote_of",
    "hashtags",
    "mentions",
    "links",
    "media",
    "metrics",
    "deleted_at",
    "edited",
    "versions",
    "captures",
)
# Fields that enrichers add (triage, models, voices); present in every record, null until set.
ENRICHMENT_FIELDS: dict[str, Any] = {
    "labels": [],
    "priority": None,
    "eyewitness": None,
    "informative": None,
    "cues": {},
    "scores": {},
    "model_words": {},
    "overruled": {},
    "places": [],
    "quantities": [],
    "story": None,
    "models": {},
    "voice": None,
    "speaker": None,
    "account_status": None,
    "text_damaged": False,  # the source's text had invalid UTF-8, kept as U+FFFD (the raw payload is verbatim)
}
METRICS = ("likes", "shares", "replies", "quotes", "views")
_dec = msgspec.json.Decoder()
_enc = msgspec.json.Encoder()


def _list(value: str | None) -> list[Any]:
    return _dec.decode(value) if value else []


def export_record(
    row: sa.RowMapping,
    captures: list[dict[str, Any]],
    voices: dict[int, dict[str, Any]] | None = None,
    statuses: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One post as the export contract describes it (voice and speaker from the voices table when given).

    statuses: the latest status each account's sources gave (account uid -> AccountState.row()).
    """
    enrichment = _dec.decode(row["enrichment"]) if row["enrichment"] else {}
    rec: dict[str, Any] = {
        "uid": row["uid"],
        "platform": row["platform"],
        "id": row["native_id"],
        "url": row["url"],
        "kind": row["kind"],
        "author": {"id": row["author_id"], "handle": row["author_handle"], "name": row["author_name"]},
        "created_at": row["created_at"],
        "time_quality": row["time_quality"],
        "text": row["text"],
        "transcript": row["transcript"],
        "title": row["title"],
        "lang": row["lang"] or enrichment.get("lang"),
        "reply_to": row["reply_to"],
        "repost_of": row["repost_of"],
        "quote_of": row["quote_of"],
        "hashtags": _list(row["hashtags"]),
        "mentions": _list(row["mentions"]),
        "links": _list(row["links"]),
        "media": [
            {
                "type": m.get("type", "file"),
                "url": m.get("url"),
                "path": m.get("path"),
                "sha256": m.get("sha256"),
                "missing": bool(m.get("missing", False)),
            }
            for m in _list(row["media"])
        ],
        "metrics": {m: row[m] for m in METRICS},
        "deleted_at": row["deleted_at"],
        "edited": row["versions"] > 1,
        "versions": row["versions"],
        "captures": captures,
    }
    for key, default in ENRICHMENT_FIELDS.items():
        rec[key] = enrichment.get(key, default)
    if voices:
        rec["voice"] = voices.get(row["voice_id"], rec["voice"])
        speaker = row["speaker_voice"]
        if speaker is not None and speaker != row["voice_id"] and speaker in voices:
            rec["speaker"] = voices[speaker]
    if statuses and row["account_uid"] is not None:
        rec["account_status"] = statuses.get(row["account_uid"])
    return rec


def iter_records(ws: Workspace, f: PostFilter) -> Iterator[dict[str, Any]]:
    """Export records for every post matching the filter, streamed."""
    from vigil.store.deletions import absences
    from vigil.watch.voices import voice_refs

    voices: dict[int, dict[str, Any]] = voice_refs(ws)
    statuses = latest_statuses(ws)
    absent = {d.uid: d.at for d in absences(ws)}  # deleted as the watch knows it: missing from a later complete export
    for rows in iter_posts(ws, f):
        caps = captures_of(ws, [r["uid"] for r in rows])
        for row in rows:
            rec = export_record(row, caps[row["uid"]], voices, statuses)
            if rec["deleted_at"] is None and row["uid"] in absent:
                rec["deleted_at"] = absent[row["uid"]]
            yield rec


def latest_statuses(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Each account's latest status change from its sources (suspended, moved, active again…), by account uid.

    As in the watch, `active` before anything else changes nothing (a Jetstream identity event, say) and is left out.
    """
    from vigil.watch.accounts import account_history, changes

    out: dict[str, dict[str, Any]] = {}
    for uid, states in account_history(ws, "9999-12-31T23:59:59Z").items():
        changed = changes(states)
        if changed:
            out[uid] = changed[-1].row()
    return out


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[bytes]) -> int:
    """Write one JSON object a line; return how many."""
    n = 0
    for rec in records:
        out.write(_enc.encode(rec) + b"\n")
        n += 1
    return n


def flatten(rec: dict[str, Any]) -> dict[str, Any]:
    """A CSV row: nested objects become dotted columns, lists of words are space-joined, others JSON."""
    row: dict[str, Any] = {}
    for key, value in rec.items():
        if isinstance(value, dict) and key in ("author", "metrics", "voice", "account_status"):
            for k, v in value.items():
                row[f"{key}.{k}"] = v
        elif isinstance(value, list) and key in ("hashtags", "mentions", "links", "labels"):
            row[key] = " ".join(str(v) for v in value)
        elif isinstance(value, (list, dict)):
            row[key] = _enc.encode(value).decode() if value else ""
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        else:
            row[key] = "" if value is None else value
    return row


def csv_columns() -> list[str]:
    """The CSV header, derived from the contract's fields."""
    cols: list[str] = []
    for key in (*FIELDS, *ENRICHMENT_FIELDS):
        if key == "author":
            cols += ["author.id", "author.handle", "author.name"]
        elif key == "metrics":
            cols += [f"metrics.{m}" for m in METRICS]
        elif key == "voice":
            cols += ["voice.id", "voice.name", "voice.role"]
        elif key == "account_status":
            cols += [f"account_status.{k}" for k in ("account", "status", "at", "detail", "evidence")]
        else:
            cols.append(key)
    return cols


# The CSV's columns when --columns is not given: who said what, when, where to see it, and what triage made of
# it. Every other column (52 in all) stays one --columns away.
DEFAULT_CSV_COLUMNS = (
    "uid",
    "platform",
    "created_at",
    "author.handle",
    "author.name",
    "kind",
    "text",
    "url",
    "labels",
    "priority",
    "story",
    "voice.name",
    "deleted_at",
    "edited",
)
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula


class ColumnError(ValueError):
    """--columns names a column the export does not have."""


def resolve_columns(spec: str | None) -> list[str]:
    """The CSV columns --columns asks for: unset, the default set; 'all'; 'a,b,c'; '+a,b' (the default and these)."""
    if not spec or not spec.strip():
        return list(DEFAULT_CSV_COLUMNS)
    every = csv_columns()
    text = spec.strip()
    if text.lower() == "all":
        return every
    extra = text.startswith("+")
    wanted = [c.strip() for c in text.lstrip("+").split(",") if c.strip()]
    unknown = [c for c in wanted if c not in every]
    if unknown:
        import difflib

        hints = [m for c in unknown for m in difflib.get_close_matches(c, every, n=1)]
        hint = f" (did you mean {', '.join(hints)}?)" if hints else ""
        raise ColumnError(f"no column {', '.join(map(repr, unknown))}{hint}; `--columns all` lists all {len(every)}")
    chosen = [*DEFAULT_CSV_COLUMNS, *wanted] if extra else wanted
    return list(dict.fromkeys(chosen))


def _for_spreadsheet(value: Any) -> Any:
    """A cell a spreadsheet shows as the text it is: one starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(
    records: Iterator[dict[str, Any]], out: IO[str], columns: list[str] | None = None, excel: bool = False
) -> int:
    """Write the flattened records with a header (all columns unless given); return how many.

    excel: a UTF-8 byte-order mark first (so Excel reads Arabic, Cyrillic… as UTF-8) and cells that would start a
    formula made text with a leading apostrophe.
    """
    cols = columns if columns is not None else csv_columns()
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    if excel:
        out.write(BOM)
    writer.writeheader()
    n = 0
    for rec in records:
        row = flatten(rec)
        if excel:
            row = {k: _for_spreadsheet(v) for k, v in row.items()}
        writer.writerow(row)
        n += 1
    return n
