"""The lines of a WhatsApp chat export: message headers, dates in either order, 12- and 24-hour clocks."""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

# A date in any of the orders and separators phones write (13/04/2026, 4/13/26, 13.04.26, 2026-04-13), a clock
# with or without seconds and an AM/PM marker (AM, pm, p.m., p. m.) after a space, a no-break or a narrow no-break
# space. iOS wraps the stamp in brackets and starts some lines with a left-to-right mark; Android ends it with " - ".
_SP = r"[ \u00a0\u202f]"
_STAMP = (
    r"(?P<a>\d{1,4})[./-]" + _SP + r"?(?P<b>\d{1,2})[./-]" + _SP + r"?(?P<c>\d{1,4})\.?,?" + _SP + r"+"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
    r"(?:" + _SP + r"?(?P<ap>[aApP]\.?" + _SP + r"?[mM]\.?))?"
)
_IOS = re.compile(r"[\u200e\u200f]*\[" + _STAMP + r"\]" + _SP + r"?(?P<rest>.*)")
_ANDROID = re.compile(r"[\u200e\u200f]*" + _STAMP + _SP + r"[-\u2013]" + _SP + r"(?P<rest>.*)")
ORDERS = ("dmy", "mdy")


class Header(NamedTuple):
    """The stamp of a line that starts a message, as written, and what follows it."""

    a: int
    b: int
    c: int
    year_first: bool
    hour: int
    minute: int
    second: int | None
    ampm: str | None  # 'a' or 'p'
    ios: bool
    rest: str


def parse_header(line: str) -> Header | None:
    """The header of a line that starts a message or a system line, or None for a continuation line."""
    m = _IOS.match(line)
    ios = m is not None
    if m is None:
        m = _ANDROID.match(line)
        if m is None:
            return None
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    year_first = len(a) == 4
    if not year_first and len(c) not in (2, 4):
        return None
    ap = m.group("ap")
    s = m.group("S")
    return Header(
        int(a), int(b), int(c), year_first, int(m.group("H")), int(m.group("M")), int(s) if s else None,
        ap[0].lower() if ap else None, ios, m.group("rest"),
    )  # fmt: skip


class DateOrder(NamedTuple):
    """The order the file's dates are read in, and whether the file alone could not tell."""

    order: str  # 'dmy' or 'mdy' (dates written year first are read year-month-day whatever this says)
    ambiguous: bool


def _ymd(h: Header, order: str) -> tuple[int, int, int]:
    if h.year_first:
        return h.a, h.b, h.c
    year = h.c + 2000 if h.c < 100 else h.c
    return (year, h.b, h.a) if order == "dmy" else (year, h.a, h.b)


class OrderVotes:
    """What the file's dates say of their order, gathered line by line (nothing kept but counts)."""

    def __init__(self) -> None:
        self.day_first = False  # a first field over 12 was seen
        self.month_first = False  # a second field over 12 was seen
        self.differ = False  # some date reads differently in the two orders
        self.falls = dict.fromkeys(ORDERS, 0)  # dates before the one above them, read in each order
        self.last: dict[str, tuple[int, int, int] | None] = dict.fromkeys(ORDERS)

    def add(self, h: Header) -> None:
        """Count one header's date."""
        if h.year_first:
            return
        self.day_first |= h.a > 12
        self.month_first |= h.b > 12
        self.differ |= h.a != h.b
        for order in ORDERS:
            ymd = _ymd(h, order)
            last = self.last[order]
            if last is not None and ymd < last:
                self.falls[order] += 1
            self.last[order] = ymd

    def decide(self, forced: str | None = None) -> DateOrder:
        """Day-first or month-first: a field over 12 decides, else the order that keeps the chat in time order."""
        if forced:
            return DateOrder(forced, False)
        if self.day_first != self.month_first:
            return DateOrder("dmy" if self.day_first else "mdy", False)
        if self.differ and not self.day_first:
            if self.falls["dmy"] != self.falls["mdy"]:
                return DateOrder(min(ORDERS, key=lambda o: self.falls[o]), False)
            return DateOrder("dmy", True)
        return DateOrder("dmy", False)


def wall_clock(h: Header, order: str) -> datetime | None:
    """The local date and time a header writes (no zone), or None when it is not a real date and time."""
    year, month, day = _ymd(h, order)
    hour = h.hour
    if h.ampm is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if h.ampm == "p" else 0)
    try:
        return datetime(year, month, day, hour, h.minute, h.second or 0)  # noqa: DTZ001 (a wall clock, no zone)
    except ValueError:
        return None
