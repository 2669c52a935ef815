"""The bounded memo: at most its limit, the older half forgotten, a plain dict to read and to pickle."""

from __future__ import annotations

import pickle

from vigil.text.memo import Memo


def test_a_full_memo_forgets_its_older_half_and_keeps_the_newer():
    memo: Memo[int, str] = Memo(10)
    for i in range(10):
        assert memo.keep(i, str(i)) == str(i)
    assert len(memo) == 10
    memo.keep(10, "10")  # full: 0..4 go, 5..9 stay
    assert list(memo) == [5, 6, 7, 8, 9, 10]
    for i in range(11, 100):
        memo.keep(i, str(i))
        assert len(memo) <= 10
    assert 99 in memo and memo[99] == "99" and memo.get(0) is None


def test_make_room_says_whether_it_forgot():
    memo: Memo[int, int] = Memo(4)
    memo.update({1: 1, 2: 2})
    assert memo.make_room(2) is False and list(memo) == [1, 2]
    assert memo.make_room(3) is True and list(memo) == [2]
    assert memo.make_room(9) is True and not memo  # more than fits: everything goes


def test_a_weighed_memo_counts_its_keys_weight():
    memo: Memo[bytes, int] = Memo(10, weigh=len)
    memo.keep(b"aaaa", 1)
    memo.keep(b"bbbb", 2)
    memo.keep(b"bbbb", 3)  # the same key again weighs nothing more
    assert memo.weight == 8 and memo[b"bbbb"] == 3
    memo.keep(b"ccc", 4)  # 8 + 3 > 10: the older half (b"aaaa") goes
    assert list(memo) == [b"bbbb", b"ccc"] and memo.weight == 7
    memo.keep(b"x" * 20, 5)  # heavier than the limit: everything else goes, and it is kept alone
    assert list(memo) == [b"x" * 20] and memo.weight == 20
    memo.clear()
    assert memo.weight == 0 and not memo


def test_a_memo_pickles_with_its_limit():
    memo: Memo[str, int] = Memo(3)
    memo.keep("a", 1)
    back = pickle.loads(pickle.dumps(memo))
    assert back == {"a": 1} and back.limit == 3 and back.weigh is None
