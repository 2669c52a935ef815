"""Large one-document files (a full Telegram export, a yt-dlp -J dump, a search response) are read item by item.

Each is read with the streaming threshold at 0 and compared with the whole reading; damage inside a nested array
costs that item alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import DATA
from tests.sources.streaming import telegram_posts_and_peak

import vigil.sources.base as base
import vigil.sources.telegram.importer as telegram
import vigil.sources.ytdlp.importer as ytdlp
from vigil.records import Post, Problem, Scope, Skipped
from vigil.sources import arrays
from vigil.sources.base import Importer, ImportOptions
from vigil.sources.mastodon.importer import MastodonImporter
from vigil.sources.twitter_v1.importer import TwitterV1Importer

IMPORTERS: dict[str, type[Importer]] = {
    "telegram": telegram.TelegramImporter,
    "ytdlp": ytdlp.YtDlpImporter,
    "twitter_v1": TwitterV1Importer,
    "mastodon": MastodonImporter,
}
FIXTURES = [
    ("telegram", DATA / "telegram" / "full_export.json"),
    ("telegram", DATA / "telegram" / "chat_name_number.json"),
    ("telegram", DATA / "telegram" / "wrong_typed_parts.json"),
    ("ytdlp", DATA / "shapes" / "ytdlp" / "dump_single_json" / "playlist.json"),
    ("ytdlp", DATA / "ytdlp" / "North Voices - Videos.info.json"),
    ("ytdlp", DATA / "ytdlp" / "Harbor Voices - Videos (old).info.json"),
    ("ytdlp", DATA / "shapes" / "ytdlp" / "video" / "Water truck at the north gate [vidHarbor01].info.json"),
    ("twitter_v1", DATA / "shapes" / "twitter_v1" / "search_tweets.json"),
    ("twitter_v1", DATA / "twitter_v1" / "search_response.json"),
    ("mastodon", DATA / "shapes" / "mastodon" / "search_v2.json"),
    ("mastodon", DATA / "mastodon" / "search_v2.json"),
]


def read(name: str, path: Path) -> list:
    importer = IMPORTERS[name]()
    return list(importer.iter_records(path, ImportOptions()))


def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every one-document file over 0 bytes is streamed."""
    for module in (base, telegram, ytdlp):
        monkeypatch.setattr(module, "STREAM_BYTES", 0)


@pytest.mark.parametrize(("name", "path"), FIXTURES, ids=lambda p: p if isinstance(p, str) else p.name)
def test_streamed_and_whole_give_the_same_records(name: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read(name, path)
    assert any(isinstance(r, Post | Skipped) for r in whole)
    streamed(monkeypatch)
    assert [repr(r) for r in read(name, path)] == [repr(r) for r in whole]


def _message(chat: int, i: int, pad: int = 0) -> dict:
    return {
        "id": i,
        "type": "message",
        "date": "2026-03-01T10:00:00",
        "date_unixtime": str(1772359200 + i),
        "from": "Noor",
        "from_id": f"user{chat}",
        "text": f"Water at the school, message {i}" + " هنا" * pad,
    }


def _full_export(chats: list[dict], indent: int | None = 1) -> str:
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 1, "first_name": "Test", "bio": "[not a list] {nor an object"},
        "contacts": {"about": "x", "list": [{"user_id": 9, "first_name": "Dana", "phone_number": "+1"}]},
        "frequent_contacts": {"about": "x", "list": [{"id": 9, "category": "people", "name": "Dana", "rating": 1.5}]},
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
        "left_chats": {"about": "x", "list": []},
        "other_data": {"about": "x", "ips": ["127.0.0.1"]},
    }
    return json.dumps(export, ensure_ascii=False, indent=indent)


def _chat(cid: int, n: int, order: tuple[str, ...] = ("name", "type", "id", "messages"), pad: int = 0) -> dict:
    values = {"name": f"Chat {cid}", "type": "private_group", "id": cid}
    values["messages"] = [_message(cid, i, pad) for i in range(1, n + 1)]  # type: ignore[assignment]
    return {k: values[k] for k in order}


