"""Search reads normalised text: Arabic letter forms, articles, clitics and endings; Latin accents; old workspaces."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, Post
from vigil.store.engine import MIGRATIONS, current_revision, head_revision, open_workspace
from vigil.store.queries import PostFilter, search

TEXTS = [
    "بدء إجلاء السكان من الحي الشرقي",  # 1: إجلاء with hamza
    "القصف مستمر على المدينة منذ الفجر",  # 2: القصف with the article
    "سقط ثلاثة قتلى وعشرات الجرحى في قَصْفٍ على السوق",  # 3: harakat inside a word
    "فقدوا الاتصال بعائلاتهم منذ يومين، وصلنا ٣ نداءات",  # 4: suffix وا, Arabic-Indic digit
    "Comienza la evacuación del barrio norte",  # 5: accent
    "The road to the port is closed",  # 6
]


def _post(i: int, text: str) -> Post:
    return Post(
        platform="twitter", id=str(i), text=text, created_at=datetime(2026, 3, 2, i, tzinfo=UTC),
        author=Author(id="7", handle="amal"), raw=f'{{"id":"{i}","text":"{text}"}}'.encode(),
    )  # fmt: skip


def _write(ws, posts):
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write(posts)
    w.finish()


@pytest.fixture
def ws(tmp_path):
    ws = open_workspace(tmp_path / "ws")
    _write(ws, [_post(i, t) for i, t in enumerate(TEXTS, 1)])
    yield ws
    ws.close()


def _ids(ws, query: str, **filters) -> list[str]:
    return sorted(h.row["uid"].split(":")[1] for h in search(ws, query, PostFilter(**filters)))


@pytest.mark.parametrize("filtered", [False, True])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("اجلاء", ["1"]),  # finds إجلاء
        ("إجلاء", ["1"]),
        ("قصف", ["2", "3"]),  # finds القصف and قَصْفٍ
        ("فقد", ["4"]),  # finds فقدوا
        ("3", ["4"]),  # finds ٣
        ("evacuacion", ["5"]),
        ("evacuación", ["5"]),
        ("port", ["6"]),
    ],
)
def test_a_query_finds_the_forms_people_write(ws, query, expected, filtered):
    assert _ids(ws, query, platforms=["twitter"] if filtered else []) == expected


@pytest.mark.parametrize("filtered", [False, True])
def test_snippets_show_and_mark_the_original_words(ws, filtered):
    hits = search(ws, "قصف", PostFilter(platforms=["twitter"] if filtered else []))
    snippets = {h.row["uid"]: h.snippet for h in hits}
    assert snippets["twitter:2"] == "\x02القصف\x03 مستمر على المدينة منذ الفجر"
    assert "\x02قَصْفٍ\x03" in snippets["twitter:3"]
    assert {h.row["text"] for h in hits} == {TEXTS[1], TEXTS[2]}  # the text verbatim


def test_an_edited_post_is_found_by_its_new_words_only(ws):
    _write(ws, [_post(2, "وصل الإسعاف إلى المستشفى")])
    assert _ids(ws, "قصف") == ["3"]
    assert _ids(ws, "اسعاف") == ["2"]


def test_an_old_workspace_is_reindexed_by_the_migration(tmp_path):
    ws = open_workspace(tmp_path / "old")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        _write(ws, [_post(i, t) for i, t in enumerate(TEXTS, 1)])  # stored by this Vigil, then taken back to 0006
        with ws.engine.connect() as conn, conn.begin():  # foreign keys on
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
        with ws.engine.begin() as conn:  # the index as a Vigil before 0007 wrote it: the texts as they are
            conn.execute(sa.text("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')"))
            old = conn.execute(sa.text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH '\"قصف\"'")).all()
        assert [r[0] for r in old] == []  # 0006 indexed the words as written: القصف, and قَصْفٍ cut at its marks
    finally:
        ws.close()
    ws = open_workspace(tmp_path / "old")
    try:
        assert current_revision(ws.engine) == head_revision()
        assert _ids(ws, "قصف") == ["2", "3"] and _ids(ws, "اجلاء") == ["1"]
    finally:
        ws.close()
