"""JSON arrays read item by item through a bounded window: the same items and errors whatever the window's size."""

from __future__ import annotations

import io
import json

import pytest

from vigil.sources import arrays
from vigil.sources.arrays import Window, iter_items, open_array
from vigil.sources.base import Damage

CASES = {
    "good": (b'[{"a":1}, {"b":"x"} ,\n {"c":[1,2]}]', [1, 2, 3], []),
    "nan": (b'[{"a":1}, {"b":NaN}, {"c":3}]', [1, 2, 3], []),  # (the importer mends it and says so)
    "lone surrogate": (b'[{"a":1}, {"b":"\\ud83d"}, {"c":3}]', [1, 2, 3], []),
    "syntax error": (b'[\n  {"a":1},\n  {"b": xx},\n  {"c":3}\n]', [1, 3], ["item 2, line 3, column 9"]),
    "broken brackets": (b'[\n  {"a":1},\n  {"b": "x", [[[},\n  {"c":3}\n]', [1, 3], ["item 2, line 3, column 14"]),
    "unclosed bracket": (
        b'[\n  {\n    "a": 1\n  },\n  {\n    "b": 12 12 [\n  },\n  {\n    "c": 3\n  },\n  {\n    "d": 4\n  }\n]',
        [1, 3, 4],
        ["item 2, line 6, column 13"],
    ),
    "truncated": (b'[{"a":1}, {"b":2}, {"c":', [1, 2], ["item 3, line 1, column 25"]),
    "never closes": (b'[{"a":1}, {"b":2}', [1, 2], ["item 3, line 1"]),
    "deep": (b'[{"a":1}, ' + b"[" * 5000 + b"]" * 5000 + b', {"c":3}]', [1, 3], ["item 2, line 1"]),
    "empty": (b"[]", [], []),
    "nested like its items": (b'[{"a":1,"r":{"a":2}},{"a":3,"r":[{"a":4},{"a":5}]}, {"a":6}]', [1, 2, 3], []),
    "pretty": (b'[\n {\n  "a": 1\n },\n {\n  "a": [\n   {"b": 2}\n  ]\n },\n {\n  "c": 3\n }\n]', [1, 2, 3], []),
}


def _read(data: bytes) -> tuple[list[int], list[str], list[bytes]]:
    win = Window(io.BytesIO(data))
    assert open_array(win)
    got = list(iter_items(win))
    items = [g for g in got if not isinstance(g, Damage)]
    return [n for n, _ in items], [d.where for d in got if isinstance(d, Damage)], [raw for _, raw in items]


@pytest.mark.parametrize("chunk", [3, 7, 64, arrays.CHUNK])
@pytest.mark.parametrize("name", sorted(CASES))
def test_items_and_errors_do_not_depend_on_the_window(monkeypatch, name, chunk):
    data, numbers, wheres = CASES[name]
    monkeypatch.setattr(arrays, "CHUNK", chunk)
    got_numbers, got_wheres, raws = _read(data)
    assert got_numbers == numbers
    assert [w.split(", column")[0] for w in got_wheres] == [w.split(", column")[0] for w in wheres]
    if chunk == arrays.CHUNK:
        assert got_wheres == wheres
    assert all(raw in data for raw in raws)  # each item is the file's own bytes
    if not wheres:
        assert [json.loads(raw) for raw in raws] == json.loads(data)  # whole items, in order


def test_invalid_utf8_inside_an_item_is_mended_and_named(monkeypatch):
    data = b'[\n  {"a":1},\n  {"b": "caf\xe9", "c": x},\n  {"c":3}\n]'  # a Latin-1 byte inside a damaged item
    got = list(iter_items(_opened(data)))
    assert [g.where for g in got if isinstance(g, Damage)] == ["line 3 (byte 25)", "item 2, line 3, column 22"]


def _opened(data: bytes) -> Window:
    win = Window(io.BytesIO(data))
    open_array(win)
    return win


def test_the_array_under_a_key():
    win = Window(io.BytesIO(b'{"@context": "x", "orderedItems": [ {"a": 1}, {"b": 2} ], "totalItems": 2}'))
    assert open_array(win, b"orderedItems")
    assert [raw for _, raw in iter_items(win)] == [b'{"a": 1}', b'{"b": 2}']


def test_the_window_stays_bounded(monkeypatch):
    monkeypatch.setattr(arrays, "CHUNK", 1024)
    item = b'{"text": "' + b"x" * 500 + b'"}'
    data = b"[" + b",\n".join([item] * 5000) + b"]"
    win = _opened(data)
    biggest = count = 0
    for _ in iter_items(win):
        biggest, count = max(biggest, len(win.buf)), count + 1
    assert count == 5000 and biggest < 3 * 1024
