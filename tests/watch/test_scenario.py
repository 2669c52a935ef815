"""A week, thirty voices inside and outside, written as twarc2 JSONL and Telegram exports, ingested, then watched."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from tests.watch.scenario import AS_OF, write_scenario

from vigil.ingest.pipeline import ingest
from vigil.report.digest import build_digest
from vigil.store.engine import open_workspace
from vigil.watch.events import detect_events
from vigil.watch.marks import acknowledge, mute, set_location, unmute
from vigil.watch.silence import parse_as_of, returns, watch

WINDOW = timedelta(hours=12)


@pytest.fixture(scope="module")
def kessa(tmp_path_factory):
    root = tmp_path_factory.mktemp("kessa")
    voices, sources = write_scenario(root / "files")
    ws = open_workspace(root / "ws")
    ws.file("gazetteer.tsv").write_text("name\tcountry\tlat\tlon\taliases\nKessa\tZZ\t1.0\t1.0\t\n", encoding="utf-8")
    results = ingest(ws, sources)
    assert sum(r.counts.new for r in results) == sum(len(v.posts) for v in voices)
    yield ws, {v.name: v for v in voices}
    ws.close()


def _silences(events):
    return Counter(e.detail["name"] for e in events if e.kind == "silent")


def test_each_silence_that_matters_once_and_nothing_else(kessa):
    ws, voices = kessa
    events = detect_events(ws, parse_as_of(AS_OF), WINDOW)
    assert _silences(events) == Counter({n: v.expect_silences for n, v in voices.items() if v.expect_silences})
    back = Counter(e.detail["name"] for e in events if e.kind == "reappeared")
    assert back == Counter({n: v.expect_returns for n, v in voices.items() if v.expect_returns})
    assert len(events) == 13  # 10 silences, 3 returns: no night, no outside voice


def test_normal_nights_are_not_silences_though_longer_than_the_window(kessa):
    ws, voices = kessa
    rows = {r.name: r for r in watch(ws, parse_as_of(AS_OF), WINDOW)}
    sparse = [rows[n] for n in voices if n.startswith("Sparse")]
    window_alone = sum(len(returns(r.posts, WINDOW, [WINDOW] * len(r.posts))) for r in sparse)
    assert window_alone == 6 * 6  # six 14-hour nights each, had the window alone decided
    assert all(r.limit_hours == 14.0 and not returns(r.posts, WINDOW) for r in sparse)
    outside = [rows[n] for n in voices if n.startswith("Outside")]
    assert [r.location.reason for r in outside] == [
        "bio says 'abroad'",
        "bio says 'in exile'",
        "bio says 'diaspora'",
        "bio says 'abroad'",
    ]
    assert all(not r.counts and len(returns(r.posts, WINDOW)) == 1 for r in outside)  # a silence, not at risk


def test_farewell_before_plea_before_first_hand_attack_then_hours(kessa):
    ws, voices = kessa
    rows = watch(ws, parse_as_of(AS_OF), WINDOW)
    alarm = [r for r in rows if r.alarm]
    assert [r.name for r in alarm] == ["Farewell0", "Farewell1", "Farewell2", "Plea0", "Plea2", "Attack0", "Attack1"]
    assert [round(r.silent_hours) for r in alarm] == [101, 59, 32, 134, 38, 65, 17]
    where = {r.name: r.location.value for r in alarm}  # X bios name Kessa; Telegram channels have no bio: unknown
    assert where == {n: "inside" if voices[n].platform == "twitter" else None for n in where}
    assert rows[len(alarm)].status == "active"  # everything else is active or does not count


def test_ack_and_mute_stop_repeats_and_leave_the_digest(kessa):
    ws, voices = kessa
    acknowledge(ws, "Farewell0", actor="desk-a")
    mute(ws, "Plea0", actor="desk-b")
    try:
        moment = parse_as_of(AS_OF)
        events = detect_events(ws, moment, WINDOW)
        assert set(_silences(events)) == {n for n, v in voices.items() if v.expect_silences} - {"Farewell0", "Plea0"}
        rows = {r.name: r for r in watch(ws, moment, WINDOW)}
        assert rows["Farewell0"].acked and not rows["Farewell0"].alarm and rows["Plea0"].muted
        d = build_digest(ws, as_of=AS_OF, tz="+03:00")
        assert [v.name for v in d.silent_now] == ["Farewell1", "Farewell2", "Plea2", "Attack0", "Attack1"]
        lines = [line for day in d.days for line in day.events]
        assert not any("Farewell0" in x or "Plea0" in x or "Sparse" in x or "Outside" in x for x in lines)
        assert sum("reappeared" in x for x in lines) == 3
    finally:
        unmute(ws, "Plea0")
        with ws.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM watch_marks WHERE kind = 'ack'")


def test_set_outside_by_hand_takes_a_voice_out_and_says_who(kessa):
    ws, _ = kessa
    set_location(ws, "Attack1", "outside", actor="desk-c")
    try:
        row = next(r for r in watch(ws, parse_as_of(AS_OF), WINDOW) if r.name == "Attack1")
        assert not row.alarm and row.location.value == "outside" and "desk-c" in row.location.reason
    finally:
        set_location(ws, "Attack1", None)


def test_an_open_silence_is_one_event_however_often_the_watch_runs(kessa):
    ws, _ = kessa
    keys = [
        {e.key for e in detect_events(ws, parse_as_of(AS_OF) + timedelta(hours=h), WINDOW) if e.kind == "silent"}
        for h in (0, 6, 30)
    ]
    assert keys[0] == keys[1] and len(keys[0]) == 10 and keys[0] <= keys[2]  # at +30 h the data has ended for all
