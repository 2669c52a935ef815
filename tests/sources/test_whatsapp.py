from __future__ import annotations

import hashlib
import os
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest, plan
from vigil.records import Post, Problem, Skipped
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.whatsapp.files import MAX_CHAT
from vigil.sources.whatsapp.importer import WhatsAppImporter
from vigil.store.queries import PostFilter

HERE = DATA / "whatsapp"
ANDROID = HERE / "WhatsApp Chat with Harbor Group.txt"
US = HERE / "WhatsApp Chat with Sam Okafor.txt"
IOS = HERE / "ios_export"
PHOTO = IOS / "00000012-PHOTO-2026-04-13-21-04-11.jpg"
LRM = "\u200e"


def read(path: Path, **options: str) -> list:
    return list(WhatsAppImporter().iter_records(path, ImportOptions(**options)))  # type: ignore[arg-type]


def posts_of(recs: list) -> dict[str, Post]:
    return {r.id: r for r in recs if isinstance(r, Post)}


def problems_of(recs: list) -> list[Problem]:
    return [r for r in recs if isinstance(r, Problem)]


def zip_of(folder: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, p.name)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return target


def test_android_day_first_24h_chat():
    recs = read(ANDROID, tz="+02:00")
    posts = posts_of(recs)
    assert not problems_of(recs)
    assert [r.reason for r in recs if isinstance(r, Skipped)] == ["whatsapp system message"] * 6
    assert list(posts) == [
        "Harbor Group/2026-04-13T21:04/1",
        "Harbor Group/2026-04-13T21:04/2",
        "Harbor Group/2026-04-13T21:05/1",
        "Harbor Group/2026-04-13T21:06/1",
        "Harbor Group/2026-04-13T21:07/1",
        "Harbor Group/2026-04-14T07:16/1",
        "Harbor Group/2026-04-14T07:21/1",
    ]
    first = posts["Harbor Group/2026-04-13T21:04/1"]
    assert first.text == "Water truck at the school gate until 22:00\nbring containers"  # multi-line, kept whole
    assert first.author.handle == "Mira Haddad" and first.author.name == "Mira Haddad"
    assert first.author_uid == "whatsapp:Mira Haddad"
    assert first.created_at.isoformat() == "2026-04-13T19:04:00+00:00" and first.time_quality == "minute"
    assert first.raw == b"13/04/2026, 21:04 - Mira Haddad: Water truck at the school gate until 22:00\nbring containers"
    photo = posts["Harbor Group/2026-04-13T21:04/2"]
    assert photo.text == "IMG-20260413-WA0003.jpg (file attached)\nqueue at the gate right now"
    (m,) = photo.media
    assert m.type == "photo" and m.path == "IMG-20260413-WA0003.jpg" and m.missing  # exported without media
    (omitted,) = posts["Harbor Group/2026-04-13T21:05/1"].media
    assert omitted.missing and omitted.path is None
    assert posts["Harbor Group/2026-04-13T21:05/1"].author.handle == "+41 79 555 01 23"
    for uid in ("Harbor Group/2026-04-13T21:06/1", "Harbor Group/2026-04-13T21:07/1"):
        assert posts[uid].deleted_at == posts[uid].created_at
    assert posts["Harbor Group/2026-04-13T21:04/1"].deleted_at is None
    power = posts["Harbor Group/2026-04-14T07:16/1"]
    assert power.text.endswith("outages  ") and power.links == ["https://example.org/outages"]
    (voice,) = posts["Harbor Group/2026-04-14T07:21/1"].media
    assert voice.type == "audio" and voice.path == "PTT-20260414-WA0001.opus"


def test_without_tz_the_wall_clock_is_kept():
    posts = posts_of(read(ANDROID))
    assert posts["Harbor Group/2026-04-13T21:04/1"].created_at.isoformat() == "2026-04-13T21:04:00+00:00"
    kyiv = posts_of(read(ANDROID, tz="Europe/Kyiv"))  # summer time: UTC+3
    assert kyiv["Harbor Group/2026-04-13T21:04/1"].created_at.isoformat() == "2026-04-13T18:04:00+00:00"


def test_ios_folder_seconds_marks_and_media():
    recs = read(IOS)
    posts = posts_of(recs)
    assert not problems_of(recs)
    assert sum(isinstance(r, Skipped) for r in recs) == 3  # encryption notice, group created, left
    assert len(posts) == 6
    text = posts["ios_export/2026-04-13T21:04:11/1"]
    assert text.text == "Generator fuel for 6 hours left\nSecond line: we need diesel"
    assert text.time_quality == "second" and text.created_at.isoformat() == "2026-04-13T21:04:11+00:00"
    attached = posts["ios_export/2026-04-13T21:04:11/2"]  # same second: the position tells them apart
    assert attached.text == f"{LRM}<attached: 00000012-PHOTO-2026-04-13-21-04-11.jpg>"
    (m,) = attached.media
    assert m.type == "photo" and m.path == PHOTO.name and not m.missing
    assert m.sha256 == hashlib.sha256(PHOTO.read_bytes()).hexdigest()
    assert posts["ios_export/2026-04-13T21:06:40/1"].deleted_at is not None
    (video,) = posts["ios_export/2026-04-13T21:07:05/1"].media
    assert video.type == "video" and video.missing
    (audio,) = posts["ios_export/2026-04-14T06:31:12/1"].media
    assert audio.type == "audio" and audio.missing and audio.path == "00000015-AUDIO-2026-04-14-06-31-12.opus"