def test_a_full_export_keeps_each_chat_and_says_where_a_message_is_damaged(tmp_path, monkeypatch) -> None:
    streamed(monkeypatch)
    text = _full_export([_chat(11, 3), _chat(12, 4), _chat(13, 2)])
    text = text.replace('"date_unixtime": "1772359202",', '"date_unixtime": "1772359202" x,', 2)
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    recs = read("telegram", path)
    posts = [r.id for r in recs if isinstance(r, Post)]
    assert posts == ["11/1", "11/3", "12/1", "12/3", "12/4", "13/1", "13/2"]
    problems = [r for r in recs if isinstance(r, Problem)]
    lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.endswith('" x,')]
    assert [p.where.split(", column")[0] for p in problems] == [
        f"chat 11, message 2, line {lines[0]}",
        f"chat 12, message 2, line {lines[1]}",
    ]
    assert all("not marked complete" in p.message for p in problems)
    assert [r.key for r in recs if isinstance(r, Scope)] == ["telegram:13"]  # only the chat read in full


def test_whole_and_streamed_agree_on_a_damaged_full_export(tmp_path, monkeypatch) -> None:
    text = _full_export([_chat(11, 3), _chat(12, 2)]).replace('"1772359203",', '"1772359203" 12 [,')
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    whole = read("telegram", path)
    assert [r.id for r in whole if isinstance(r, Post)] == ["11/1", "11/2", "12/1", "12/2"]
    streamed(monkeypatch)
    assert [repr(r) for r in read("telegram", path)] == [repr(r) for r in whole]


def test_a_chat_whose_header_follows_its_messages_is_read_in_a_second_pass(tmp_path, monkeypatch) -> None:
    streamed(monkeypatch)
    chats = [_chat(21, 2, ("messages", "id", "type", "name")), _chat(22, 2, ("type", "messages", "name", "id"))]
    path = tmp_path / "result.json"
    path.write_text(_full_export(chats, indent=None), encoding="utf-8")
    recs = read("telegram", path)
    assert [r.id for r in recs if isinstance(r, Post)] == ["21/1", "21/2", "22/1", "22/2"]
    assert [r.key for r in recs if isinstance(r, Scope)] == ["telegram:21", "telegram:22"]
    assert not [r for r in recs if isinstance(r, Problem)]


def test_a_truncated_full_export_keeps_what_came_before(tmp_path, monkeypatch) -> None:
    streamed(monkeypatch)
    text = _full_export([_chat(31, 3), _chat(32, 3)])
    path = tmp_path / "result.json"
    path.write_text(text[: text.index('"id": 2,', text.index('"id": 32'))], encoding="utf-8")
    recs = read("telegram", path)
    assert [r.id for r in recs if isinstance(r, Post)] == ["31/1", "31/2", "31/3", "32/1"]
    assert [r.key for r in recs if isinstance(r, Scope)] == ["telegram:31"]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where.startswith("chat 32, message 2, line ") and "truncated" in problem.message


def test_an_item_over_the_limit_is_skipped_and_the_next_ones_read(tmp_path, monkeypatch) -> None:
    streamed(monkeypatch)
    monkeypatch.setattr(arrays, "MAX_ITEM", 64 << 10)
    monkeypatch.setattr(arrays, "CHUNK", 16 << 10)
    messages = [_message(41, 1), _message(41, 2, pad=40_000), _message(41, 3)]
    for indent in (1, None):
        path = tmp_path / f"result{indent}.json"
        path.write_text(_full_export([{"name": "x", "type": "private_group", "id": 41, "messages": messages}], indent))
        recs = read("telegram", path)
        assert [r.id for r in recs if isinstance(r, Post)] == ["41/1", "41/3"]
        (problem,) = [r for r in recs if isinstance(r, Problem)]
        assert problem.where.startswith("chat 41, message 2, line ") and "over 0 MiB: skipped" in problem.message


