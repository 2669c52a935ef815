"""Paced garbage collection: off inside the block, cycles still collected, the old state restored."""

from __future__ import annotations

import gc
import weakref

from vigil.gcpace import BatchGC


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


def test_a_cycle_made_in_a_batch_is_collected_after_it():
    with BatchGC(full_every=3) as pace:
        ref = _cycle()
        assert ref() is not None  # nothing collects it while the batch runs
        pace.batch()
        assert ref() is None


def test_cycles_that_outlive_a_young_collection_go_at_the_full_one():
    with BatchGC(full_every=3) as pace:
        keep = Node()
        ref = _cycle()
        keep.other = ref()  # alive through the first collection, so it is promoted
        pace.batch()
        keep.other = None
        pace.batch()
        assert ref() is not None  # only young generations were collected: it is now old
        pace.batch()  # the third batch collects everything
        assert ref() is None
