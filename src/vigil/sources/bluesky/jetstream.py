"""Jetstream event lines (commit, identity, account) to posts, deletions, handle changes, account statuses, skips."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import msgspec

from vigil.records import AccountStatus, Author, Deletion, HandleChange, Problem, Record, Skipped
from vigil.sources.base import DECODE_ERRORS, parse_time
from vigil.sources.bluesky.post import PLATFORM, POST_COLLECTION, Extras, record_to_post, uid_of
from vigil.sources.bluesky.types import JetAccount, Line, PostRecord, present

_record = msgspec.json.Decoder(PostRecord)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def time_of_us(time_us: int | None) -> datetime | None:
    """Jetstream's time_us (microseconds since the epoch, when the relay saw the event) as a UTC datetime."""
    if time_us is None:
        return None
    try:
        return EPOCH + timedelta(microseconds=time_us)
    except OverflowError:
        return None


@dataclass
class JetstreamReader:
    """Reads the events of one file, remembering handles announced by identity events for later posts."""

    source: str
    handles: dict[str, str] = field(default_factory=dict)

    def _account(self, where: str, did: str, acc: JetAccount | None, seen_at: datetime | None, raw: bytes) -> Record:
        """An account event: active again, or not active and why (the status, else `inactive`)."""
        if acc is None or acc.active is None or not (acc.did or did):
            return Problem(source=self.source, where=where, message="account event without `account.active` or a did")
        try:
            at = parse_time(acc.time) or seen_at
        except ValueError:
            at = seen_at
        status = "active" if acc.active else (acc.status or "inactive")
        return AccountStatus(account_uid=f"{PLATFORM}:{acc.did or did}", status=status, at=at, raw=raw)

    def read(self, where: str, ev: Line, raw: bytes) -> Iterator[Record]:
        """One event."""
        did = ev.did or ""
        seen_at = time_of_us(ev.time_us)
        if ev.kind == "identity":
            ident = ev.identity
            if ident is None or not ident.handle:
                yield Skipped(reason="identity event without a handle")
                return
            self.handles[ident.did or did] = ident.handle
            try:
                at = parse_time(ident.time) or seen_at
            except ValueError:
                at = seen_at
            yield HandleChange(account_uid=f"{PLATFORM}:{ident.did or did}", handle=ident.handle, at=at)
            return
        if ev.kind == "account":
            yield self._account(where, did, ev.account, seen_at, raw)
            return
        if ev.kind != "commit" or ev.commit is None:
            yield Skipped(reason=f"jetstream event kind {ev.kind}")
            return
        c = ev.commit
        if c.collection != POST_COLLECTION:
            yield Skipped(reason=f"collection {c.collection}")
            return
        if not did or not c.rkey:
            yield Problem(source=self.source, where=where, message="post commit without did or rkey")
            return
        uri = f"at://{did}/{POST_COLLECTION}/{c.rkey}"
        if c.operation == "delete":
            yield Deletion(uid=uid_of(uri), at=seen_at, raw=raw)
            return
        if c.operation not in ("create", "update"):
            yield Skipped(reason=f"commit operation {c.operation}")
            return
        record_raw = present(c.record)
        if record_raw is None:
            yield Problem(source=self.source, where=where, message=f"{c.operation} of a post without its record")
            return
        try:
            record = _record.decode(record_raw)
        except DECODE_ERRORS as exc:
            yield Problem(source=self.source, where=where, message=f"bad post record: {exc}")
            return
        author = Author(id=did, handle=self.handles.get(did))
        post = record_to_post(uri, record, author, raw, Extras(indexed_at=seen_at))
        if c.operation == "update":
            post.edited_at = seen_at
        yield post
