"""The demo data set: every export in examples/ comes in without a failure and tells the story it should."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES

from vigil import plugins
from vigil.cli.demo import example_sources
from vigil.ingest.pipeline import SourceResult, ingest
from vigil.records import Problem
from vigil.report.export import iter_records
from vigil.store.engine import Workspace, open_workspace
from vigil.store.queries import PostFilter

FORMATS = ("twarc2", "twitter_v1", "x_archive", "telegram", "bluesky", "mastodon", "ytdlp", "csv")
ARABIC = re.compile(r"[\u0600-\u06FF]")
FAREWELL = "قد تكون هذه رسالتي الأخيرة"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, list[SourceResult], list[Problem]]]:
    """The examples ingested once into a fresh workspace (module scope: the data set is read once)."""
    missing = [f for f in FORMATS if f not in plugins.importers()]
    if missing:
        pytest.skip(f"importers not registered yet: {', '.join(missing)}")
    ws = open_workspace(tmp_path_factory.mktemp("examples") / "ws")
    problems: list[Problem] = []
    results = ingest(ws, example_sources(EXAMPLES), on_problem=problems.append)
    yield ws, results, problems
    ws.close()


@pytest.fixture(scope="module")
def records(ingested: tuple[Workspace, list[SourceResult], list[Problem]]) -> dict[str, dict[str, Any]]:
    """Export records by uid."""
    return {r["uid"]: r for r in iter_records(ingested[0], PostFilter())}


def by_handle(records: dict[str, dict[str, Any]], handle: str) -> list[dict[str, Any]]:
    return sorted((r for r in records.values() if r["author"]["handle"] == handle), key=lambda r: r["created_at"])


def when(rec: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(rec["created_at"].replace("Z", "+00:00"))


def test_examples_are_small_and_fictional():
    files = [p for p in EXAMPLES.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 1_000_000
    text = "\n".join(p.read_text("utf-8") for p in files if p.suffix in (".json", ".jsonl", ".js", ".csv", ".md"))
    assert "Sarvan" in text and "fictional" in text.lower()
    hosts = set(re.findall(r"https?://([a-z0-9.-]+)", text))
    real = {
        "x.com",
        "t.co",
        "api.twitter.com",
        "mobile.twitter.com",
        "twitter.com",
        "bsky.app",
        "cdn.bsky.app",
        "www.youtube.com",
        "youtube.com",
        "i.ytimg.com",
        "tusky.app",
    }
    assert hosts - real <= {h for h in hosts if h.endswith(".example")}, hosts - real


def test_every_export_comes_in_without_a_failure(ingested):
    _, results, problems = ingested
    assert problems == []
    assert [r.counts.failed for r in results] == [0] * len(results)
    assert {r.format for r in results} == set(FORMATS)
    rel = [str(r.path.relative_to(EXAMPLES)) for r in results]
    assert rel.index("telegram/2026-03-04-export") < rel.index("telegram/2026-03-07-export")


def test_voices_platforms_and_languages(records):
    accounts = {r["author"]["handle"] or r["author"]["name"] for r in records.values()}
    assert len(accounts) >= 6
    assert {r["platform"] for r in records.values()} >= {"twitter", "telegram", "bluesky", "mastodon", "youtube"}
    arabic = [r for r in records.values() if ARABIC.search(r["text"])]
    english = [r for r in records.values() if not ARABIC.search(r["text"]) and " the " in r["text"]]
    assert len(arabic) >= 10 and len(english) >= 10
    for handle in ("lina_haddad_rn", "rana_khalil_news", "omar-nasser.bsky.social", "sami_aziz@masto.example"):
        assert by_handle(records, handle), handle


def test_one_post_deleted_by_jetstream_and_kept(records):
    deleted = {r["uid"]: r for r in records.values() if r["deleted_at"]}
    assert len(deleted) == 2  # this one, and Telegram message 9, absent from the later complete export
    gone = next(r for r in deleted.values() if r["platform"] == "bluesky")
    assert gone["text"].endswith("12 killed in the strike.")
    assert gone["deleted_at"] == "2026-03-03T07:40:02Z"
    assert deleted["telegram:1987654321/9"]["deleted_at"] is not None


def test_edited_posts_have_two_versions(ingested, records):
    ws = ingested[0]
    telegram = records["telegram:1987654321/7"]
    assert telegram["versions"] == 2 and telegram["edited"] is True
    assert telegram["text"].endswith("تصحيح: الطريق مفتوح للمشاة فقط، وليس للسيارات.")
    sami = [r for r in by_handle(records, "sami_aziz@masto.example") if r["versions"] == 2]
    assert len(sami) == 1 and "write your blood type on your arm" in sami[0]["text"]
    with ws.engine.connect() as conn:
        old = conn.exec_driver_sql(
            "SELECT text FROM post_versions WHERE uid = ? AND n = 1", (telegram["uid"],)
        ).scalar_one()
    assert old == "الطريق الساحلي مقطوع. لا تحاولوا الخروج من جهة باب البحر."


def test_the_deleted_telegram_message_is_absent_from_the_second_complete_export(ingested, records):
    ws = ingested[0]
    rumour = records["telegram:1987654321/9"]
    with ws.engine.connect() as conn:
        seen_by = [
            s
            for (s,) in conn.exec_driver_sql(
                "SELECT c.source FROM post_captures pc JOIN captures c ON c.id = pc.capture_id WHERE pc.uid = ?",
                (rumour["uid"],),
            )
        ]
        scopes = [s for (s,) in conn.exec_driver_sql("SELECT scopes FROM captures WHERE format = 'telegram'")]
    assert [Path(s).name for s in seen_by] == ["2026-03-04-export"]
    assert len(scopes) == 2 and all(s and "1987654321" in s and '"channel"' in s for s in scopes)


def test_silences_plea_then_alive_and_farewell_then_nothing(records):
    lina = by_handle(records, "lina_haddad_rn")
    gaps = [(a, b) for a, b in zip(lina, lina[1:], strict=False) if (when(b) - when(a)).total_seconds() > 36 * 3600]
    ((plea, alive),) = gaps
    assert "insulin" in plea["text"] and alive["text"].startswith("I'm alive")
    assert 48 <= (when(alive) - when(plea)).total_seconds() / 3600 <= 56
    channel = sorted((r for r in records.values() if r["platform"] == "telegram"), key=lambda r: r["created_at"])
    assert FAREWELL in channel[-1]["text"]
    last = max(r["created_at"] for r in records.values())
    assert (datetime.fromisoformat(last.replace("Z", "+00:00")) - when(channel[-1])).total_seconds() > 2 * 86400


def test_verbatim_typos_and_hostile_text(records):
    texts = [r["text"] for r in records.values()]
    assert any("we recieved 14 wounded" in t for t in texts)
    assert any(t.startswith("no electricty for 3 days") and "&amp;" not in t and "& one solar lamp" in t for t in texts)
    hostile = [t for t in texts if "<script>alert('sarvan')</script>" in t]
    assert len(hostile) == 1 and '<img src=x onerror="alert(1)">' in hostile[0]


def test_reach_media_and_video(records):
    plea = next(r for r in by_handle(records, "lina_haddad_rn") if "insulin" in r["text"])
    assert plea["metrics"]["likes"] == 21000 and plea["metrics"]["views"] == 384210
    photo = records["telegram:1987654321/4"]["media"][0]
    png = EXAMPLES / "telegram" / "2026-03-07-export" / photo["path"]
    assert photo["sha256"] == hashlib.sha256(png.read_bytes()).hexdigest() and not photo["missing"]
    assert records["telegram:1987654321/5"]["media"][0]["missing"] is True
    videos = {r["id"]: r for r in records.values() if r["platform"] == "youtube"}
    mariam, live = videos["q3RvT7sWb2E"], videos["Lx8pZ0aK4nQ"]
    assert "Mariam Odeh" in mariam["title"] and mariam["metrics"]["views"] == 100000
    assert mariam["transcript"].startswith("My name is Mariam Odeh")
    assert live["kind"] == "live" and live["time_quality"] == "day"
    lines = [x for x in live["transcript"].splitlines() if x.strip()]
    assert "الحافلات تتحرك الآن من بوابة الميناء القديم" in live["transcript"]
    assert "<c>" not in live["transcript"] and len(lines) == len(set(lines))


def test_reposts_carry_the_original_text(records):
    reposts = [r for r in records.values() if r["kind"] == "repost" and r["repost_of"]]
    assert len(reposts) >= 4
    for r in reposts:
        original = records.get(r["repost_of"])
        if original:
            assert r["text"] == original["text"], r["uid"]


def test_reingest_of_the_newest_exports_changes_nothing(ingested):
    ws = ingested[0]
    newest = [p for p in example_sources(EXAMPLES) if p.name not in ("bluesky", "mastodon", "telegram")]
    newest += [
        EXAMPLES / "bluesky" / "2026-03-07-jetstream-omar.jsonl",
        EXAMPLES / "mastodon" / "2026-03-07-sami-statuses.json",
        EXAMPLES / "telegram" / "2026-03-07-export",
    ]
    again = ingest(ws, newest)
    assert [(r.counts.new, r.counts.updated, r.counts.failed) for r in again] == [(0, 0, 0)] * len(again)


def test_reingest_of_everything_in_order_changes_nothing(ingested):
    ws = ingested[0]
    before = {r["uid"]: (r["versions"], r["metrics"]) for r in iter_records(ws, PostFilter())}
    again = ingest(ws, example_sources(EXAMPLES))
    assert sum(r.counts.new + r.counts.updated for r in again) == 0
    after = {r["uid"]: (r["versions"], r["metrics"]) for r in iter_records(ws, PostFilter())}
    assert after == before


def test_gazetteer_rows():
    rows = (EXAMPLES / "gazetteer.tsv").read_text("utf-8").splitlines()
    assert rows[0].split("\t") == ["name", "country", "lat", "lon", "aliases"]
    names: dict[str, list[str]] = defaultdict(list)
    for row in rows[1:]:
        name, country, lat, lon, aliases = row.split("\t")
        assert country == "ZZ" and 33 < float(lat) < 35 and 33 < float(lon) < 35
        names[name] = aliases.split("|")
    assert {"Sarvan", "Old Harbour", "Al-Nour", "Tel Sabah", "Karm al-Tin"} <= set(names)
    assert all(any(ARABIC.search(a) for a in al) for al in names.values())


def test_demo_twice(cli, tmp_path):
    missing = [f for f in FORMATS if f not in plugins.importers()]
    if missing:
        pytest.skip(f"importers not registered yet: {', '.join(missing)}")
    first = cli("demo", "--examples", str(EXAMPLES))
    assert first.exit_code == 0, first.stderr
    assert "gazetteer: copied gazetteer.tsv (8 places)" in first.stdout
    assert re.search(r"\d+ posts from \d+ accounts on [6-9] platforms", first.stdout)
    assert re.search(r"\b1 gone, \d+ quiet but outside", first.stdout)  # the news account a twarc2 page suspends
    assert "Sarvan News Now: gone, account suspended as of 2026-03-05 08:02 UTC" in first.stdout
    assert (tmp_path / "ws" / "gazetteer.tsv").read_bytes() == (EXAMPLES / "gazetteer.tsv").read_bytes()
    second = cli("demo", "--examples", str(EXAMPLES))
    assert second.exit_code == 0, second.stderr
    assert "gazetteer: keeping the workspace's own" in second.stdout
    assert "nothing new" in second.stdout


def test_ranas_long_post_is_quoted_whole_from_note_tweet_js(records):
    (post,) = [r for r in by_handle(records, "rana_khalil_news") if "Mill Street" in r["text"]]
    assert post["text"].startswith("The buses are gone.") and post["text"].endswith("again at 14:00.")
    assert "…" not in post["text"] and "t.co" not in post["text"] and len(post["text"]) > 500
