"""An object walked key by key through a bounded window: the same keys and values whatever the window's size."""

from __future__ import annotations

import io

import pytest

from vigil.sources import arrays, walk
from vigil.sources.arrays import Window, iter_items, open_array

TRICKY = (
    b'{"skip": [{"s": "a \\\\\\" ] } [ {"}, "\\\\", [[]], {"t": "\\u005d"}], "n": 12345, "keep": [{"a": 1}, {"b": 2}]}'
)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, arrays.CHUNK])
def test_an_object_is_walked_key_by_key_skipping_what_is_not_read(monkeypatch, chunk):
    monkeypatch.setattr(arrays, "CHUNK", chunk)
    win = Window(io.BytesIO(TRICKY))
    got: list[object] = []
    for key in walk.members(win):
        got.append(key)
        if key == "n":
            got.append(walk.take_value(win))
        elif key == "keep":
            assert open_array(win)
            got.append([raw for _, raw in iter_items(win)])
    assert got == ["skip", "n", b"12345", "keep", [b'{"a": 1}', b'{"b": 2}']]


def test_a_walk_names_where_the_object_breaks():
    win = Window(io.BytesIO(b'{"a": 1,\n "b": [1, 2'))
    with pytest.raises(walk.Broken) as exc:
        list(walk.members(win))
    assert exc.value.where == "line 2, column 7" and "never closes" in exc.value.message
