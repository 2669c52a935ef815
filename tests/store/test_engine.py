from __future__ import annotations

import sqlite3

import vigil.store.engine  # noqa: F401 - registers the NULL adapter


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
