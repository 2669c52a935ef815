"""Write what a source says about an account: its status (account_events, with the raw payload) or its handle."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from vigil.records import AccountStatus, HandleChange, iso_z
from vigil.store import schema
from vigil.store.payloads import keep_payload

if TYPE_CHECKING:
    from vigil.store.counts import CaptureCounts

_FIND = "SELECT at FROM account_events WHERE account_uid = ? AND status = ? AND raw_sha256 = ?"
_EARLIER = "UPDATE account_events SET at = ? WHERE account_uid = ? AND status = ? AND raw_sha256 = ?"
_INSERT = (
    "INSERT INTO account_events(account_uid, status, raw_sha256, at, detail, capture_id) VALUES (?, ?, ?, ?, ?, ?)"
)


class AccountEvents:
    """One capture's account statuses: each recorded once per account, status and evidence (its raw payload)."""

    def __init__(self, capture_id: int, started: str, pack: Callable[[bytes], bytes]) -> None:
        self.capture_id, self.started, self.pack = capture_id, started, pack
        self._seen: set[tuple[str, str, str]] = set()

    def write(self, conn: sa.Connection, rec: AccountStatus, counts: CaptureCounts) -> None:
        """Record and count it: news as updated, what an earlier capture had as skipped, a copy met again not at all."""
        done = self._write(conn, rec)
        counts.updated += done == "new"
        counts.skipped += done == "known"

    def _write(self, conn: sa.Connection, rec: AccountStatus) -> str:
        """`new`, `again` (this capture met the same evidence already) or `known` (an earlier capture had it)."""
        sha = hashlib.sha256(rec.raw).hexdigest()
        at = iso_z(rec.at) or self.started
        key = (rec.account_uid, rec.status, sha)
        known = conn.exec_driver_sql(_FIND, key).first()
        again = key in self._seen
        self._seen.add(key)
        if known is not None:
            if at < known[0]:  # the same evidence, read from an earlier copy (an undated one is dated by its capture)
                conn.exec_driver_sql(_EARLIER, (at, *key))
            return "again" if again else "known"
        if rec.raw:  # the event itself is evidence: kept like any payload
            keep_payload(conn, rec.raw, self.pack, sha)
        conn.exec_driver_sql(_INSERT, (*key, at, rec.detail, self.capture_id))
        return "new"


def write_handle_change(conn: sa.Connection, rec: HandleChange, now: str) -> None:
    """Set the account's handle, and fill it on its posts stored without one (a Jetstream post before its identity)."""
    conn.execute(
        schema.accounts.update()
        .where(schema.accounts.c.uid == rec.account_uid)
        .values(handle=rec.handle, updated_at=iso_z(rec.at) or now)
    )
    conn.execute(
        schema.posts.update()
        .where(schema.posts.c.account_uid == rec.account_uid, schema.posts.c.author_handle.is_(None))
        .values(author_handle=rec.handle)
    )