def test_ios_zip_is_read_in_place_and_named_by_the_chat(tmp_path):
    z = zip_of(IOS, tmp_path / "WhatsApp Chat - North Clinic.zip")
    assert WhatsAppImporter().detect(z, read_head(z)) == 90
    recs = read(z)
    posts = posts_of(recs)
    assert not problems_of(recs)
    assert sorted(posts) == sorted(k.replace("ios_export", "North Clinic") for k in posts_of(read(IOS)))
    (m,) = posts["North Clinic/2026-04-13T21:04:11/2"].media
    assert m.sha256 == hashlib.sha256(PHOTO.read_bytes()).hexdigest()


def test_twelve_hour_month_first_with_narrow_no_break_space():
    recs = read(US)
    assert not problems_of(recs)
    times = {k: p.created_at.isoformat() for k, p in posts_of(recs).items()}
    assert times == {
        "Sam Okafor/2026-04-13T21:04/1": "2026-04-13T21:04:00+00:00",
        "Sam Okafor/2026-04-13T21:05/1": "2026-04-13T21:05:00+00:00",
        "Sam Okafor/2026-04-13T23:58/1": "2026-04-13T23:58:00+00:00",
        "Sam Okafor/2026-04-14T00:03/1": "2026-04-14T00:03:00+00:00",  # 12:03 AM
        "Sam Okafor/2026-04-14T12:03/1": "2026-04-14T12:03:00+00:00",  # 12:03 PM
    }


def test_date_order_from_the_whole_file_or_the_option(tmp_path):
    late = tmp_path / "late.txt"  # only the last line shows the order: 13 can only be a day
    late.write_text("02/03/2026, 09:00 - Ada: a\n05/03/2026, 09:00 - Ada: b\n13/03/2026, 09:00 - Ada: c\n")
    assert [p.created_at.day for p in posts_of(read(late)).values()] == [2, 5, 13]
    keeps_time = tmp_path / "keeps.txt"  # no field over 12: month-first keeps the chat in time order
    keeps_time.write_text("01/12/2026, 09:00 - Ada: a\n02/01/2026, 09:00 - Ada: b\n")
    recs = read(keeps_time)
    assert not problems_of(recs)
    assert [p.created_at.date().isoformat() for p in posts_of(recs).values()] == ["2026-01-12", "2026-02-01"]
    recs = read(HERE / "ambiguous_chat.txt")
    (problem,) = problems_of(recs)
    assert problem.where == "dates" and "--date-order" in problem.message
    assert [p.created_at.month for p in posts_of(recs).values()] == [4, 4]
    forced = read(HERE / "ambiguous_chat.txt", date_order="mdy")
    assert not problems_of(forced) and [p.created_at.month for p in posts_of(forced).values()] == [3, 3]


def test_uids_stay_when_the_chat_grows_at_the_end(ws, tmp_path):
    grown = tmp_path / "WhatsApp Chat with Harbor Group.txt"
    shutil.copy(ANDROID, grown)
    early = tmp_path / "early" / "WhatsApp Chat with Harbor Group.txt"
    early.parent.mkdir()
    lines = ANDROID.read_text(encoding="utf-8").splitlines(keepends=True)
    early.write_text("".join(lines[:9]), encoding="utf-8")
    (first,) = ingest(ws, [early])
    assert first.counts.new == 3
    (second,) = ingest(ws, [grown])
    assert second.counts.new == 4 and second.counts.unchanged == 3
    uids = {r["uid"] for r in iter_records(ws, PostFilter())}
    assert "whatsapp:Harbor Group/2026-04-13T21:04/2" in uids and len(uids) == 7


def test_zip_safety(tmp_path):
    big = tmp_path / "WhatsApp Chat - North Clinic.zip"
    chat = (
        IOS / "_chat.txt"
    ).read_bytes() + "[14/04/2026, 07:00:00] Omar Saleh: \u200e<attached: ../secret.jpg>\r\n".encode()
    with zipfile.ZipFile(big, "w") as zf:
        zf.writestr("_chat.txt", chat)
        zf.writestr("../evil.jpg", b"outside")
        link = zipfile.ZipInfo(PHOTO.name)
        link.external_attr = 0o120777 << 16  # a symlink member named like the photo
        zf.writestr(link, "/etc/passwd")
    recs = read(big)
    messages = {p.where: p.message for p in problems_of(recs)}
    assert "escapes the archive" in messages["member ../evil.jpg"]
    posts = posts_of(recs)
    (linked,) = posts["North Clinic/2026-04-13T21:04:11/2"].media
    assert linked.missing and linked.sha256 is None
    assert any("is a link" in m for m in messages.values())
    (climbing,) = posts["North Clinic/2026-04-14T07:00:00/1"].media
    assert climbing.missing and climbing.path is None
    assert any("not a plain file name" in m for m in messages.values())
    assert len(posts) == 7


