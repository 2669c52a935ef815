"""Mastodon account exports as downloaded: the .zip of Mastodon 4.2+, the .tar.gz before it, and damaged outboxes."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from tests.sources.shapes import SHAPES, Read

from vigil.ingest.pipeline import detect, ingest
from vigil.records import Scope
from vigil.sources.base import ImportOptions

ARCHIVE = SHAPES / "mastodon" / "archive"
MEDIA = "media_attachments/files/112/233/445/566/770/001/original/t.jpg"
ORIGINAL = "mastodon:https://harbor.social/users/mira/statuses/112233445566778899"
SERVER_PATH = "/home/mastodon/live/public/system/"  # Paperclip's file path on a server storing media locally


def _files() -> dict[str, bytes]:
    return {n: (ARCHIVE / n).read_bytes() for n in ("outbox.json", MEDIA, "likes.json", "bookmarks.json", "actor.json")}


def _zip(path: Path) -> Path:
    """The members in the order BackupService#build_zip_file writes them (outbox, media, likes, bookmarks, actor)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _files().items():
            zf.writestr(name, data)
    return path


def _tar_member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o444
    tar.addfile(info, io.BytesIO(data))


def _old_tar(path: Path) -> Path:
    """Before 4.1: one gzip stream; media first under their server paths, then outbox, likes, bookmarks, actor."""
    files = _files()
    with tarfile.open(path, "w:gz") as tar:
        _tar_member(tar, SERVER_PATH + MEDIA, files.pop(MEDIA))
        for name, data in files.items():
            _tar_member(tar, name, data)
    return path


def _split_tar(path: Path) -> Path:
    """4.1: outbox.json's header and body as gzip members of their own, then the rest of the tar in a third."""
    files = _files()
    outbox = files.pop("outbox.json")
    info = tarfile.TarInfo("outbox.json")
    info.size, info.mode = len(outbox), 0o444
    body = io.BytesIO()
    with tarfile.open(fileobj=body, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            _tar_member(tar, name, data)
    with path.open("wb") as fh:
        fh.write(gzip.compress(info.tobuf(tarfile.USTAR_FORMAT), compresslevel=0))
        fh.write(gzip.compress(outbox + b"\0" * ((512 - len(outbox) % 512) % 512)))
        fh.write(gzip.compress(body.getvalue()))
    return path


@pytest.mark.parametrize("build", [_zip, _old_tar, _split_tar])
def test_downloaded_archive_reads_as_the_folder(tmp_path, build):
    path = build(tmp_path / ("archive-20260414-ab12.zip" if build is _zip else "archive-20260414-ab12.tar.gz"))
    folder, r = Read(ARCHIVE), Read(path)
    assert r.format == "mastodon" and not r.problems and sorted(r.posts) == sorted(folder.posts)
    for uid, post in folder.posts.items():
        assert r.posts[uid].text == post.text and r.posts[uid].raw == post.raw
    [m] = r.posts[ORIGINAL].media
    assert m.sha256 == folder.posts[ORIGINAL].media[0].sha256 and m.path.endswith(MEDIA)
    assert r.records[-1] == Scope(kind="account", key="mastodon:mira@harbor.social")


def test_tar_gz_is_not_refused_as_binary(tmp_path):
    unit = detect(_old_tar(tmp_path / "archive.tar.gz"), ImportOptions())
    assert unit.importer is not None and unit.importer.name == "mastodon"


def test_a_damaged_activity_is_one_error_and_the_others_come_in(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("actor.json", "likes.json"):
        (folder / name).write_bytes((ARCHIVE / name).read_bytes())
    outbox = (ARCHIVE / "outbox.json").read_bytes()
    bad = outbox.replace(b'"totalItems":3}', b'"totalItems":3 3}', 1)  # in the second activity
    assert bad != outbox
    (folder / "outbox.json").write_bytes(bad)
    r = Read(folder)
    assert len(r.posts) == 2 and ORIGINAL in r.posts
    [problem] = r.problems
    assert problem.where.startswith("outbox.json, item 2, line 1") and "bad JSON" in problem.message
    assert not any(isinstance(x, Scope) for x in r.records)  # a damaged export is not the account's complete set


def test_a_truncated_download_keeps_what_came_before(tmp_path, ws):
    whole = _old_tar(tmp_path / "whole.tar.gz").read_bytes()
    cut = tmp_path / "archive.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    [res] = ingest(ws, [cut])
    assert res.format == "mastodon" and res.counts.errors and "truncated" in res.counts.errors[0]


def test_a_boost_of_ones_own_private_post_stores_the_inline_post_and_other_activities_are_skipped(tmp_path):
    outbox = json.loads((ARCHIVE / "outbox.json").read_text())
    note = dict(outbox["orderedItems"][0]["object"], id="https://harbor.social/users/mira/statuses/9", url=None)
    boost = {
        "id": "https://harbor.social/users/mira/statuses/10/activity",
        "type": "Announce",
        "actor": "https://harbor.social/users/mira",
        "published": "2026-04-15T08:00:00Z",
        "object": note,
    }
    outbox["orderedItems"] += [boost, {"id": "https://harbor.social/x", "type": "Like", "object": "https://x"}]
    path = tmp_path / "outbox.json"  # alone: no actor.json beside it, the author comes from the actor URI
    path.write_text(json.dumps(outbox))
    r = Read(path)
    assert not r.problems and r.skipped == ["item 5: a Like activity, not a post"]
    inline, repost = r.posts["mastodon:" + note["id"]], r.posts["mastodon:" + boost["id"]]
    assert inline.text.startswith("Water truck") and repost.repost_of == inline.uid and repost.kind == "repost"
    assert repost.author.handle == inline.author.handle == "mira@harbor.social"
