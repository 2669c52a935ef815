"""yt-dlp .info.json files as --write-info-json writes them (video, playlist folder, live) and a -J playlist dump."""

from __future__ import annotations

import json

from tests.sources.shapes import SHAPES, Read, read

from vigil.ingest.pipeline import ingest

WATER = "Water truck at the north gate [vidHarbor01]"


def test_video():
    r = read("ytdlp", "video", "Water truck at the north gate [vidHarbor01].info.json")
    assert r.format == "ytdlp" and not r.problems and list(r.posts) == ["youtube:vidHarbor01"]
    v = r.posts["youtube:vidHarbor01"]
    assert v.kind == "video" and v.title == "Water truck at the north gate" and v.text == "Filmed at the north gate."
    assert v.created_at.isoformat() == "2026-04-13T19:04:11+00:00"
    assert (v.metrics.views, v.metrics.likes, v.metrics.replies) == (15200, 640, 31)
    assert v.author.id == "UCharborvoices000000001" and v.url == "https://www.youtube.com/watch?v=vidHarbor01"


def test_live():
    r = read("ytdlp", "live", "LIVE - north gate [vidHarborLv].info.json")
    assert r.format == "ytdlp" and not r.problems
    live = r.posts["youtube:vidHarborLv"]
    assert live.kind == "live" and live.title == "LIVE: north gate"


def test_playlist_folder_its_videos_in_and_its_own_file_skipped(ws):
    (*videos, meta) = sorted(ingest(ws, [SHAPES / "ytdlp" / "playlist"]), key=lambda s: s.path.name.startswith("H"))
    assert [v.counts.new for v in videos] == [1, 1]
    assert meta.path.name.startswith("Harbor updates") and meta.counts.skipped == 1 and meta.counts.new == 0


def test_old_playlist_without_type_is_playlist_metadata():
    r = read("ytdlp", "old_playlist", "Harbor updates [PLharborvoices01].info.json")
    assert not r.posts and r.skipped


def test_dump_single_json_playlist_gives_its_videos():
    r = read("ytdlp", "dump_single_json", "playlist.json")
    assert r.format == "ytdlp" and not r.problems and not r.skipped
    assert sorted(r.posts) == ["youtube:vidHarbor01", "youtube:vidHarbor02"]
    own = read("ytdlp", "playlist", "Water truck at the north gate [vidHarbor01].info.json").posts[
        "youtube:vidHarbor01"
    ]
    dumped = r.posts["youtube:vidHarbor01"]  # the post its own .info.json gives: same fields, the entry as payload
    fields = ("kind", "title", "text", "created_at", "metrics", "author", "url", "hashtags", "lang")
    assert [getattr(dumped, f) for f in fields] == [getattr(own, f) for f in fields]
    assert (
        json.loads(dumped.raw)["id"] == "vidHarbor01"
        and dumped.raw in SHAPES.joinpath("ytdlp", "dump_single_json", "playlist.json").read_bytes()
    )


def test_dump_of_a_channel_reads_its_tabs_and_counts_flat_entries(tmp_path):
    video = json.loads(
        SHAPES.joinpath("ytdlp", "video", "Water truck at the north gate [vidHarbor01].info.json").read_text()
    )
    flat = {
        "_type": "url",
        "ie_key": "Youtube",
        "id": "vidHarbor09",
        "url": "https://www.youtube.com/watch?v=vidHarbor09",
    }
    tab = {
        "_type": "playlist",
        "id": "UCharborvoices000000001",
        "title": "Harbor Voices - Videos",
        "entries": [video, flat],
    }
    dump = {"_type": "playlist", "id": "UCharborvoices000000001", "extractor_key": "YoutubeTab",
            "webpage_url": "https://www.youtube.com/@harborvoices", "entries": [tab]}  # fmt: skip
    path = tmp_path / "channel.json"
    path.write_text(json.dumps(dump))
    r = Read(path)
    assert list(r.posts) == ["youtube:vidHarbor01"] and r.skipped == [
        "1 flat entry of a yt-dlp -J dump (a URL and a title; no video metadata)"
    ]
