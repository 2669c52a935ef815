from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import Post, Problem, Skipped
from vigil.report.export import iter_records
from vigil.sources.base import ImportOptions, read_head
from vigil.sources.ytdlp.importer import YtDlpImporter
from vigil.sources.ytdlp.subtitles import plain_text, read_cues
from vigil.store.queries import PostFilter

YT = DATA / "ytdlp"
VIDEO = YT / "Harbor bridge report [vid0000001].info.json"
LIVE = YT / "live_north.info.json"
CLINIC = YT / "clinic_tour.info.json"
ROLLING = "الجسر الشمالي مقطوع\nنحتاج قوارب & أدوية\nالآن الآن"


def read(path: Path) -> list:
    return list(YtDlpImporter().iter_records(path, ImportOptions()))


def test_video_with_timestamp_takes_the_manual_subtitle_over_automatic_ones():
    [post] = read(VIDEO)
    assert isinstance(post, Post)
    assert (post.platform, post.id, post.kind) == ("youtube", "vid0000001", "video")
    assert post.text.endswith("boats are the only way acros.\n#Harbor")  # description verbatim, typo kept
    assert post.title == "Harbor bridge report — day 3"
    assert post.created_at.isoformat() == "2026-11-20T07:00:00+00:00" and post.time_quality == "exact"
    assert post.transcript == (
        "The north bridge is down since dawn.\nFamilies are waiting at the pier.\nWe counted forty people & two dogs."
    )
    assert post.author.id == "UCfictionaldesk000000001" and post.author.handle == "harbordesk"
    assert (post.metrics.views, post.metrics.likes, post.metrics.replies) == (1520, 88, 14)
    assert [m.type for m in post.media] == ["video", "photo"]
    assert post.media[0].url == "https://www.youtube.com/watch?v=vid0000001"
    assert post.hashtags == ["harbor", "bridge", "evacuation"] and post.lang == "en"
    assert post.raw == VIDEO.read_bytes()


def test_live_stream_with_upload_date_only_and_rolling_auto_captions_in_its_language():
    [post] = read(LIVE)
    assert post.kind == "live" and post.time_quality == "day"
    assert post.created_at.isoformat() == "2026-11-21T00:00:00+00:00"
    assert post.transcript == ROLLING  # the Arabic automatic captions, not the English ones; no repeats, no tags


def test_rolling_caption_rules():
    assert plain_text([["a b"], ["a b", "c d"], ["c d"], ["c d", "e"]]) == "a b\nc d\ne"
    assert plain_text([["x", "y"], ["x", "y", "z"]]) == "x\ny\nz"  # two-line overlap
    assert plain_text([["we are"], ["we are in the city"]]) == "we are in the city"  # growing line
    assert plain_text([["  spaced   out "], [""]]) == "spaced out"


def test_bad_vtt_is_a_problem_naming_file_and_line_and_the_post_is_kept():
    recs = read(CLINIC)
    problem, post = recs
    assert isinstance(problem, Problem) and problem.source.endswith("clinic_tour.en.vtt")
    assert problem.where == "line 6" and "00:00:4.00x" in problem.message
    assert isinstance(post, Post) and post.transcript is None
    assert (post.platform, post.id) == ("twitter", "1861000000000000001#video")
    assert post.metrics.shares == 40 and post.metrics.views is None