def test_a_large_full_export_is_never_held_whole(tmp_path, monkeypatch) -> None:
    path = tmp_path / "result.json"
    path.write_text(_full_export([_chat(c, 1_000, pad=1_500) for c in range(1, 4)]), encoding="utf-8")
    size = path.stat().st_size
    assert size > 24 << 20  # over the 4 MiB chunks a window reads
    n, peak = telegram_posts_and_peak(path, monkeypatch)
    assert n == 3_000
    assert peak < size // 2, f"peak {peak:,} bytes for a {size:,}-byte file"


def _video(i: int) -> dict:
    return {
        "id": f"vid{i:08d}",
        "title": f"Report {i}",
        "description": f"Water at the school, day {i}",
        "extractor_key": "Youtube",
        "webpage_url": f"https://www.youtube.com/watch?v=vid{i:08d}",
        "timestamp": 1772359200 + i,
        "channel_id": "UCharbor",
        "channel": "Harbor",
        "_type": "video",
    }


def test_a_damaged_entry_of_a_compact_dump_costs_that_entry_alone(tmp_path, monkeypatch) -> None:
    streamed(monkeypatch)
    dump = {"_type": "playlist", "id": "PL1", "entries": [_video(i) for i in range(1, 5)], "title": "x"}
    text = json.dumps(dump).replace('"Report 2",', '"Report 2" oops,')
    path = tmp_path / "channel.json"
    path.write_text(text, encoding="utf-8")
    recs = read("ytdlp", path)
    assert [r.id for r in recs if isinstance(r, Post)] == ["vid00000001", "vid00000003", "vid00000004"]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where.startswith("entries[1], line 1, column ") and "bad JSON" in problem.message


@pytest.mark.parametrize("indent", [2, None], ids=["pretty", "compact"])
def test_a_damaged_status_of_a_search_response_costs_that_status_alone(tmp_path, monkeypatch, indent) -> None:
    streamed(monkeypatch)
    monkeypatch.setattr(base, "MAX_LINE", 100)  # (a compact response longer than a line may be)
    statuses = [
        {"id_str": str(i), "created_at": "Mon Apr 13 19:31:45 +0000 2026", "text": f"t{i}", "user": {"id_str": "7"}}
        for i in range(1, 4)
    ]
    text = json.dumps({"statuses": statuses, "search_metadata": {"count": 3}}, indent=indent)
    path = tmp_path / "search.json"
    path.write_text(text.replace('"t2"', '"t2" x'), encoding="utf-8")
    recs = read("twitter_v1", path)
    assert [r.id for r in recs if isinstance(r, Post)] == ["1", "3"]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where.startswith("statuses[1], line ") and "bad JSON" in problem.message


@pytest.mark.parametrize(("name", "path"), FIXTURES, ids=lambda p: p if isinstance(p, str) else p.name)
def test_damaged_documents_read_streamed_never_raise(name: str, path: Path, tmp_path, monkeypatch) -> None:
    import random
    import time

    from tests.sources.test_fuzz import MUTATIONS

    streamed(monkeypatch)
    monkeypatch.setattr(base, "MAX_LINE", 64)  # (a compact document is streamed too)
    rng = random.Random(f"{name}/{path.name}")
    data = path.read_bytes()
    target = tmp_path / path.name
    deadline = time.monotonic() + 1.0
    tried = 0
    while time.monotonic() < deadline or tried < 20:
        mutant = data
        for _ in range(rng.randint(1, 3)):
            mutant = rng.choice(MUTATIONS)(mutant, rng)
        target.write_bytes(mutant)
        recs = read(name, target)  # an exception here is the failure
        assert all(r.source == str(target) for r in recs if isinstance(r, Problem))  # each names the file
        tried += 1
