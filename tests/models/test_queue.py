"""The labelling queue's card: author, platform, local and UTC time, labels with their cues, the thread."""

from __future__ import annotations

from datetime import UTC, datetime

from typer.testing import CliRunner

from vigil.cli.main import app
from vigil.ingest.writer import CaptureWriter
from vigil.models import labels as human
from vigil.models.queue import card
from vigil.records import Author, Post
from vigil.store.engine import Workspace

PLUS3 = "+03:00"


def _load(ws: Workspace) -> None:
    parent = Post(
        platform="twitter", id="1", text="Shelling near the port since dawn #كفر_مدرا",
        created_at=datetime(2026, 3, 2, 7, 55, tzinfo=UTC), author=Author(id="7", handle="lina_h", name="Lina Haddad"),
        raw=b'{"id":"1"}',
    )  # fmt: skip
    reply = Post(
        platform="twitter", id="2", text="[bold]we need insulin[/bold] at the clinic", reply_to="twitter:1",
        created_at=datetime(2026, 3, 2, 8, 10, tzinfo=UTC), author=Author(id="8", handle="noor_writes", name="Noor"),
        url="https://x.com/noor_writes/status/2", raw=b'{"id":"2"}',
    )  # fmt: skip
    reply.enrichment = {"labels": ["plea", "shortages"], "cues": {"plea": ["we need"], "shortages": ["insulin"]}}
    orphan = Post(
        platform="telegram", id="c/3", text="still here", reply_to="telegram:c/99",
        created_at=datetime(2026, 3, 2, 22, 30, tzinfo=UTC), author=Author(id="c", handle=None, name="Harbour Channel"),
        raw=b'{"id":"3"}',
    )  # fmt: skip
    w = CaptureWriter(ws, "t", "test", None, None)
    w.write([parent, reply, orphan])
    w.finish()


def test_the_card_has_who_where_when_labels_with_cues_and_the_thread(ws):
    _load(ws)
    human.add(ws, "twitter:2", "eye", "Eyewitness")
    human.add(ws, "twitter:2", "eye", "Media")  # a relabel: the newest counts
    from vigil.dates import parse_zone

    c = card(ws, "twitter:2", parse_zone(PLUS3))
    assert c is not None
    assert (c.author, c.platform, c.local, c.utc) == (
        "@noor_writes (Noor)", "twitter", "2026-03-02 11:10 UTC+03:00", "2026-03-02 08:10 UTC",
    )  # fmt: skip
    assert c.triage == [("plea", ["we need"]), ("shortages", ["insulin"])] and c.human == [("eye", "Media")]
    assert c.parent == "@lina_h (Lina Haddad), 2026-03-02 07:55 UTC: Shelling near the port since dawn #كفر_مدرا"
    orphan = card(ws, "telegram:c/3")
    assert orphan is not None and orphan.author == "Harbour Channel" and orphan.local == "2026-03-02 22:30 UTC"
    assert orphan.parent is None and orphan.reply_to == "telegram:c/99"
    assert card(ws, "twitter:404") is None


def test_the_cli_shows_the_card_verbatim(ws):
    _load(ws)
    res = CliRunner().invoke(
        app, ["label", "--task", "t", "--labels", "a,b", "--tz", PLUS3], input="sq",  # skip the first post
        env={"VIGIL_WORKSPACE": str(ws.path), "COLUMNS": "200"},
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = res.output
    assert "@lina_h (Lina Haddad) · twitter · 2026-03-02 10:55 UTC+03:00 (2026-03-02 07:55 UTC)" in out
    assert "@noor_writes (Noor) · twitter · 2026-03-02 11:10 UTC+03:00 (2026-03-02 08:10 UTC)" in out
    assert "triage: plea (we need); shortages (insulin)" in out
    assert "replying to @lina_h (Lina Haddad), 2026-03-02 07:55 UTC: Shelling near the port since dawn" in out
    assert "[bold]we need insulin[/bold] at the clinic" in out  # the text as posted, never read as markup
