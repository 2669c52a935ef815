"""Desk accounts: roles, argon2 password hashes, sessions (only a token's SHA-256 is stored), login limits."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.web import audit

ROLES = ("admin", "editor", "viewer")
SESSION_HOURS = 12
MIN_PASSWORD = 10
# Failed logins counted over LOCK_WINDOW: after MAX_FAILS for one name, or MAX_CLIENT_FAILS from one client, the
# next attempts are refused without checking the password until the window has passed.
LOCK_WINDOW = timedelta(minutes=15)
MAX_FAILS = 5
MAX_CLIENT_FAILS = 20
SECRET_FILE = "web-secret.key"  # noqa: S105 - a file name, not a secret
_NAME = re.compile(r"^[\w.@-]{1,64}$")
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("not a password anyone has")  # unknown names cost as much time as known ones


class UserError(Exception):
    """A user command cannot be done (unknown name, bad role, password too short)."""


@dataclass
class User:
    """A signed-in person."""

    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        """Editors and admins change things; viewers only read."""
        return self.role in ("admin", "editor")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_password(password: str) -> None:
    """Refuse passwords shorter than MIN_PASSWORD characters."""
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")


def add_user(ws: Workspace, name: str, role: str, password: str, by: str) -> None:
    """Create an account."""
    if not _NAME.match(name):
        raise UserError(f"{name!r}: a user name is 1-64 letters, digits, '.', '@', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of: {', '.join(ROLES)}")
    check_password(password)
    now = _iso(_now())
    with ws.engine.begin() as conn:
        if conn.execute(sa.select(schema.web_users.c.name).where(schema.web_users.c.name == name)).first():
            raise UserError(f"user {name!r} exists already (use `vigil user passwd`)")
        conn.execute(
            schema.web_users.insert().values(
                name=name, role=role, password_hash=_hasher.hash(password), created_at=now, updated_at=now
            )
        )
        audit.record(conn, by, "user.add", f"user:{name}", None, {"role": role})


def set_password(ws: Workspace, name: str, password: str, by: str) -> None:
    """Change a password; the user's sessions end."""
    check_password(password)
    u = schema.web_users.c
    with ws.engine.begin() as conn:
        res = conn.execute(
            schema.web_users.update()
            .where(u.name == name)
            .values(password_hash=_hasher.hash(password), updated_at=_iso(_now()))
        )
        if not res.rowcount:
            raise UserError(f"no user {name!r}")
        conn.execute(schema.web_sessions.delete().where(schema.web_sessions.c.user == name))
        audit.record(conn, by, "user.passwd", f"user:{name}", None, {"password": "changed"})


def remove_user(ws: Workspace, name: str, by: str) -> None:
    """Delete an account and end its sessions (what it did stays in the audit log)."""
    u = schema.web_users.c
    with ws.engine.begin() as conn:
        role = conn.execute(sa.select(u.role).where(u.name == name)).scalar_one_or_none()
        if role is None:
            raise UserError(f"no user {name!r}")
        conn.execute(schema.web_users.delete().where(u.name == name))
        conn.execute(schema.web_sessions.delete().where(schema.web_sessions.c.user == name))
        audit.record(conn, by, "user.rm", f"user:{name}", {"role": role}, None)


def list_users(conn: sa.Connection) -> list[User]:
    """Every account, by name."""
    u = schema.web_users.c
    return [User(r.name, r.role) for r in conn.execute(sa.select(u.name, u.role).order_by(u.name))]


def locked(conn: sa.Connection, name: str, client: str) -> bool:
    """Whether too many logins failed lately for this name or from this client."""
    a = schema.login_attempts.c
    since = _iso(_now() - LOCK_WINDOW)
    by_name = conn.execute(sa.select(sa.func.count()).where(a.name == name, a.ok == 0, a.at >= since)).scalar_one()
    by_client = conn.execute(
        sa.select(sa.func.count()).where(a.client == client, a.ok == 0, a.at >= since)
    ).scalar_one()
    return by_name >= MAX_FAILS or by_client >= MAX_CLIENT_FAILS


class LoginLimited(Exception):
    """Too many failed logins: wait before trying again."""


def login(ws: Workspace, name: str, password: str, client: str) -> tuple[str, User] | None:
    """A new session token and its user when the password is right; None when not; LoginLimited when locked."""
    u = schema.web_users.c
    with ws.engine.begin() as conn:
        if locked(conn, name, client):
            raise LoginLimited(f"too many failed logins: wait {int(LOCK_WINDOW.total_seconds() // 60)} minutes")
        row = conn.execute(sa.select(u.role, u.password_hash).where(u.name == name)).first()
        ok = False
        try:
            ok = _hasher.verify(row.password_hash if row else _DUMMY, password) and row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        now = _now()
        conn.execute(schema.login_attempts.insert().values(name=name, client=client, at=_iso(now), ok=int(ok)))
        if not ok or row is None:
            return None
        token = secrets.token_urlsafe(32)
        conn.execute(
            schema.web_sessions.insert().values(
                token_sha256=hashlib.sha256(token.encode()).hexdigest(),
                user=name,
                csrf=secrets.token_urlsafe(32),
                created_at=_iso(now),
                expires_at=_iso(now + timedelta(hours=SESSION_HOURS)),
            )
        )
        conn.execute(schema.web_sessions.delete().where(schema.web_sessions.c.expires_at < _iso(now)))
        return token, User(name, row.role)


def session_user(conn: sa.Connection, token: str) -> tuple[User, str] | None:
    """The signed-in user and the session's CSRF token, when the session exists and has not expired."""
    s, u = schema.web_sessions.c, schema.web_users.c
    row = conn.execute(
        sa.select(u.name, u.role, s.csrf)
        .select_from(schema.web_sessions.join(schema.web_users, u.name == s.user))
        .where(s.token_sha256 == hashlib.sha256(token.encode()).hexdigest(), s.expires_at > _iso(_now()))
    ).first()
    return (User(row.name, row.role), row.csrf) if row else None


def logout(ws: Workspace, token: str) -> None:
    """End a session."""
    with ws.engine.begin() as conn:
        conn.execute(
            schema.web_sessions.delete().where(
                schema.web_sessions.c.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
            )
        )


def secret(ws_path: Path) -> bytes:
    """The workspace's key for signing cookies (made on first use, readable by its owner only)."""
    path = ws_path / SECRET_FILE
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="ascii")
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def sign(key: bytes, value: str) -> str:
    """value.signature (HMAC-SHA256)."""
    mac = hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def unsign(key: bytes, signed: str) -> str | None:
    """The value of a signed string, or None when the signature does not match."""
    value, _, mac = signed.rpartition(".")
    if not value or not hmac.compare_digest(mac, hmac.new(key, value.encode(), hashlib.sha256).hexdigest()):
        return None
    return value


DEMO_USER = "demo"


def demo_account(ws: Workspace, by: str) -> tuple[str, str]:
    """The demo's editor account with a new random password (each run, each workspace): (name, password)."""
    password = secrets.token_urlsafe(12)
    with ws.engine.connect() as conn:
        exists = conn.execute(sa.select(schema.web_users.c.name).where(schema.web_users.c.name == DEMO_USER)).first()
    if exists:
        set_password(ws, DEMO_USER, password, by)
    else:
        add_user(ws, DEMO_USER, "editor", password, by)
    return DEMO_USER, password
