"""Open a workspace: its folder, its SQLite database (WAL, FTS5) and its schema at the newest migration."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from vigil.text.normalise import search_text

DEFAULT_WORKSPACE = "vigil-data"
DB_NAME = "vigil.db"
MIGRATIONS = Path(__file__).parent / "migrations"


# sqlite3 binds None and bytes after looking for an adapter the slow way (two failed attribute lookups, each
# raising and formatting an AttributeError, ~0.8 µs a parameter); a registered adapter is found in one dict
# lookup. A stored post has ~10 NULL columns and a compressed payload, so writing 200k posts spends ~1 s less.
# The adapters are C functions that return what they are given (no Python frame per parameter): bytes(b) is b
# itself, and {}.get maps any value to None. The values bound are unchanged: None is SQL NULL, bytes a BLOB.
_to_none: Callable[[None], None] = {}.get  # type: ignore[assignment]
sqlite3.register_adapter(type(None), _to_none)
sqlite3.register_adapter(bytes, bytes)


class WorkspaceError(Exception):
    """The workspace cannot be opened or is newer than this Vigil."""


@dataclass
class Workspace:
    """A workspace folder and the engine of its database."""

    path: Path
    engine: sa.Engine

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


def resolve_path(path: str | Path | None) -> Path:
    """--workspace, else $VIGIL_WORKSPACE, else ./vigil-data."""
    chosen = path or os.environ.get("VIGIL_WORKSPACE") or DEFAULT_WORKSPACE
    return Path(chosen).expanduser()


def _on_connect(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()
    # what the search index reads of a text (migration 0007, the writer's INSERT … SELECT)
    dbapi_conn.create_function("vigil_search_text", 1, search_text, deterministic=True)  # type: ignore[attr-defined]


def make_engine(db_path: Path) -> sa.Engine:
    """An SQLite engine with Vigil's pragmas on every connection."""
    engine = sa.create_engine(f"sqlite:///{db_path}", future=True)
    sa.event.listen(engine, "connect", _on_connect)
    return engine


def head_revision() -> str:
    """The newest migration revision shipped with this Vigil."""
    names = sorted(p.stem for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    return names[-1].split("_", 1)[0]


def _upgrade(engine: sa.Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
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


def open_workspace(path: str | Path | None = None, create: bool = True) -> Workspace:
    """Open (and create, and migrate) a workspace."""
    root = resolve_path(path)
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root}: workspace must be a folder")
    if not root.exists():
        if not create:
            raise WorkspaceError(f"{root}: no such workspace")
        root.mkdir(parents=True)
    engine = make_engine(root / DB_NAME)
    rev = current_revision(engine)
    head = head_revision()
    if rev != head:
        known = {p.stem.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py")}
        if rev is not None and rev not in known:
            raise WorkspaceError(f"{root}: workspace schema {rev} is newer than this Vigil ({head}); upgrade Vigil")
        _upgrade(engine)
    return Workspace(path=root, engine=engine)