def test_a_zip_declaring_a_huge_chat_is_refused_by_its_declared_size(tmp_path):
    z = zip_of(IOS, tmp_path / "WhatsApp Chat - North Clinic.zip")
    data = bytearray(z.read_bytes())
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + 9] != b"_chat.txt":
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, MAX_CHAT + 1)  # the uncompressed size the central directory declares
    z.write_bytes(bytes(data))
    recs = read(z)
    (problem,) = problems_of(recs)
    assert problem.where == "member _chat.txt" and "declares" in problem.message and not posts_of(recs)


def test_symlinked_media_out_of_the_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not yours")
    folder = tmp_path / "chat"
    shutil.copytree(IOS, folder)
    (folder / PHOTO.name).unlink()
    os.symlink(secret, folder / PHOTO.name)
    recs = read(folder)
    (m,) = posts_of(recs)["chat/2026-04-13T21:04:11/2"].media
    assert m.missing and m.sha256 is None
    assert any("links outside" in p.message for p in problems_of(recs))


def test_bad_bytes_and_lines_before_the_first_message(tmp_path):
    f = tmp_path / "_chat.txt"
    f.write_bytes(b"13/04/2026, 21:04 - Ada: caf\xe9 open\n13/04/2026, 21:05 - Ada: fine\n")
    recs = read(f)
    (problem,) = problems_of(recs)
    assert problem.where == "line 1" and "U+FFFD" in problem.message
    assert [p.text for p in posts_of(recs).values()] == ["caf\ufffd open", "fine"]
    assert posts_of(recs)[f"{tmp_path.name}/2026-04-13T21:04/1"].raw.endswith(b"caf\xe9 open")  # the bytes as given


def test_detect_claims_chats_not_other_texts(tmp_path):
    imp = WhatsAppImporter()
    assert imp.detect(ANDROID, read_head(ANDROID)) == 90
    assert imp.detect(IOS, b"") == 90
    other = tmp_path / "notes.txt"
    other.write_text("Meeting notes\n13/04/2026, 21:04 - not a chat after a first line\n")
    assert imp.detect(other, read_head(other)) == 0
    csv = DATA / "csv" / "sheet.csv"
    assert imp.detect(csv, read_head(csv)) == 0
    units = list(plan([IOS], ImportOptions()))
    assert [(u.path, u.importer.name) for u in units] == [(IOS, "whatsapp")]  # the folder whole, media not walked


def test_cli_ingest_with_tz_and_a_bad_tz(cli):
    res = cli("ingest", str(ANDROID), "--tz", "+03:00")
    assert res.exit_code == 0, res.output
    assert "whatsapp" in res.output
    res = cli("ingest", str(ANDROID), "--tz", "Mars/Olympus")
    assert res.exit_code == 2 and "unknown time zone" in res.output


@pytest.mark.parametrize("order", ["ymd", "x"])
def test_cli_rejects_a_bad_date_order(cli, order):
    res = cli("ingest", str(ANDROID), "--date-order", order)
    assert res.exit_code == 2


def test_a_chat_among_other_exports_does_not_claim_their_folder(tmp_path):
    shutil.copy(ANDROID, tmp_path / ANDROID.name)
    shutil.copy(DATA / "csv" / "sheet.csv", tmp_path / "sheet.csv")
    units = sorted(plan([tmp_path], ImportOptions()), key=lambda u: u.path.name)
    assert [(u.path.name, u.importer.name) for u in units] == [(ANDROID.name, "whatsapp"), ("sheet.csv", "csv")]
    unpacked = tmp_path / "WhatsApp Chat - North Clinic"
    shutil.copytree(IOS, unpacked)
    assert WhatsAppImporter().detect(unpacked, b"") == 90


def test_a_damaged_zip_keeps_the_messages_before_the_damage(tmp_path):
    lines = "".join(
        f"13/04/2026, {m // 60:02d}:{m % 60:02d} - Ada: message {m} {'x' * (m % 37)}\n" for m in range(1200)
    )
    z = tmp_path / "WhatsApp Chat - Big.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("_chat.txt", lines)
    data = bytearray(z.read_bytes())
    start = data.index(b"_chat.txt") + len(b"_chat.txt")  # the local header's name; the deflate stream follows
    end = data.index(b"PK\x01\x02")
    cut = start + (end - start) * 3 // 4
    data[cut : cut + 64] = bytes(64)  # zeroes inside the compressed stream
    z.write_bytes(bytes(data))
    recs = read(z)
    posts = posts_of(recs)
    problems = problems_of(recs)
    assert 0 < len(posts) < 1200 and len(problems) == 1
    assert problems[0].where.startswith("after line ") and "damaged zip member" in problems[0].message
    assert list(posts)[0] == "Big/2026-04-13T00:00/1"
