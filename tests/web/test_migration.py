"""Migration 0012: the desk's tables are created on upgrade and dropped on downgrade; nothing else changes."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from vigil.store.engine import MIGRATIONS, open_workspace

TABLES = {"web_users", "web_sessions", "login_attempts", "audit_log", "saved_filters", "assignments"}


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())


def test_0012_up_and_down(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "ws")
    try:
        assert _tables(ws.engine) >= TABLES
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with ws.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            script = ScriptDirectory.from_config(cfg)
            down = script.get_revision("0012").down_revision
            command.downgrade(cfg, str(down))
        left = _tables(ws.engine)
        assert not TABLES & left and {"posts", "human_labels", "voices"} <= left
        with ws.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        assert _tables(ws.engine) >= TABLES
    finally:
        ws.close()
