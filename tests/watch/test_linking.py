"""Linking voices across platforms: names across separators, scripts and titles; bios naming a platform or handle."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from tests.watch.scenario import Voice, write_telegram, write_twarc2

from vigil.ingest.pipeline import ingest
from vigil.store.engine import open_workspace
from vigil.watch.linking import name_parts, skeleton, suggest
from vigil.watch.voices import VoiceError, find_voice, link, list_voices

T0 = datetime(2026, 5, 4, 8, tzinfo=UTC)


def _voice(key, name, platform, bio=None):
    return Voice(key, name, platform, bio, posts=[(T0 + timedelta(hours=i), f"{name} post {i}") for i in range(3)])


@pytest.fixture
def linked(tmp_path):
    x = [
        _voice("hala_m", "Dr Hala Mansour", "twitter", "Surgeon at the north clinic. Also on Telegram."),
        _voice("sami_k", "Sami K", "twitter", "Reports from the harbour. Channel: t.me/harbour_relay"),
        _voice("sami_k2", "Sami K", "twitter", "Another Sami."),
        _voice("noor_writes", "Noor", "twitter", ""),
        _voice("m_khatib", "Mohammed Al-Khatib", "twitter", "Paramedic."),
    ]
    tg = [
        _voice("tg1", "Dr Hala Mansour | د. هلا منصور", "telegram"),
        _voice("tg2", "Hala Mansour (official)", "telegram"),
        _voice("tg3", "قناة نور", "telegram"),
        _voice("tg4", "محمد الخطيب", "telegram"),
        _voice("tg5", "هالة نصر", "telegram"),
    ]
    write_twarc2(tmp_path / "x.jsonl", x)
    for i, v in enumerate(tg):
        write_telegram(tmp_path / v.key, v, 2_200_000_000 + i)
    ws = open_workspace(tmp_path / "ws")
    ingest(ws, [tmp_path / "x.jsonl", *(tmp_path / v.key for v in tg)])
    yield ws
    ws.close()


def test_name_parts_leave_out_titles_and_split_scripts():
    assert name_parts("Dr Hala Mansour | د. هلا منصور") == [
        ("hala", "mansour", "هلا", "منصور"),
        ("hala", "mansour"),
        ("هلا", "منصور"),
    ]
    assert name_parts("Hala Mansour (official)") == [("hala", "mansour")]
    assert name_parts("Prof. José Núñez") == [("jose", "nunez")]
    assert name_parts("") == []


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [
        ("Hala Mansour", "هلا منصور"),
        ("Mohammed Al-Khatib", "محمد الخطيب"),
        ("Fatimah Zahra", "فاطمة الزهراء"),
        ("Gamal Shukri", "جمال شكري"),
    ],
)
def test_a_name_has_the_same_consonants_in_both_scripts(latin, arabic):
    assert skeleton(name_parts(latin)[0]) == skeleton(name_parts(arabic)[0])


def test_different_names_keep_different_consonants():
    assert skeleton(name_parts("Hala Mansour")[0]) != skeleton(name_parts("هالة نصر")[0])


def test_suggest_pairs_a_name_across_separators_scripts_and_titles(linked):
    found = {(s.a.name, s.b.name): s for s in suggest(linked)}
    bio = found[("Dr Hala Mansour", "Dr Hala Mansour | د. هلا منصور")]
    assert bio.score == 0.95 and "Dr Hala Mansour's bio names telegram" in bio.reason
    official = found[("Dr Hala Mansour", "Hala Mansour (official)")]
    assert official.score == 0.95 and "same name" in official.reason
    assert not any("Sami" in a and "Sami" in b for a, b in found)  # same platform: nothing to link
    assert ("Noor", "قناة نور") not in found  # one short word is not a name to link on
    script = found[("Mohammed Al-Khatib", "محمد الخطيب")]
    assert script.score == 0.8 and "another script" in script.reason
    assert not any("هالة نصر" in pair for pair in found)


def test_link_takes_what_voices_shows_and_lists_candidates_when_ambiguous(linked):
    shown = {h: v.id for v in list_voices(linked) for h in v.handles}
    assert "telegram:Dr Hala Mansour | د. هلا منصور" in shown  # a channel: its name
    vid = link(
        linked, ["twitter:hala_m", "telegram:Dr Hala Mansour | د. هلا منصور", "Hala Mansour (official)"], actor="desk-a"
    )
    with linked.engine.connect() as conn:
        manual = json.loads(conn.exec_driver_sql("SELECT manual FROM voices WHERE id = ?", (vid,)).scalar_one())
    assert manual["changes"][-1]["by"] == "desk-a" and len(manual["changes"][-1]["link"]) == 3
    merged = next(v for v in list_voices(linked) if v.id == vid)
    assert sorted(merged.platforms) == ["telegram", "twitter"] and len(merged.accounts) == 3
    with pytest.raises(VoiceError) as err:
        link(linked, ["Sami K", "tg3"])
    assert "'Sami K' names 2 accounts: twitter:sami_k" in str(err.value) and "twitter:sami_k2" in str(err.value)
    with linked.engine.connect() as conn:
        assert find_voice(conn, "@SAMI_K2") == find_voice(conn, "twitter:sami_k2")
        uid = next(v.accounts[0] for v in list_voices(linked) if v.name == "قناة نور")
        assert find_voice(conn, uid) == find_voice(conn, "قناة نور")