def test_unreadable_subtitles(tmp_path):
    no_header = tmp_path / "a.en.vtt"
    no_header.write_text("00:00:00.000 --> 00:00:01.000\nhi\n")
    assert read_cues(no_header).where == "line 1"
    not_utf8 = tmp_path / "b.en.vtt"
    not_utf8.write_bytes(b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nna\xefve\n")
    assert read_cues(not_utf8).where == "line 4"
    orphan = tmp_path / "c.en.vtt"
    orphan.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nok\n\njust text\n")
    assert read_cues(orphan).where == "line 6"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")


def test_srt_subtitle_and_local_thumbnail(tmp_path):
    info = tmp_path / "clip.info.json"
    shutil.copy(CLINIC, info)
    (tmp_path / "clip.en.srt").write_text(
        "1\n00:00:00,000 --> 00:00:02,000\nWe are still open.\n\n2\n00:00:02,000 --> 00:00:04,000\n"
        "Bring your prescriptions.\n"
    )
    (tmp_path / "clip.png").write_bytes(_png())
    [post] = read(info)
    assert post.transcript == "We are still open.\nBring your prescriptions."
    assert post.media[1].path == str(tmp_path / "clip.png")


def test_truncated_info_json_playlist_and_live_chat():
    [problem] = read(YT / "truncated.info.json")
    assert problem.where.startswith("line 1, column ") and "truncated" in problem.message
    assert [type(r) for r in read(YT / "North Voices - Videos.info.json")] == [Skipped]
    assert [type(r) for r in read(YT / "live_north.live_chat.json")] == [Skipped]


def test_detect():
    imp = YtDlpImporter()
    assert imp.detect(VIDEO, read_head(VIDEO)) == 95
    renamed = DATA / "bluesky" / "search_posts.json"
    assert imp.detect(renamed, read_head(renamed)) == 0
    for other in (DATA / "twarc2").iterdir():
        assert imp.detect(other, read_head(other)) == 0


def test_ingest_folder_export_and_reingest(ws):
    first = ingest(ws, [YT])
    by_name = {r.path.name: r for r in first}
    assert set(by_name) == {
        VIDEO.name,
        LIVE.name,
        CLINIC.name,
        "truncated.info.json",
        "North Voices - Videos.info.json",
        "Harbor Voices - Videos (old).info.json",
        "live_north.live_chat.json",
    }
    assert all(r.format == "ytdlp" for r in first)
    assert (by_name[CLINIC.name].counts.new, by_name[CLINIC.name].counts.failed) == (1, 1)
    assert by_name["truncated.info.json"].counts.failed == 1
    assert by_name["live_north.live_chat.json"].counts.skipped == 1
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert set(recs) == {"youtube:vid0000001", "youtube:live000002", "twitter:1861000000000000001#video"}
    live = recs["youtube:live000002"]
    assert (live["kind"], live["time_quality"], live["created_at"]) == ("live", "day", "2026-11-21T00:00:00Z")
    assert live["transcript"] == ROLLING and live["title"] == "بث مباشر من الحي الشمالي"
    assert recs["youtube:vid0000001"]["transcript"].startswith("The north bridge is down")
    assert recs["twitter:1861000000000000001#video"]["transcript"] is None
    again = ingest(ws, [YT])
    assert sum(r.counts.new + r.counts.updated for r in again) == 0
    assert sum(r.counts.unchanged for r in again) == 3
    assert all(r["versions"] == 1 for r in iter_records(ws, PostFilter()))


def test_wrong_value_type_is_not_called_truncated(tmp_path):
    bad = tmp_path / "odd.info.json"
    bad.write_text('{"id": "x1", "extractor_key": "Youtube", "timestamp": "yesterday"}')
    [problem] = read(bad)
    assert "timestamp" in problem.message and "truncated" not in problem.message


def test_a_tweets_video_is_its_own_post_not_a_version_of_the_tweet(ws, tmp_path):
    import json
    import sqlite3

    tweet = {
        "id": "1861000000000000001",
        "text": "We are still open. Bring prescriptions if you have them. https://t.co/x",
        "author_id": "99000001",
        "author": {"id": "99000001", "username": "north_clinic", "name": "North Clinic"},
        "created_at": "2026-11-20T10:20:00.000Z",
    }
    tweets = tmp_path / "tweets.jsonl"
    tweets.write_text(json.dumps(tweet) + "\n", encoding="utf-8")
    video = tmp_path / "clinic_tour.info.json"
    shutil.copy(CLINIC, video)
    for _ in range(2):  # tweet, video, tweet again, video again: nothing is an edit
        ingest(ws, [tweets])
        ingest(ws, [video])
    con = sqlite3.connect(ws.db_path)
    rows = con.execute("SELECT uid, kind, versions, title IS NOT NULL FROM posts ORDER BY uid").fetchall()
    assert rows == [
        ("twitter:1861000000000000001", "post", 1, 0),
        ("twitter:1861000000000000001#video", "video", 1, 1),
    ]
    assert con.execute("SELECT count(*) FROM post_versions").fetchone() == (0,)
