"""vigil.dates: the one reader of --since, --until and --as-of."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from vigil.dates import DateError, iso_utc, parse_moment, parse_zone

NOW = datetime(2026, 4, 15, 10, 30, 12, tzinfo=UTC)
PLUS3 = timezone(timedelta(hours=3))


def _utc(text: str, **kw: object) -> str:
    return iso_utc(parse_moment(text, now=NOW, **kw))  # type: ignore[arg-type]


def test_iso_days_and_times():
    assert _utc("2026-04-13") == "2026-04-13T00:00:00Z"
    assert _utc("2026-04-13", end=True) == "2026-04-13T23:59:59Z"
    assert _utc("2026-04-13T08:00") == "2026-04-13T08:00:00Z"
    assert _utc("2026-04-13 08:00:00+03:00") == "2026-04-13T05:00:00Z"
    assert _utc("2026-04-13T08:00:00Z") == "2026-04-13T08:00:00Z"


def test_a_local_day_with_tz():
    assert _utc("2026-04-13", tz=PLUS3) == "2026-04-12T21:00:00Z"
    assert _utc("2026-04-13", tz=PLUS3, end=True) == "2026-04-13T20:59:59Z"
    assert _utc("2026-04-13T08:00", tz=PLUS3) == "2026-04-13T05:00:00Z"  # a time without a zone is local
    assert _utc("2026-04-13T08:00Z", tz=PLUS3) == "2026-04-13T08:00:00Z"  # one with a zone keeps it


def test_words_people_type():
    assert _utc("now") == "2026-04-15T10:30:12Z"
    assert _utc("yesterday") == "2026-04-14T00:00:00Z" and _utc("yesterday", end=True) == "2026-04-14T23:59:59Z"
    assert _utc("today") == "2026-04-15T00:00:00Z" and _utc("Tomorrow") == "2026-04-16T00:00:00Z"
    assert _utc("2 days ago") == "2026-04-13T10:30:12Z"
    assert _utc("90 minutes ago") == "2026-04-15T09:00:12Z" and _utc("3h ago") == "2026-04-15T07:30:12Z"
    assert _utc("1 week ago") == "2026-04-08T10:30:12Z"
    assert _utc("yesterday", tz=PLUS3) == "2026-04-13T21:00:00Z"  # the local yesterday


def test_numeric_dates_in_a_stated_order():
    assert _utc("13/04/2026") == "2026-04-13T00:00:00Z"  # only one reading: 13 is no month
    assert _utc("04/13/2026") == "2026-04-13T00:00:00Z"
    assert _utc("04/05/2026", order="dmy") == "2026-05-04T00:00:00Z"
    assert _utc("04/05/2026", order="mdy") == "2026-04-05T00:00:00Z"
    assert _utc("13.04.2026 14:05") == "2026-04-13T14:05:00Z"
    assert _utc("2026/04/13") == "2026-04-13T00:00:00Z"
    assert _utc("05/05/2026") == "2026-05-05T00:00:00Z"  # both readings agree


def test_one_line_errors():
    with pytest.raises(DateError, match=r"could be 04 May 2026 \(dmy\) or 05 April 2026 \(mdy\): add --date-order"):
        parse_moment("04/05/2026")
    with pytest.raises(DateError, match="not a date in the order mdy"):
        parse_moment("13/04/2026", order="mdy")
    with pytest.raises(DateError, match="not a date or time: 'soon'"):
        parse_moment("soon")
    with pytest.raises(DateError, match="four digits"):
        parse_moment("13/04/26")
    with pytest.raises(DateError, match="unknown date order"):
        parse_moment("13/04/2026", order="ydm")
    with pytest.raises(DateError, match="unknown time zone"):
        parse_zone("Mars/Olympus")
    for bad in ("04/05/2026", "soon", "2026-13-45"):
        with pytest.raises(DateError) as exc:
            parse_moment(bad)
        assert "\n" not in str(exc.value)


def test_zones():
    assert parse_zone(None) is UTC and parse_zone("utc") is UTC
    assert parse_zone("+03:00") == PLUS3 and parse_zone("UTC+3") == PLUS3
    assert str(parse_zone("Europe/Kyiv")) == "Europe/Kyiv"
