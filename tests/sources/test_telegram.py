from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest, plan
from vigil.records import Media, Post, Problem, Scope, Skipped
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.telegram.importer import TelegramImporter, message_text
from vigil.sources.telegram.types import TextPiece
from vigil.store.queries import PostFilter

EXPORT = DATA / "telegram" / "ChatExport_2026-03-02"
RESULT = EXPORT / "result.json"
FULL = DATA / "telegram" / "full_export.json"
PHOTO = EXPORT / "photos" / "photo_1@01-03-2026_14-05-09.png"
CHAT = "1700000001"


def read(path: Path) -> list:
    return list(TelegramImporter().iter_records(path, ImportOptions()))


def posts_of(recs: list) -> dict[str, Post]:
    return {r.id: r for r in recs if isinstance(r, Post)}


def export_by_uid(ws) -> dict[str, dict]:
    return {r["uid"]: r for r in iter_records(ws, PostFilter())}


def test_text_is_the_exact_concatenation_of_its_pieces():
    pieces = ["a  ", TextPiece(type="bold", text="B"), "\n", TextPiece(type="text_link", text="x", href="https://e")]
    assert message_text(pieces) == "a  B\nx"
    assert message_text("keep  typos ,as is ") == "keep  typos ,as is "


def test_messages_of_a_channel_export():
    recs = read(EXPORT)
    posts = posts_of(recs)
    problems = [r for r in recs if isinstance(r, Problem)]
    assert [r.reason for r in recs if isinstance(r, Skipped)] == ["telegram service message"]
    assert sorted(posts, key=lambda k: int(k.split("/")[1])) == [f"{CHAT}/{i}" for i in range(2, 12)]
    first = posts[f"{CHAT}/2"]
    assert first.text == "Shelling near the north gate, we are in the basment. Pleas send help"
    assert first.author.id == "channel1700000001" and first.author.name == "Harbor City Updates"
    assert first.created_at.isoformat() == "2026-03-01T12:05:09+00:00"  # date_unixtime, not the local date
    assert first.time_quality == "exact"
    assert first.metrics.likes == 7 and first.metrics.views is None
    rich = posts[f"{CHAT}/3"]
    assert rich.text == (
        "Evacuation route open: Coast Road until 18:00 #Harbor ask @harbor_rescue map: https://example.org/map details"
    )
    assert rich.hashtags == ["Harbor"] and rich.mentions == ["harbor_rescue"]
    assert rich.links == ["https://example.org/map", "https://example.org/details"]
    assert rich.metrics.likes is None
    fwd = posts[f"{CHAT}/4"]
    assert fwd.kind == "repost" and fwd.repost_of is None
    reply = posts[f"{CHAT}/5"]
    assert reply.kind == "reply" and reply.reply_to == f"telegram:{CHAT}/2"
    assert reply.text == "نحن بخير، الحمد لله. الماء مقطوع منذ يومين."
    assert posts[f"{CHAT}/6"].edited_at.isoformat() == "2026-03-01T13:30:00+00:00"
    no_unix = posts[f"{CHAT}/9"]
    assert no_unix.created_at.isoformat() == "2026-03-01T17:45:00+00:00" and no_unix.time_quality == "no-timezone"
    bad_date = posts[f"{CHAT}/11"]
    assert bad_date.created_at is None and bad_date.time_quality == "unknown"
    wheres = {p.where: p.message for p in problems}
    assert "not a YYYY-MM-DDTHH:MM:SS time" in wheres[f"chat {CHAT}, message 11 (id 11)"]
    assert "leaves the export folder" in wheres[f"chat {CHAT}, message 10 (id 10)"]
    assert "$.text" in wheres[f"chat {CHAT}, message 12 (id 12)"]  # bad shape: named, the rest goes on
    assert len(problems) == 3
    assert "not marked complete" in wheres[f"chat {CHAT}, message 12 (id 12)"]
    assert not [r for r in recs if isinstance(r, Scope)]  # message 12 was not read: no deletion is inferred


