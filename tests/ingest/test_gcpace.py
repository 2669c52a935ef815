"""Paced garbage collection: off inside the block, cycles still collected, the old state restored."""

from __future__ import annotations

import gc
import weakref

from vigil.ingest.gcpace import BatchGC


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_collection_is_off_inside_and_restored_after():
    assert gc.isenabled()
    with BatchGC():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_cycles_made_in_batches_go_at_the_full_collection():
    with BatchGC(full_every=3) as pace:
        first = _cycle()
        pace.batch()
        second = _cycle()
        pace.batch()
        assert first() is not None and second() is not None  # frozen, not walked, until the full collection
        pace.batch()
        assert first() is None and second() is None


def test_what_a_batch_left_is_not_walked_again():
    with BatchGC(full_every=50) as pace:
        before = gc.get_freeze_count()  # what existed on entry
        kept = [Node() for _ in range(100)]
        pace.batch()
        assert gc.get_freeze_count() - before >= len(kept)  # frozen: young collections never see them
    assert gc.get_freeze_count() == 0


def test_no_gc_switches_collection_off_inside_and_back_as_it_was():
    import gc

    from vigil.store.reading import no_gc

    assert gc.isenabled()
    with no_gc():
        assert not gc.isenabled()
        with no_gc():  # nested: still off, and still off after the inner block
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with no_gc():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()
    gc.disable()
    try:
        with no_gc():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
