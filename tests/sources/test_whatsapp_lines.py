"""The date and clock layouts phones write, as the test suites of open-source chat parsers list them."""

from __future__ import annotations

import pytest

from vigil.sources.whatsapp.lines import OrderVotes, parse_header, wall_clock


@pytest.mark.parametrize(
    ("line", "order", "expected", "ios"),
    [
        ("3/6/18, 1:55 p.m. - a: m", "dmy", "2018-06-03T13:55:00", False),
        ("3/6/18, 1:55 p.m. - a: m", "mdy", "2018-03-06T13:55:00", False),
        ("03-06-2018, 01.55 PM - a: m", "dmy", "2018-06-03T13:55:00", False),
        ("[06.13.18 21:25:15] a: m", "mdy", "2018-06-13T21:25:15", True),
        ("[3/6/18 1:55:00 p. m.] a: m", "dmy", "2018-06-03T13:55:00", True),
        ("\u200e[3/6/18 1:55:00 p. m.] a: m", "dmy", "2018-06-03T13:55:00", True),
        ("[2018/06/13, 21:25:15] a: m", "mdy", "2018-06-13T21:25:15", True),  # year first: the order does not apply
        ("2016-08-06, 1:18 PM - Brock: Hey Ash", "dmy", "2016-08-06T13:18:00", False),
        ("9/25/26, 12:05\u202fAM - Sam: IMG-20260925-WA0001.jpg (file attached)", "mdy", "2026-09-25T00:05:00", False),
        ("13.04.26, 21:04 - Mira: Wasser", "dmy", "2026-04-13T21:04:00", False),
        ("[13/04/2026, 21:04:11] Lena: hi", "dmy", "2026-04-13T21:04:11", True),
    ],
)
def test_layouts(line, order, expected, ios):
    h = parse_header(line)
    assert h is not None and h.ios is ios and h.rest.endswith(("m", "Ash", "(file attached)", "Wasser", "hi"))
    assert wall_clock(h, order).isoformat() == expected


@pytest.mark.parametrize(
    "line",
    [
        "2016-04-29 10:30:00",  # a date inside a message, not a stamp
        "Is everything alright?",
        "13/04/2026 - nothing",
    ],
)
def test_continuation_lines(line):
    assert parse_header(line) is None


def test_impossible_clock_is_no_time():
    h = parse_header("13/04/2026, 13:04 PM - a: m")
    assert h is not None and wall_clock(h, "dmy") is None
    h = parse_header("31/02/2026, 10:04 - a: m")
    assert h is not None and wall_clock(h, "dmy") is None


def test_order_votes():
    def decide(*lines: str, forced: str | None = None):
        votes = OrderVotes()
        for ln in lines:
            h = parse_header(ln)
            assert h is not None
            votes.add(h)
        return votes.decide(forced)

    assert decide("13/04/2026, 10:00 - a: m") == ("dmy", False)
    assert decide("04/13/2026, 10:00 - a: m") == ("mdy", False)
    assert decide("05/04/2026, 10:00 - a: m") == ("dmy", True)  # either, and nothing tells
    assert decide("05/05/2026, 10:00 - a: m") == ("dmy", False)  # the same date both ways
    assert decide("12/01/2026, 10:00 - a: m", "01/02/2026, 10:00 - a: m") == ("dmy", False)  # 12 Jan, 1 Feb
    assert decide("01/12/2026, 10:00 - a: m", "02/01/2026, 10:00 - a: m") == ("mdy", False)  # Jan 12, Feb 1
    assert decide("05/04/2026, 10:00 - a: m", forced="mdy") == ("mdy", False)
