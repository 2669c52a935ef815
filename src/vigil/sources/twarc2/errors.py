"""A twarc2 page's `errors`: suspended or missing users become account statuses; tweet errors are only counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import msgspec

from vigil.records import AccountStatus, Problem, Record, Skipped
from vigil.sources.base import DECODE_ERRORS, parse_time
from vigil.sources.twarc2.types import ApiError, Page

_error = msgspec.json.Decoder(ApiError)
NOT_FOUND = "Not Found Error"


def retrieved_at(page: Page) -> datetime | None:
    """When twarc2 fetched the page (`__twarc.retrieved_at`), if it says."""
    try:
        return parse_time(page.twarc.retrieved_at) if page.twarc else None
    except ValueError:
        return None


def page_errors(path: Path, where: str, page: Page) -> Iterator[Record]:
    """One record for each entry of the page's `errors`, in order."""
    if not page.errors:
        return
    at = retrieved_at(page)
    for i, item in enumerate(page.errors):
        here = f"{where}, errors[{i}]"
        try:
            err = _error.decode(item)
        except DECODE_ERRORS as exc:
            yield Problem(source=str(path), where=here, message=f"bad error entry: {exc}")
            continue
        yield _record(path, here, err, bytes(item), at)


def _record(path: Path, where: str, err: ApiError, raw: bytes, at: datetime | None) -> Record:
    """A suspended user (by id or username), or a user id not found, is a status; anything else a skip.

    A tweet not found or not authorized is no proof of deletion (it may be protected, or its author suspended), and
    a username not found may only have been renamed: those are counted as skipped.
    """
    kind = err.resource_type or "resource"
    if kind != "user":
        return Skipped(reason=f"{kind} error ({err.title or 'untitled'}): not read as a deletion")
    rid = err.resource_id or err.value
    if not rid:
        return Problem(source=str(path), where=where, message="user error without resource_id or value")
    by_name = "username" in (err.parameter or "")
    account = f"twitter:@{rid.lstrip('@')}" if by_name else f"twitter:{rid}"
    if "suspended" in (err.detail or "").casefold():
        return AccountStatus(account_uid=account, status="suspended", at=at, detail=err.detail, raw=raw)
    if err.title == NOT_FOUND and not by_name:
        return AccountStatus(account_uid=account, status="not-found", at=at, detail=err.detail, raw=raw)
    return Skipped(reason=f"user error ({err.title or 'untitled'})")
