"""Times every importer shares: parsing into aware UTC and judging whether a time is plausible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from vigil.sources import base
from vigil.sources.base import parse_time, time_quality_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T10:00:00.000Z", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ("2026-03-01T12:00:00+02:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ("2026-03-01T10:00:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),  # no zone: taken as UTC
        ("Sun Mar 01 10:00:00 +0000 2026", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        ("1772359200", datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ],
)
def test_parse_time_gives_aware_utc(text, expected):
    got = parse_time(text)
    assert got == expected and got.utcoffset() == timedelta(0)


def test_parse_time_converts_other_zones_to_utc():
    got = parse_time("2026-03-01T10:00:00-05:00")
    assert got == datetime(2026, 3, 1, 15, tzinfo=UTC) and got.tzinfo is UTC
    assert got.tzinfo is not timezone(timedelta(hours=-5))


def test_time_quality_without_now_reads_the_clock_only_for_times_past_its_last_bound(monkeypatch):
    now = datetime.now(UTC)
    assert time_quality_of(now + timedelta(hours=23)) == "exact"
    assert time_quality_of(now + timedelta(hours=25)) == "suspect"
    assert time_quality_of(datetime(2005, 12, 31, tzinfo=UTC)) == "suspect"
    assert time_quality_of(None) == "unknown"
    # a stale bound (taken long ago) is renewed before it calls a time suspect
    monkeypatch.setattr(base, "_future", [now - timedelta(days=30)])
    assert time_quality_of(now) == "exact"
    assert base._future[0] > now


def test_time_quality_against_a_given_now():
    then = datetime(2020, 1, 1, tzinfo=UTC)
    assert time_quality_of(then + timedelta(hours=23), then) == "exact"
    assert time_quality_of(then + timedelta(hours=25), then) == "suspect"


def test_iter_lines_skips_blank_lines_of_any_ascii_space_and_counts_them(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a":1}\n\n \t\r\n\x0b\x0c\n{"b":2}\r\n  {"c":3}')
    got = [(n, line) for n, line in base.iter_lines(path)]
    assert got == [(1, b'{"a":1}\n'), (5, b'{"b":2}\r\n'), (6, b'  {"c":3}')]


def test_a_utc_text_read_the_short_way_is_what_the_general_way_reads():
    assert parse_time(" 2026-03-01T10:00:00Z") == datetime(2026, 3, 1, 10, tzinfo=UTC)  # spaces: the general way
    assert parse_time("2026-03-01T10:00:00.5Z").tzinfo is UTC
    for bad in ("Z", "2026-02-30T10:00:00Z", "1772359200Z"):
        with pytest.raises(ValueError, match="does not match format"):
            parse_time(bad)
