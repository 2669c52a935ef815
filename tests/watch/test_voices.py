from __future__ import annotations

import pytest
import sqlalchemy as sa
from tests.watch.city import load_city

from vigil.store import schema
from vigil.watch.linking import suggest, suggest_speakers
from vigil.watch.voices import (
    VoiceError,
    attribute,
    ensure_voices,
    link,
    list_voices,
    place_from_bio,
    role_from_bio,
    set_voice,
)


@pytest.mark.parametrize(
    ("bio", "role"),
    [
        ("English teacher in Harbourtown. Mum of two.", "teacher"),
        ("Civil defence volunteer, Harbourtown", "civil-defence volunteer"),
        ("Journalist. Stringer for regional papers.", "journalist"),
        ("ICU nurse at the General", "nurse"),
        ("Surgeon. Views my own", "doctor"),
        ("Human rights activist", "activist"),
        ("I like cats", None),
        (None, None),
    ],
)
def test_role_from_bio(bio, role):
    assert role_from_bio(bio) == role


def test_place_from_bio():
    assert place_from_bio("English teacher in Harbourtown. Mum of two.") == "Harbourtown"
    assert place_from_bio("📍 North Quarter") == "North Quarter"
    assert place_from_bio("no place here") is None


def test_every_account_is_a_voice_with_role_and_place(ws):
    load_city(ws)  # the ingest gives each account it commits a voice
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*), count(voice_id) FROM accounts").one() == (6, 6)
    assert ensure_voices(ws) == 0  # nothing left to do, and idempotent
    voices = {v.name: v for v in list_voices(ws)}
    assert len(voices["Lina Haddad"].accounts) == 1
    sami = voices["Sami Nour"]
    assert (sami.role, sami.place, sami.platforms, sami.posts) == ("journalist", "Harbourtown", ["twitter"], 3)
    assert sami.first_seen == "2026-03-02T09:40:00Z" and sami.last_seen == "2026-03-04T08:00:00Z"


def test_suggest_then_link_joins_accounts_across_platforms(ws):
    load_city(ws)
    found = suggest(ws)
    assert [(s.a.name, s.b.name) for s in found] == [("Lina Haddad", "Lina Haddad")]
    assert "same name" in found[0].reason
    vid = link(ws, ["lina_h", "telegram:lina_channel"])
    lina = next(v for v in list_voices(ws) if v.id == vid)
    assert sorted(lina.platforms) == ["telegram", "twitter"] and lina.posts == 5
    assert lina.role == "teacher"
    assert suggest(ws) == []
    with ws.engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(schema.voices)).scalar_one()
    assert n == 5  # the telegram account's own voice is gone


def test_set_keeps_manual_values(ws):
    load_city(ws)
    vid = set_voice(ws, "omar_rescue", place="Port district", role="civil-defence volunteer")
    omar = next(v for v in list_voices(ws) if v.id == vid)
    assert (omar.place, omar.role, omar.name) == ("Port district", "civil-defence volunteer", "Omar Saleh")
    set_voice(ws, str(vid), name="Omar S.")
    assert any(v.name == "Omar S." for v in list_voices(ws))
    with pytest.raises(VoiceError):
        set_voice(ws, "nobody_here", role="x")
    with pytest.raises(VoiceError):
        set_voice(ws, str(vid))


def test_attribute_speaker_and_suggestion(ws):
    load_city(ws)
    found = suggest_speakers(ws)
    assert [(uid, v.name) for uid, v in found] == [("twitter:1006", "Omar Saleh")]
    vid = attribute(ws, "twitter:1006", "Omar Saleh")
    with ws.engine.connect() as conn:
        speaker = conn.execute(sa.select(schema.posts.c.speaker_voice).where(schema.posts.c.uid == "twitter:1006"))
        assert speaker.scalar_one() == vid
    assert suggest_speakers(ws) == []
    with pytest.raises(VoiceError):
        attribute(ws, "twitter:404", "Omar Saleh")


def test_link_needs_two_known_accounts(ws):
    load_city(ws)
    with pytest.raises(VoiceError):
        link(ws, ["lina_h"])
    with pytest.raises(VoiceError, match="no account"):
        link(ws, ["lina_h", "ghost"])


def test_attribute_can_create_a_speaker_voice(ws):
    load_city(ws)
    with pytest.raises(VoiceError):
        attribute(ws, "twitter:1006", "Rami Aziz")
    vid = attribute(ws, "twitter:1006", "Rami Aziz", create=True)
    assert attribute(ws, "twitter:1006", "Rami Aziz") == vid  # found by name next time
    assert any(v.id == vid and v.accounts == [] for v in list_voices(ws))
    link(ws, ["lina_h", "telegram:lina_channel"])
    assert any(v.id == vid for v in list_voices(ws))  # not swept away as an orphan
