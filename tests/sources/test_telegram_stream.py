"""A large one-chat Telegram export is read message by message: the same records as read whole, damage per message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import DATA
from tests.sources.streaming import telegram_posts_and_peak

import vigil.sources.telegram.importer as telegram
from vigil.records import Post, Problem, Scope
from vigil.sources.base import ImportOptions

FIXTURES = [
    DATA / "telegram" / "ChatExport_2026-03-02" / "result.json",
    DATA / "telegram" / "damaged_message" / "result.json",
    DATA / "telegram" / "chat_name_number.json",
    DATA / "telegram" / "wrong_typed_parts.json",
    DATA / "telegram" / "full_export.json",
    DATA / "shapes" / "telegram" / "new" / "result.json",
    DATA / "shapes" / "telegram" / "old" / "result.json",
]


def read(path: Path) -> list:
    return list(telegram.TelegramImporter().iter_records(path, ImportOptions()))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.parent.name + "/" + p.name)
def test_streamed_and_whole_give_the_same_records(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = read(path)
    monkeypatch.setattr(telegram, "STREAM_BYTES", 0)
    assert [repr(r) for r in read(path)] == [repr(r) for r in whole]


def _chat(messages: list[str]) -> str:
    head = '{\n "name": "North gate", "type": "public_channel", "id": 42,\n "messages": [\n'
    return head + ",\n".join(messages) + "\n ]\n}\n"


def _message(i: int, pad: int = 0) -> str:
    m = {
        "id": i,
        "type": "message",
        "date": "2026-03-01T10:00:00",
        "date_unixtime": str(1772359200 + i),
        "from": "Noor",
        "from_id": "channel42",
        "text": f"Water at the school, message {i} <script>x</script>" + " هنا" * pad,
    }
    return "  " + json.dumps(m)


def test_a_damaged_message_in_a_streamed_chat_costs_that_message_alone(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(telegram, "STREAM_BYTES", 0)
    messages = [_message(i) for i in range(1, 6)]
    messages[2] = messages[2].replace('"Noor",', '"Noor" "oops",')  # a syntax error inside message 3
    path = tmp_path / "result.json"
    path.write_text(_chat(messages), encoding="utf-8")
    recs = read(path)
    posts = [r for r in recs if isinstance(r, Post)]
    problems = [r for r in recs if isinstance(r, Problem)]
    assert [p.id for p in posts] == ["42/1", "42/2", "42/4", "42/5"]
    assert len(problems) == 1 and "message 3" in problems[0].where and "line 6" in problems[0].where
    assert not [r for r in recs if isinstance(r, Scope)]  # not complete: no deletions inferred from it
    assert posts[0].raw == messages[0].strip().encode()  # the message's bytes as the file holds them


def test_a_whole_streamed_chat_is_complete(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(telegram, "STREAM_BYTES", 0)
    path = tmp_path / "result.json"
    path.write_text(_chat([_message(i) for i in range(1, 4)]), encoding="utf-8")
    recs = read(path)
    assert [r.id for r in recs if isinstance(r, Post)] == ["42/1", "42/2", "42/3"]
    assert [r.key for r in recs if isinstance(r, Scope)] == ["telegram:channel42"]


def test_a_large_chat_is_never_held_whole(tmp_path, monkeypatch) -> None:
    path = tmp_path / "result.json"
    path.write_text(_chat([_message(i, pad=500) for i in range(1, 3_001)]), encoding="utf-8")
    size = path.stat().st_size
    assert size > 24 << 20  # over the 4 MiB chunks a window reads
    n, peak = telegram_posts_and_peak(path, monkeypatch)
    assert n == 3_000
    assert peak < size // 2, f"peak {peak:,} bytes for a {size:,}-byte file"


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_invalid_utf8_in_a_message_keeps_it_flagged_with_its_bytes(tmp_path, monkeypatch, stream) -> None:
    monkeypatch.setattr(telegram, "STREAM_BYTES", 0 if stream else 1 << 40)
    data = _chat([_message(i) for i in range(1, 4)]).encode().replace(b"message 2 ", b"message \xe9 2 ")
    path = tmp_path / "result.json"
    path.write_bytes(data)
    recs = read(path)
    posts = {p.id: p for p in recs if isinstance(p, Post)}
    assert sorted(posts) == ["42/1", "42/2", "42/3"]
    assert posts["42/2"].text.startswith("Water at the school, message \ufffd 2")
    assert b"message \xe9 2" in posts["42/2"].raw  # the payload as the file holds it
    assert posts["42/2"].enrichment.get("text_damaged") is True
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where == "chat 42, message 2" and "invalid UTF-8" in problem.message
    assert [r.key for r in recs if isinstance(r, Scope)] == ["telegram:channel42"]  # nothing was lost


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_an_unreadable_message_leaves_its_chat_incomplete(tmp_path, monkeypatch, stream) -> None:
    monkeypatch.setattr(telegram, "STREAM_BYTES", 0 if stream else 1 << 40)
    messages = [_message(i) for i in range(1, 4)]
    messages[1] = '  ["not", "a", "message"]'
    path = tmp_path / "result.json"
    path.write_text(_chat(messages), encoding="utf-8")
    recs = read(path)
    assert [p.id for p in recs if isinstance(p, Post)] == ["42/1", "42/3"]
    (problem,) = [r for r in recs if isinstance(r, Problem)]
    assert problem.where == "chat 42, message 2" and "not marked complete" in problem.message
    assert not [r for r in recs if isinstance(r, Scope)]  # a deletion cannot be inferred from a chat read in part
