from __future__ import annotations

import pytest

from vigil.triage.quantities import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "kind"),
    [
        ("over 50,000 civilians are besieged", "50,000 civilians", 50000, "person", "people"),
        ("7 killed in the strike", "7 killed", 7, "person", "killed"),
        ("20 injured, 3 missing", "20 injured", 20, "person", "injured"),
        ("٣ جرحى في القصف", "٣ جرحى", 3, "person", "injured"),
        ("ثلاثة شهداء", "ثلاثة شهداء", 3, "person", "killed"),
        ("seven killed overnight", "seven killed", 7, "person", "killed"),
        ("the checkpoint is 300 meters away", "300 meters", 300, "m", "distance"),
        ("a 2 km queue", "2 km", 2, "km", "distance"),
        ("2 square kilometers flattened", "2 square kilometers", 2, "km2", "area"),
        ("no water for 3 days", "for 3 days", 3, "day", "duration"),
        ("12 people were killed", "12 people were killed", 12, "person", "killed"),
        ("1.5 million people displaced", "1.5 million people", 1500000, "person", "people"),
    ],
)
def test_quantity(text, span, value, unit, kind):
    found = find_quantities(text)
    assert found, text
    q = found[0]
    assert (q["text"], q["value"], q["unit"], q["kind"]) == (span, value, unit, kind)
    assert q["text"] in text


def test_numbers_without_units_are_not_quantities():
    assert find_quantities("call 112 at 5 pm, flat 3B, year 2026") == []
    assert find_quantities("no numbers here") == []


def test_parse_number():
    assert parse_number("1,250") == 1250
    assert parse_number("2.5") == 2.5
    assert parse_number("٤٠") == 40
