"""Open a workspace: its folder, its SQLite database (WAL, FTS5) and its schema at the newest migration.

A workspace opens for writing (ingest, demo, labels, voice links) or for reading (export, search, watch, digest…):
a reader's connections open the database read-only, so nothing a reader does can take the write lock that an
ingest in another process holds (see docs/concurrency.md).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from vigil.store.paths import DB_NAME, resolve_path
from vigil.text.normalise import search_text

MIGRATIONS = Path(__file__).parent / "migrations"


# sqlite3 binds None and bytes after looking for an adapter the slow way (two failed attribute lookups, each
# raising and formatting an AttributeError, ~0.8 µs a parameter); a registered adapter is found in one dict
# lookup. A stored post has ~10 NULL columns and a compressed payload, so writing 200k posts spends ~1 s less.
# The adapters are C functions that return what they are given (no Python frame per parameter): bytes(b) is b
# itself, and {}.get maps any value to None. The values bound are unchanged: None is SQL NULL, bytes a BLOB.
_to_none: Callable[[None], None] = {}.get  # type: ignore[assignment]
sqlite3.register_adapter(type(None), _to_none)
sqlite3.register_adapter(bytes, bytes)


BUSY_MS = 30_000  # a connection waits this long for a lock before SQLite says "database is locked"
WRITE_WAIT = 600.0  # a writer starting a transaction retries this long (seconds) before giving up with one line


class WorkspaceError(Exception):
    """The workspace cannot be opened or is newer than this Vigil."""


class WorkspaceBusy(WorkspaceError):
    """Another process held the workspace's write lock for longer than a writer waits."""


@dataclass
class Workspace:
    """A workspace folder and the engine of its database (read_only: a reader's, which cannot write)."""

    path: Path
    engine: sa.Engine
    read_only: bool = False
    upgraded_from: str | None = None  # the schema revision a read command found and migrated, once

    @property
    def db_path(self) -> Path:
        """The SQLite file."""
        return self.path / DB_NAME

    def file(self, name: str) -> Path:
        """A user-editable file inside the workspace (lexicons, gazetteer, models)."""
        return self.path / name

    def close(self) -> None:
        """Release the database."""
        self.engine.dispose()


def _on_connect(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()
    # what the search index reads of a text (migration 0007, the writer's INSERT … SELECT)
    dbapi_conn.create_function("vigil_search_text", 1, search_text, deterministic=True)  # type: ignore[attr-defined]


def _on_connect_read(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute(f"PRAGMA busy_timeout={BUSY_MS}")  # a reader waits only while a checkpoint resets the WAL
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")  # temporary tables (search's scratch table) live in memory
    cur.close()


def make_engine(db_path: Path, read_only: bool = False) -> sa.Engine:
    """An SQLite engine with Vigil's pragmas on every connection; read_only opens the file with mode=ro."""
    if not read_only:
        engine = sa.create_engine(f"sqlite:///{db_path}", future=True)
        sa.event.listen(engine, "connect", _on_connect)
        return engine
    uri = f"{db_path.resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = sa.create_engine("sqlite://", creator=connect, future=True)
    sa.event.listen(engine, "connect", _on_connect_read)
    return engine


def is_busy(exc: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked" / "busy" (another connection holds the lock)."""
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError | sa.exc.OperationalError) and (
        "database is locked" in text or "database is busy" in text
    )


def begin_immediate(raw: sqlite3.Connection, wait: float = WRITE_WAIT) -> None:
    """BEGIN IMMEDIATE: take the write lock before reading, so no later write can fail on a stale snapshot.

    SQLite waits BUSY_MS for the lock; this retries until `wait` seconds have passed (another writer's long
    transaction, a `vigil triage`), then raises WorkspaceBusy with one line.
    """
    deadline = time.monotonic() + wait
    pause = 0.05
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                if is_busy(exc):
                    raise WorkspaceBusy(f"another process held the workspace's write lock for {wait:.0f} s") from exc
                raise
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


_REVISES = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def head_revision() -> str:
    """The newest migration revision shipped with this Vigil: the one no other revises (not the highest number)."""
    revises: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"):
        m = _REVISES.search(path.read_text(encoding="utf-8"))
        revises[path.stem.split("_", 1)[0]] = m.group(1) if m else None
    heads = set(revises) - {down for down in revises.values() if down}
    if len(heads) != 1:
        raise WorkspaceError(f"migrations have {len(heads)} heads ({', '.join(sorted(heads))}): one is expected")
    return heads.pop()


def _upgrade(engine: sa.Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        begin_immediate(raw)  # two processes opening an old workspace at once: the second finds it migrated
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")


def current_revision(engine: sa.Engine) -> str | None:
    """The workspace's migration revision, or None for a new database."""
    with engine.connect() as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if not exists:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


def open_workspace(path: str | Path | None = None, create: bool = True, write: bool = True) -> Workspace:
    """Open (and create, and migrate) a workspace; write=False opens it read-only for a read command.

    A missing folder is made only with create=True (ingest, demo): a mistyped path is an error, not a new empty
    workspace. A reader never creates a database, and migrates an older one only once, when this
    Vigil is newer than the workspace (the one write a read command may make; it says so through upgraded_from).
    """
    root = resolve_path(path)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root}: workspace must be a folder")
    create = create and write
    if not root.exists():
        if not create:
            raise WorkspaceError(f"{root}: no such workspace (`vigil ingest` or `vigil demo` creates one)")
        root.mkdir(parents=True)
    db = root / DB_NAME
    if not write and not db.exists():  # a writer may start the database in a folder made for it (lexicons first)
        raise WorkspaceError(f"{root}: not a Vigil workspace (no {DB_NAME} in it)")
    engine = make_engine(db, read_only=not write)
    rev = current_revision(engine)
    head = head_revision()
    if rev != head:
        known = {p.stem.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py")}
        if rev is not None and rev not in known:
            engine.dispose()
            raise WorkspaceError(f"{root}: workspace schema {rev} is newer than this Vigil ({head}); upgrade Vigil")
        if write:
            _upgrade(engine)
        else:
            engine.dispose()
            writer = make_engine(db)  # for the migration alone
            try:
                _upgrade(writer)
            finally:
                writer.dispose()
            engine = make_engine(db, read_only=True)
    if write:
        return Workspace(path=root, engine=engine)
    upgraded = rev if rev != head else None
    return Workspace(path=root, engine=engine, read_only=True, upgraded_from=upgraded)
