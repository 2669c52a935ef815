"""What sources said about accounts (suspended, deactivated, taken down, deleted, active again), as of a moment."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from vigil.records import GONE_STATUSES
from vigil.store import schema
from vigil.store.engine import Workspace

WORDS = {"takendown": "taken down", "not-found": "not found (deactivated or deleted)", "active": "active again"}


@dataclass(frozen=True)
class AccountState:
    """An account's latest status by a moment: which account, what, since when, and the source's words."""

    account: str
    status: str
    at: str
    detail: str | None = None
    evidence: str | None = None  # SHA-256 of the raw event or error entry (`vigil raw` writes it back)

    @property
    def gone(self) -> bool:
        """The status means the account stopped: suspended, deactivated, taken down, deleted or not found."""
        return self.status in GONE_STATUSES

    def phrase(self) -> str:
        """'account suspended as of 2026-11-21 00:03 UTC' (the status as the source gave it)."""
        word = WORDS.get(self.status, self.status)
        if self.status == "moved" and self.detail:
            word = f"moved to {self.detail}"
        return f"account {word} as of {self.at[:16].replace('T', ' ')} UTC"

    def row(self) -> dict[str, str | None]:
        """The JSONL form."""
        return {
            "account": self.account,
            "status": self.status,
            "at": self.at,
            "detail": self.detail,
            "evidence": self.evidence,
        }


def _handle_keys(conn: sa.Connection) -> dict[str, str]:
    """platform:@handle (case-folded) -> account uid, for events a source named by handle only."""
    a = schema.accounts.c
    rows = conn.execute(sa.select(a.uid, a.platform, a.handle).where(a.handle.is_not(None)))
    return {f"{r.platform}:@{r.handle.lstrip('@')}".casefold(): r.uid for r in rows}


def account_history(ws: Workspace, cut: str) -> dict[str, list[AccountState]]:
    """Every account's statuses known by cut, oldest first (an event naming a handle goes to that handle's account)."""
    e = schema.account_events.c
    out: dict[str, list[AccountState]] = {}
    with ws.engine.connect() as conn:
        keys = _handle_keys(conn)
        rows = conn.execute(
            sa.select(e.account_uid, e.status, e.at, e.detail, e.raw_sha256)
            .where(e.at <= cut)
            .order_by(e.at, sa.literal_column("account_events.rowid"))
        )
        for r in rows:
            uid = keys.get(r.account_uid.casefold(), r.account_uid) if ":@" in r.account_uid else r.account_uid
            out.setdefault(uid, []).append(AccountState(uid, r.status, r.at, r.detail, r.raw_sha256))
    return out


def changes(states: list[AccountState]) -> list[AccountState]:
    """The statuses that changed something: not a repeat of the one before, not `active` before anything else."""
    out: list[AccountState] = []
    for st in states:
        if st.status != (out[-1].status if out else "active"):
            out.append(st)
    return out


def latest_states(ws: Workspace, cut: str) -> dict[str, AccountState]:
    """Each account's latest status known by cut (accounts only ever said to be active are left out)."""
    out = {}
    for uid, states in account_history(ws, cut).items():
        changed = changes(states)
        if changed:
            out[uid] = changed[-1]
    return out


def voice_state(accounts: dict[str, str], states: dict[str, AccountState]) -> tuple[AccountState | None, bool]:
    """The latest status among a voice's posting accounts (uid -> its last post's time), and whether all are gone.

    An account that posted after a status that stopped it is back, whatever the status says.
    """
    found = [states[uid] for uid in accounts if uid in states]
    if not found:
        return None, False
    latest = max(found, key=lambda s: s.at)
    gone = all(uid in states and states[uid].gone and last <= states[uid].at for uid, last in accounts.items())
    return latest, gone
