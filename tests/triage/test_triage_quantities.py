from __future__ import annotations

import random
import re

import pytest

from vigil.triage import quantities
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
    assert parse_number("15") == 15 and parse_number("007") == 7 and parse_number("²") is None


def _unit_words() -> list[str]:
    """Words of every unit, spelled out from its regex (optional letters both ways, each class letter)."""
    words = []
    for rx, _, _ in quantities._UNITS:
        for alt in quantities._alternatives(rx):
            plain = re.sub(r"\(\?:([^|()]*)\|[^()]*\)", r"\1", alt).replace("\\", "")
            plain = re.sub(r"\[(.)[^\]]*\]", r"\1", plain)
            words += [re.sub(r".\?", "", plain), plain.replace("?", "")]
    return words


def test_unit_lookaheads_skip_no_match() -> None:
    """The first-letter lookahead of each unit is a shortcut only: the regex without it matches the same."""
    units = "|".join(f"(?P<u{i}>{rx})" for i, (rx, _, _) in enumerate(quantities._UNITS))
    reference = re.compile(quantities._AFTER.pattern.split("(?:(?P<u0>")[0] + f"(?:{units})(?!\\w)", re.I)
    rnd = random.Random(5)
    words = _unit_words()
    odd = ["ſ", "K", "İ", "ı", "É", "Ω", "ß", "-", " ", "  ", "\n", "x", "s", "k", "_", "2", "أ"]
    for _ in range(20_000):
        word = rnd.choice(words)
        word = rnd.choice([word, word.upper(), word.title(), word[:-1], word + rnd.choice(odd)])
        after = rnd.choice(["", " ", "  ", " - ", "-", " more ", " k ", " million "]) + word + rnd.choice(odd)
        text = rnd.choice(["3", "12", "1.5"]) + after
        new, old = quantities._AFTER.match(text, 1), reference.match(text, 1)
        assert (new and (new.span(), new.groupdict())) == (old and (old.span(), old.groupdict())), text
        if new:  # the unit group closed last is the one that matched
            assert quantities._UNIT_OF[new.lastindex] == next(i for i in range(30) if new.start(f"u{i}") >= 0)


@pytest.mark.parametrize("rx", ["(?:a|b)c", "a?b", "[ab]?c", "x|.y", "[a-z]b", "[^a]b", "a|"])
def test_first_letters_refuses_what_it_cannot_read(rx: str) -> None:
    with pytest.raises(ValueError):
        quantities.first_letters(rx)
