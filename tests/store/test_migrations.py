"""Migrations: a 0001 workspace upgrades, reads and writes; downgrades keep the data, with foreign keys on."""

from __future__ import annotations

import hashlib
import zlib
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from vigil.ingest.writer import CaptureWriter
from vigil.records import AccountStatus, Author, Post
from vigil.store import schema
from vigil.store.engine import (
    DB_NAME,
    MIGRATIONS,
    Workspace,
    current_revision,
    head_revision,
    make_engine,
    open_workspace,
)
from vigil.store.payloads import FIRST_DICT_ID, ZSTD_MAGIC, packer_for, read_payload
from vigil.store.queries import PostFilter, iter_posts

DROPPED = {"ix_posts_priority", "ix_posts_story", "ix_posts_repost_of"}


def _migrate(engine: sa.Engine, rev: str, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # foreign keys stay on (make_engine's pragma), as on a desk's workspace: every downgrade must work with them
    with engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, rev)


def _post(i: int, text: str) -> Post:
    return Post(
        platform="twitter", id=str(i), text=text, created_at=datetime(2026, 3, 2, i, tzinfo=UTC),
        author=Author(id="7", handle="amal"), raw=f'{{"id":"{i}","text":"{text}"}}'.encode(),
    )  # fmt: skip


def _write(ws: Workspace, *posts: Post):
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write(list(posts))
    return w.finish()


