"""X archives that are damaged the ways real downloads are: big declared members, duplicate names, corrupt
deflate streams, links out of the archive, truncated or empty zips."""

from __future__ import annotations

import struct
import warnings
import zipfile
from pathlib import Path

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Post, Problem
from vigil.sources.base import ImportOptions
from vigil.sources.x_archive.importer import XArchiveImporter

ARCHIVE = DATA / "x_archive" / "archive"


def zipped(dest: Path, extra: list[tuple[str, bytes]] | None = None) -> Path:
    """The fixture archive as the zip X gives (data/…), with extra members appended."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: that is the point
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(ARCHIVE.rglob("*")):
                if p.is_file():
                    zf.write(p, str(p.relative_to(ARCHIVE)))
            for name, data in extra or []:
                zf.writestr(name, data)
    return dest


def read(path: Path) -> tuple[list[Post], list[Problem]]:
    recs = list(XArchiveImporter().iter_records(path, ImportOptions()))
    return [r for r in recs if isinstance(r, Post)], [r for r in recs if isinstance(r, Problem)]


def test_a_member_declaring_over_a_gib_is_refused_before_it_is_read(tmp_path):
    z = zipped(tmp_path / "big.zip")
    data = bytearray(z.read_bytes())
    # Patch the uncompressed size tweets.js declares (local header and central directory) to 1.1 GB.
    name = b"data/tweets.js"
    for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, pos + size_at, 1_100_000_000)
            pos = data.find(sig, pos + 4)
    z.write_bytes(bytes(data))
    posts, problems = read(z)
    assert any("declares 1.0 GiB" in p.message or "declares 1.1 GiB" in p.message for p in problems), problems
    assert all(p.where.startswith("data/") or p.where.startswith("member") for p in problems)


def test_two_members_named_tweets_js_are_both_read(tmp_path):
    second = (ARCHIVE / "data" / "tweets.js").read_text().replace("16000000000000000", "17000000000000000")
    z = zipped(tmp_path / "dup.zip", [("data/tweets.js", second.encode())])
    posts, problems = read(z)
    ids = {p.id for p in posts}
    assert any(i.startswith("16") for i in ids) and any(i.startswith("17") for i in ids)
    assert [p.where for p in problems] == ["member data/tweets.js"]


def test_a_corrupt_deflate_stream_in_a_photo_loses_only_the_photo(tmp_path):
    z = zipped(tmp_path / "photo.zip")
    data = bytearray(z.read_bytes())
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo("data/tweets_media/1600000000000000001-GateA1.jpg")  # the photo a tweet shows
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)  # (the local header's own)
    start = info.header_offset + 30 + name_len + extra_len
    data[start] = 0xFF  # a deflate block of the reserved type 11: zlib.error "invalid block type"
    z.write_bytes(bytes(data))
    posts, _ = read(z)
    assert len(posts) == 6  # four tweets and two deleted ones
    (gate,) = [p for p in posts if p.id == "1600000000000000001"]
    assert gate.media and gate.media[0].sha256 is None  # the photo could not be read: no hash


def test_tweets_js_linked_out_of_the_archive_folder_is_said(tmp_path):
    folder = tmp_path / "archive"
    (folder / "data").mkdir(parents=True)
    for name in ("account.js", "profile.js"):
        (folder / "data" / name).write_bytes((ARCHIVE / "data" / name).read_bytes())
    outside = tmp_path / "elsewhere.js"
    outside.write_bytes((ARCHIVE / "data" / "tweets.js").read_bytes())
    (folder / "data" / "tweets.js").symlink_to(outside)
    posts, problems = read(folder)
    assert posts == []
    assert any("link out of the archive" in p.message for p in problems)


def test_a_truncated_zip_is_said_so(cli, tmp_path):
    z = zipped(tmp_path / "twitter-2026-03-01.zip")
    data = z.read_bytes()
    z.write_bytes(data[: len(data) // 2])
    res = cli("ingest", str(z), workspace=tmp_path / "ws")
    assert res.exit_code == 1
    (err,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert "truncated zip" in err and "unknown format" not in err and "NUL" not in err


def test_an_empty_zip_is_said_so(cli, tmp_path):
    z = tmp_path / "twitter-empty.zip"
    zipfile.ZipFile(z, "w").close()
    res = cli("ingest", str(z), workspace=tmp_path / "ws")
    (err,) = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
    assert "empty zip" in err


def test_the_whole_zip_still_ingests(ws, tmp_path):
    (res,) = ingest(ws, [zipped(tmp_path / "ok.zip")])
    assert (res.format, res.counts.new, res.counts.failed) == ("x_archive", 6, 0)