def test_raw_payload_is_each_message_verbatim():
    data = RESULT.read_bytes()
    for post in posts_of(read(EXPORT)).values():
        assert post.raw.startswith(b"{") and post.raw in data
        assert json.loads(post.raw)["id"] == int(post.id.split("/")[1])


def test_media_present_missing_placeholder_and_escaping():
    posts = posts_of(read(EXPORT))
    (photo,) = posts[f"{CHAT}/2"].media
    assert photo.type == "photo" and photo.path == "photos/photo_1@01-03-2026_14-05-09.png"
    assert photo.sha256 == hashlib.sha256(PHOTO.read_bytes()).hexdigest() and not photo.missing
    (absent,) = posts[f"{CHAT}/7"].media
    assert absent.missing and absent.path == "photos/photo_7@01-03-2026_16-00-00.jpg" and absent.sha256 is None
    (video,) = posts[f"{CHAT}/8"].media  # the placeholder thumbnail adds nothing
    assert video.type == "video" and video.missing and video.path is None
    (escaping,) = posts[f"{CHAT}/10"].media
    assert escaping.missing and escaping.path is None and escaping.sha256 is None


def test_symlink_out_of_the_export_is_refused(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not yours")
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    os.symlink(secret, export / "photos" / "photo_7@01-03-2026_16-00-00.jpg")
    recs = read(export)
    (media,) = posts_of(recs)[f"{CHAT}/7"].media
    assert media.missing and media.sha256 is None and media.path is None
    assert any("links outside" in r.message for r in recs if isinstance(r, Problem))


def test_full_export_reads_every_chat_and_left_chat():
    recs = read(FULL)
    posts = posts_of(recs)
    assert sorted(posts) == ["1500000003/3", "1600000002/11", "5550001/1", "5550001/2"]
    assert posts["5550001/1"].author.id == "user5550001" and posts["5550001/2"].author.id == "user1"
    assert posts["1500000003/3"].author.id == "channel1500000003"
    assert [r for r in recs if isinstance(r, Scope)] == [
        Scope(kind="chat", key="telegram:5550001"),
        Scope(kind="chat", key="telegram:1600000002"),
        Scope(kind="channel", key="telegram:channel1500000003"),
    ]
    assert sum(isinstance(r, Skipped) for r in recs) == 1
    assert not [r for r in recs if isinstance(r, Problem)]


def test_truncated_export_names_the_place_and_keeps_the_messages_before_it(tmp_path):
    data = RESULT.read_bytes()
    cut = data.index(b'"id": 6,')
    (tmp_path / "result.json").write_bytes(data[:cut])
    recs = read(tmp_path)
    problems = [r for r in recs if isinstance(r, Problem)]
    line = data[:cut].count(b"\n") + 1
    (problem,) = problems  # one line for the one damaged message
    assert problem.where.startswith(f"chat {CHAT}, message 6, line {line}, column ") and "truncated" in problem.message
    assert "deletions cannot be inferred" in problem.message
    assert sorted(posts_of(recs)) == [f"{CHAT}/{i}" for i in (2, 3, 4, 5)]
    assert not [r for r in recs if isinstance(r, Scope)]  # an incomplete chat says nothing about deletions
    whole = posts_of(read(EXPORT))
    assert all(p.raw == whole[k].raw for k, p in posts_of(recs).items())  # same raw: later re-ingest is unchanged


def test_not_json_at_all_is_one_problem(tmp_path):
    bad = tmp_path / "result.json"
    bad.write_text('{"name": "x", "messages": [ {"id": 1,, }]}')
    recs = read(bad)
    assert isinstance(recs[0], Problem) and recs[0].where.startswith("line 1, column ")
    assert not posts_of(recs)


def test_detection(tmp_path):
    imp = TelegramImporter()
    assert imp.detect(EXPORT, b"") == 95
    assert imp.detect(RESULT, read_head(RESULT)) == 95
    assert imp.detect(FULL, read_head(FULL)) >= 80
    assert imp.detect(DATA / "telegram", b"") == 0
    other = DATA / "twarc2" / "page_with_bad_line.jsonl"
    assert imp.detect(other, read_head(other)) == 0
    not_tg = tmp_path / "result.json"
    not_tg.write_text('{"result": [1, 2]}')
    assert imp.detect(tmp_path, b"") == 0
    units = list(plan([DATA / "telegram"], ImportOptions()))
    assert [(u.path.name, u.importer.name) for u in units] == [
        ("ChatExport_2026-03-02", "telegram"),  # the folder is claimed whole: its photos are not walked
        ("chat_name_number.json", "telegram"),
        ("damaged_message", "telegram"),
        ("full_export.json", "telegram"),
        ("wrong_typed_parts.json", "telegram"),
    ]


def test_ingest_export_and_reingest(ws):
    first = ingest(ws, [EXPORT])[0]
    assert first.format == "telegram"
    c = first.counts
    assert (c.new, c.updated, c.skipped, c.failed) == (10, 0, 1, 3)
    assert c.scopes == []  # message 12 could not be read: the capture is not complete
    recs = export_by_uid(ws)
    assert recs[f"telegram:{CHAT}/5"]["text"] == "نحن بخير، الحمد لله. الماء مقطوع منذ يومين."
    assert recs[f"telegram:{CHAT}/2"]["media"] == [
        {
            "type": "photo",
            "url": None,
            "path": "photos/photo_1@01-03-2026_14-05-09.png",
            "sha256": hashlib.sha256(PHOTO.read_bytes()).hexdigest(),
            "missing": False,
        }
    ]
    assert recs[f"telegram:{CHAT}/7"]["media"][0]["missing"] is True
    assert recs[f"telegram:{CHAT}/8"]["media"][0]["missing"] is True
    assert recs[f"telegram:{CHAT}/9"]["time_quality"] == "no-timezone"
    undated = recs[f"telegram:{CHAT}/11"]
    assert undated["time_quality"] == "unknown" and undated["created_at"] is None
    assert recs[f"telegram:{CHAT}/2"]["created_at"] == "2026-03-01T12:05:09Z"
    assert recs[f"telegram:{CHAT}/2"]["metrics"]["likes"] == 7
    assert recs[f"telegram:{CHAT}/2"]["author"]["id"] == "channel1700000001"
    again = ingest(ws, [EXPORT])[0].counts
    assert (again.new, again.updated, again.unchanged) == (0, 0, 10)
    assert all(r["versions"] == 1 and len(r["captures"]) == 2 for r in export_by_uid(ws).values())


def test_later_export_with_an_edit_makes_a_second_version(ws, tmp_path):
    ingest(ws, [EXPORT])
    later = tmp_path / "ChatExport_2026-03-03"
    shutil.copytree(EXPORT, later)
    result = later / "result.json"
    text = result.read_text(encoding="utf-8")
    assert text.count("Bridge closed (update: reopened at 15:30)") == 2
    result.write_text(text.replace("reopened at 15:30", "reopened at 15:45"), encoding="utf-8")
    c = ingest(ws, [later])[0].counts
    assert (c.new, c.updated, c.unchanged) == (0, 1, 9)
    rec = export_by_uid(ws)[f"telegram:{CHAT}/6"]
    assert rec["versions"] == 2 and rec["edited"] is True
    assert rec["text"] == "Bridge closed (update: reopened at 15:45)"


def test_html_export_is_one_clear_problem(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "messages.html").write_text("<html><body><div class='message'>hi</div></body></html>")
    (tmp_path / "messages2.html").write_text("<html></html>")
    units = list(plan([tmp_path], ImportOptions()))
    assert [(u.path, u.importer.name) for u in units] == [(tmp_path, "telegram")]
    (problem,) = read(tmp_path)
    assert isinstance(problem, Problem) and "Machine-readable JSON" in problem.message


@pytest.mark.parametrize("value", ["/etc/passwd", "C:/Users/x/photo.jpg", "photos/../../x.jpg", "..\\x.jpg"])
def test_paths_that_leave_the_export_are_refused(tmp_path, value):
    chat = {
        "name": "c",
        "type": "private_group",
        "id": 7,
        "messages": [
            {
                "id": 1,
                "type": "message",
                "date": "2026-03-01T10:00:00",
                "date_unixtime": "1772359200",
                "from": "A",
                "from_id": "user9",
                "photo": value,
                "text": "hi",
            }
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(chat))
    recs = read(tmp_path)
    (post,) = posts_of(recs).values()
    assert post.text == "hi" and post.media[0].missing and post.media[0].path is None
    assert [r.where for r in recs if isinstance(r, Problem)] == ["chat 7, message 1 (id 1)"]


def test_absurd_unix_time_is_a_problem_not_a_crash(tmp_path):
    base = {"type": "message", "from": "A", "from_id": "user9", "text": "x"}
    msgs = [
        {**base, "id": 1, "date_unixtime": "99999999999999999"},
        {**base, "id": 2, "date_unixtime": "soon", "date": "2026-03-01T10:00:00"},
        {**base, "id": 3, "date": "2026-03-01T10:00:00", "date_unixtime": "1772359200", "edited": "yesterday"},
    ]
    (tmp_path / "result.json").write_text(json.dumps({"type": "private_group", "id": 7, "messages": msgs}))
    recs = read(tmp_path)
    posts = posts_of(recs)
    assert posts["7/1"].time_quality == "unknown" and posts["7/1"].created_at is None
    assert posts["7/2"].time_quality == "no-timezone"
    assert posts["7/3"].time_quality == "exact" and posts["7/3"].edited_at is None
    problems = [(r.where, r.message) for r in recs if isinstance(r, Problem)]
    assert problems == [
        ("chat 7, message 1 (id 1)", "date_unixtime '99999999999999999' is not Unix seconds"),
        ("chat 7, message 3 (id 3)", "edited 'yesterday' is not a YYYY-MM-DDTHH:MM:SS time"),
    ]


def test_a_message_missing_from_a_later_channel_export_counts_as_deleted(ws, tmp_path):
    from vigil.store.deletions import absences

    def export_without(name: str, ids: tuple[int, ...]) -> Path:
        folder = tmp_path / name
        shutil.copytree(EXPORT, folder)
        chat = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        chat["messages"] = [m for m in chat["messages"] if m["id"] not in ids]
        (folder / "result.json").write_text(json.dumps(chat, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    ingest(ws, [EXPORT])  # message 12 unreadable: this capture is not complete and says nothing of deletions
    assert absences(ws) == []
    ingest(ws, [export_without("earlier", (12,))])  # complete
    ingest(ws, [export_without("later", (4, 12))])  # complete, without message 4
    assert [d.uid for d in absences(ws)] == [f"telegram:{CHAT}/4"]


@pytest.mark.parametrize(
    "note",
    [
        "(File not included. Change data exporting settings to download.)",
        "(File exceeds maximum size. Change data exporting settings to download.)",
        "(File unavailable, please try again later)",
    ],
)
def test_placeholders_are_missing_media_without_a_path(tmp_path, note):
    msg = {"id": 1, "type": "message", "date_unixtime": "1772359200", "from_id": "user9", "text": "", "file": note}
    (tmp_path / "result.json").write_text(json.dumps({"type": "private_group", "id": 7, "messages": [msg]}))
    recs = read(tmp_path)
    assert posts_of(recs)["7/1"].media == [Media(type="file", missing=True)]
    assert not [r for r in recs if isinstance(r, Problem)]
