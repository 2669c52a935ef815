from __future__ import annotations

import sqlite3

import vigil.store.engine  # noqa: F401 - registers the NULL and bytes adapters


def test_none_still_binds_as_sql_null_through_the_fast_adapter(ws):
    assert (type(None), sqlite3.PrepareProtocol) in sqlite3.adapters
    con = sqlite3.connect(ws.db_path)
    con.execute("CREATE TEMP TABLE t(a, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(None, 1), ("x", None)])
    assert con.execute("SELECT typeof(a), typeof(b) FROM t ORDER BY rowid").fetchall() == [
        ("null", "integer"),
        ("text", "null"),
    ]
    assert con.execute("SELECT count(*) FROM t WHERE a IS NULL").fetchone() == (1,)
    con.close()


def test_bytes_still_bind_as_the_same_blob_through_the_fast_adapter(ws):
    assert (bytes, sqlite3.PrepareProtocol) in sqlite3.adapters
    data = bytes(range(256)) + b"\x00<script>"
    con = sqlite3.connect(ws.db_path)
    con.execute("CREATE TEMP TABLE t(a, b)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(data, b""), (None, memoryview(b"mv"))])
    assert con.execute("SELECT typeof(a), a, typeof(b), b FROM t ORDER BY rowid").fetchall() == [
        ("blob", data, "blob", b""),
        ("null", None, "blob", b"mv"),
    ]
    con.close()