def _indexes(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'").scalars())


def _versions(engine: sa.Engine) -> list[tuple[str, int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT uid, n, text FROM post_versions ORDER BY uid, n")]


def _captures(engine: sa.Engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT capture_id, uid FROM post_captures ORDER BY rowid")]


def _workspace_at_0001(path: Path) -> None:
    """What 0001 held: written at head, then every downgrade (each is tested to give what its revision had)."""
    path.mkdir()
    engine = make_engine(path / DB_NAME)
    _migrate(engine, "head")
    _write(Workspace(path, engine), _post(1, "road closed"), _post(2, "water at the school"))
    _migrate(engine, "0001", down=True)
    assert current_revision(engine) == "0001" and _indexes(engine) >= DROPPED
    assert [v[:2] for v in _versions(engine)] == [("twitter:1", 1), ("twitter:2", 1)]  # 0001's version-1 rows
    engine.dispose()


def test_a_0001_workspace_upgrades_reads_and_writes(tmp_path):
    path = tmp_path / "ws"
    _workspace_at_0001(path)
    ws = open_workspace(path)
    try:
        assert current_revision(ws.engine) == head_revision()
        assert not DROPPED & _indexes(ws.engine)
        assert {"ix_posts_account_time", "ix_posts_created_at"} <= _indexes(ws.engine)
        assert "ix_posts_account_uid" not in _indexes(ws.engine)
        assert "ix_post_captures_uid" not in _indexes(ws.engine)
        assert _captures(ws.engine) == [(1, "twitter:1"), (1, "twitter:2")]
        rows = [r for chunk in iter_posts(ws, PostFilter()) for r in chunk]
        assert [(r["uid"], r["text"], r["versions"]) for r in rows] == [
            ("twitter:1", "road closed", 1), ("twitter:2", "water at the school", 1)]  # fmt: skip
        again = _write(ws, _post(1, "road closed"), _post(2, "water at the school"))
        assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
        edit = _write(ws, _post(1, "road open for walkers"), _post(3, "new post"))
        assert (edit.new, edit.updated, edit.unchanged) == (1, 1, 0)
        old = _write(ws, _post(1, "road closed"))  # the old text read again: its 0001 row says it is history
        assert (old.new, old.updated, old.unchanged) == (0, 0, 1)
        assert _versions(ws.engine) == [
            ("twitter:1", 1, "road closed"), ("twitter:1", 2, "road open for walkers"),
            ("twitter:2", 1, "water at the school")]  # fmt: skip
    finally:
        ws.close()


def test_0002_downgrades_to_what_0001_had(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    try:
        _write(ws, _post(1, "road closed"), _post(2, "water at the school"))
        _write(ws, _post(1, "road open for walkers"))
        assert _versions(ws.engine) == [("twitter:1", 1, "road closed"), ("twitter:1", 2, "road open for walkers")]
        _migrate(ws.engine, "0001", down=True)
        assert current_revision(ws.engine) == "0001" and _indexes(ws.engine) >= DROPPED | {"ix_post_captures_uid"}
        assert _captures(ws.engine) == [(1, "twitter:1"), (1, "twitter:2"), (2, "twitter:1")]
        assert _versions(ws.engine) == [
            ("twitter:1", 1, "road closed"), ("twitter:1", 2, "road open for walkers"),
            ("twitter:2", 1, "water at the school")]  # fmt: skip
        _migrate(ws.engine, "head")
        assert current_revision(ws.engine) == head_revision() and not DROPPED & _indexes(ws.engine)
    finally:
        ws.close()


def _payloads(engine: sa.Engine) -> list[bytes]:
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT data FROM raw_payloads ORDER BY sha256")]


def _sample(i: int) -> bytes:
    words = ("shelling", "near", "the", "port", "water", "school", "north", "gate", "ambulance", "road")
    text = " ".join(words[(i * k) % len(words)] for k in range(1, 12))
    return f'{{"id": "{1000 + i}", "text": "{text}", "lang": "en", "author_id": "{i % 37}", "likes": {i}}}'.encode()


def test_0003_reads_zlib_payloads_of_0002_and_downgrades_zstd_payloads_to_zlib(tmp_path):
    path = tmp_path / "ws"
    path.mkdir()
    engine = make_engine(path / DB_NAME)
    _migrate(engine, "0002")
    with engine.begin() as conn:  # what 0002 stored: zlib streams
        for i in (1, 2):
            raw = _post(i, "old").raw
            conn.exec_driver_sql(
                "INSERT INTO raw_payloads(sha256, size, data) VALUES (?, ?, ?)",
                (hashlib.sha256(raw).hexdigest(), len(raw), zlib.compress(raw, 1)),
            )
    engine.dispose()
    ws = open_workspace(path)
    try:
        assert current_revision(ws.engine) == head_revision()
        samples = [_sample(i) for i in range(400)]
        packer = packer_for(ws.engine, "test", lambda: samples, "2026-03-02T00:00:00Z")
        assert packer.dictionary is not None and packer.dictionary.id == FIRST_DICT_ID
        w = CaptureWriter(ws, "new", "test", None, None, packer=packer)
        w.write([_post(3, "new"), _post(4, "newer")])
        w.finish()
        kinds = sorted(d[:4] == ZSTD_MAGIC for d in _payloads(ws.engine))
        assert kinds == [False, False, True, True]
        with ws.engine.connect() as conn:
            for i, text in ((1, "old"), (3, "new"), (4, "newer")):
                raw = _post(i, text).raw
                assert read_payload(conn, hashlib.sha256(raw).hexdigest()) == raw
        _migrate(ws.engine, "0002", down=True)
        assert all(d[:1] == b"x" for d in _payloads(ws.engine))  # all zlib again
        assert sorted(zlib.decompress(d) for d in _payloads(ws.engine)) == sorted(
            _post(i, t).raw for i, t in ((1, "old"), (2, "old"), (3, "new"), (4, "newer"))
        )
        _migrate(ws.engine, "head")
        assert current_revision(ws.engine) == head_revision()
    finally:
        ws.close()


def test_schema_py_matches_the_migrated_database(ws):
    with ws.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    fts = [d for d in diffs if isinstance(d, tuple) and d[0] == "remove_table" and d[1].name.startswith("posts_fts")]
    assert [d for d in diffs if d not in fts] == []  # FTS5 tables are made by raw SQL, outside the metadata


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())


def test_0005_adds_account_events_and_downgrades_to_what_0004_had(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    try:
        raw = b'{"did": "did:plc:x", "kind": "account", "account": {"active": false, "status": "suspended"}}'
        w = CaptureWriter(ws, "test", "test", None, None)
        w.write([_post(1, "road closed"), AccountStatus(account_uid="twitter:7", status="suspended", raw=raw)])
        w.finish()
        with ws.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT account_uid, status, raw_sha256 FROM account_events").all()
        assert [tuple(r) for r in rows] == [("twitter:7", "suspended", hashlib.sha256(raw).hexdigest())]
        _migrate(ws.engine, "0004", down=True)
        assert current_revision(ws.engine) == "0004" and "account_events" not in _tables(ws.engine)
        assert [r["uid"] for chunk in iter_posts(ws, PostFilter()) for r in chunk] == ["twitter:1"]
        _migrate(ws.engine, "head")
        assert current_revision(ws.engine) == head_revision() and "account_events" in _tables(ws.engine)
    finally:
        ws.close()


VOICE_COUNTS = (
    "EXPLAIN QUERY PLAN SELECT a.voice_id, count(*), min(p.created_at), max(p.created_at) FROM posts AS p "
    "JOIN accounts AS a ON p.account_uid = a.uid GROUP BY a.voice_id"
)


def _plan(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        return " | ".join(r[3] for r in conn.exec_driver_sql(VOICE_COUNTS))


def test_0006_counts_a_voices_posts_from_the_index_alone_and_downgrades_to_what_0005_had(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    try:
        _write(ws, _post(1, "road closed"), _post(2, "water at the school"))
        assert "COVERING INDEX ix_posts_account_time" in _plan(ws.engine)  # no posts row read per post
        _migrate(ws.engine, "0005", down=True)
        assert current_revision(ws.engine) == "0005"
        assert "ix_posts_account_uid" in _indexes(ws.engine) and "ix_posts_account_time" not in _indexes(ws.engine)
        assert "COVERING" not in _plan(ws.engine)
        _migrate(ws.engine, "0006")
        assert current_revision(ws.engine) == "0006" and "ix_posts_account_uid" not in _indexes(ws.engine)
        _migrate(ws.engine, "head")  # the writer records a capture's status (0008)
        assert len(_write(ws, _post(3, "new post")).errors) == 0
    finally:
        ws.close()


def test_0013_gives_captures_a_status_and_downgrades_without_it(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    try:
        _write(ws, _post(1, "road closed"))
        with ws.engine.begin() as conn:  # a capture whose ingest never ended, as an older Vigil left it
            conn.exec_driver_sql(
                "INSERT INTO captures(source, started_at, vigil_version) VALUES ('killed.jsonl', '2026-03-02', '0')"
            )
        _migrate(ws.engine, "0012", down=True)
        with ws.engine.connect() as conn:
            assert "status" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(captures)")}
        _migrate(ws.engine, "head")
        with ws.engine.connect() as conn:
            got = conn.exec_driver_sql("SELECT source, status FROM captures ORDER BY id").all()
        assert [tuple(r) for r in got] == [("test", "complete"), ("killed.jsonl", "interrupted")]
    finally:
        ws.close()


def _voices_and_accounts(engine: sa.Engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as conn:
        voices = conn.exec_driver_sql("SELECT id, name, role, place, manual FROM voices ORDER BY id").all()
        accounts = conn.exec_driver_sql("SELECT uid, handle, voice_id FROM accounts ORDER BY uid").all()
    return [tuple(r) for r in voices], [tuple(r) for r in accounts]


def test_0009_downgrades_with_foreign_keys_on_and_voices_present_and_upgrades_again(tmp_path):
    from vigil.watch.marks import acknowledge, list_marks, set_location
    from vigil.watch.voices import link

    ws = open_workspace(tmp_path / "ws")
    try:
        noor = Author(id="8", handle="noor", name="Noor", bio="Nurse at the north clinic")
        _write(ws, _post(1, "road closed"), _post(2, "water at the school"))
        _write(ws, Post(platform="telegram", id="5", text="clinic open", author=noor, raw=b'{"id":5}',
                        created_at=datetime(2026, 3, 2, 9, tzinfo=UTC)))  # fmt: skip
        _write(ws, Post(platform="twitter", id="9", text="on my way", author=noor, raw=b'{"id":9}',
                        created_at=datetime(2026, 3, 2, 10, tzinfo=UTC)))  # fmt: skip
        link(ws, ["twitter:8", "telegram:8"])  # one voice, two accounts: the voice another voice's accounts point at
        set_location(ws, "amal", "inside", actor="desk")
        acknowledge(ws, "amal", actor="desk")
        before = _voices_and_accounts(ws.engine)
        assert len(before[0]) >= 2 and len(before[1]) == 3 and all(a[2] is not None for a in before[1])
        assert len({a[2] for a in before[1]}) == 2  # noor's two accounts share a voice
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1

        _migrate(ws.engine, "0007", down=True)
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(voices)")}
            tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars())
        assert current_revision(ws.engine) == "0007"
        assert not {"location", "location_by", "location_at"} & columns and "watch_marks" not in tables
        assert _voices_and_accounts(ws.engine) == before  # every voice, account and link as it was
    finally:
        ws.close()

    ws = open_workspace(tmp_path / "ws")  # this Vigil upgrades it again, foreign keys on
    try:
        assert current_revision(ws.engine) == head_revision()
        assert _voices_and_accounts(ws.engine) == before
        assert list_marks(ws) == []  # where a voice is and the acknowledgements went with 0009: set them again
        assert set_location(ws, "amal", "inside", actor="desk") == 1 and acknowledge(ws, "amal").voice_id
        again = _write(ws, _post(3, "bridge open"))
        assert again.new == 1 and _voices_and_accounts(ws.engine)[1] == before[1]
    finally:
        ws.close()
