from __future__ import annotations

from datetime import timedelta

import pytest
from tests.watch.city import AS_OF, load_city

from vigil.watch.events import detect_events
from vigil.watch.silence import parse_as_of, parse_duration, watch
from vigil.watch.voices import link


def test_parse_duration_and_as_of():
    assert parse_duration("12h") == timedelta(hours=12)
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("2d") == timedelta(days=2)
    assert parse_duration("6") == timedelta(hours=6)
    with pytest.raises(ValueError):
        parse_duration("soon")
    assert parse_as_of("2026-03-04").isoformat() == "2026-03-04T23:59:59+00:00"
    assert parse_as_of("2026-03-04T14:00:00+02:00").isoformat() == "2026-03-04T12:00:00+00:00"


def test_status_and_risk_put_silence_after_farewell_first(ws):
    load_city(ws)
    link(ws, ["lina_h", "telegram:lina_channel"])
    rows = watch(ws, parse_as_of(AS_OF), parse_duration("12h"))
    by_name = {r.name: r for r in rows}
    lina = rows[0]
    assert (lina.name, lina.status, lina.last_labels) == ("Lina Haddad", "silent", ["farewell"])
    assert lina.last_seen == "2026-03-03T14:00:00Z" and lina.silent_hours == 22.0
    assert sorted(lina.handles) == ["telegram:lina_channel", "twitter:lina_h"]
    assert by_name["Sami Nour"].status == "active" and by_name["Sami Nour"].risk < 20
    assert lina.risk > by_name["Omar Saleh"].risk > by_name["Sami Nour"].risk
    assert list(lina.row()) == [
        "voice",
        "name",
        "handles",
        "status",
        "last_seen",
        "silent_hours",
        "last_labels",
        "risk",
        "reason",
        "account_status",
        "location",
        "location_reason",
        "limit_hours",
        "at_risk",
        "acknowledged",
        "muted",
    ]


def test_as_of_reproduces_a_past_moment(ws):
    load_city(ws)
    rows = {r.name: r for r in watch(ws, parse_as_of("2026-03-02T10:00:00Z"), timedelta(hours=12))}
    assert set(rows) == {"Lina Haddad", "Omar Saleh", "Sami Nour"}  # nobody else had posted yet
    assert rows["Omar Saleh"].status == "active" and rows["Omar Saleh"].silent_hours == 1.0
    # the post deleted on 03-03 is not deleted yet on 03-02
    sami = rows["Sami Nour"]
    assert sami.status == "active" and not sami.posts[0].deleted


def test_gone_when_all_recent_posts_are_deleted(ws):
    load_city(ws)
    rows = {r.handles[0]: r for r in watch(ws, parse_as_of("2026-03-03T20:00:00Z"), timedelta(hours=12))}
    # Sami's only post in the 12 h before his last one is 1004 (kept), so he is silent, not gone
    assert rows["twitter:sami_reports"].status == "silent"
    rows = {r.handles[0]: r for r in watch(ws, parse_as_of("2026-03-03T20:00:00Z"), timedelta(hours=1))}
    assert rows["twitter:sami_reports"].status == "silent"


def test_events_silent_reappeared_deleted_edited(ws):
    load_city(ws)
    events = detect_events(ws, parse_as_of(AS_OF), timedelta(hours=12))
    keys = {e.key: e for e in events}
    back = keys["reappeared:2:twitter:1007"]
    assert back.at == "2026-03-03T12:00:00Z" and back.detail["silent_hours"] == 27.0
    assert keys["silent:2:twitter:1002"].at == "2026-03-02T21:00:00Z"
    assert keys["deleted:twitter:1003"].detail["how"] == "source"
    assert keys["deleted:telegram:lina_channel/2"].detail["how"] == "absent"
    assert keys["edited:twitter:1004:2"].at == "2026-03-02T20:30:00Z"
    assert [e.at for e in events] == sorted(e.at for e in events)
    earlier = {e.key for e in detect_events(ws, parse_as_of("2026-03-03T12:30:00Z"), timedelta(hours=12))}
    assert "reappeared:2:twitter:1007" in earlier and "deleted:twitter:1003" not in earlier
