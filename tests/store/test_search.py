"""`search` on a real workspace: same posts and order as FTS5's rank sort, the newest-stored window, the CLI note."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from vigil.ingest.writer import CaptureWriter
from vigil.records import Author, Post
from vigil.store import queries
from vigil.store.queries import PostFilter, fts_query, search, select_posts

WORDS = ["rubble", "water", "shelter", "convoy", "bridge", "clinic", "fuel", "bread", "night", "road", "market", "tent"]
N = 3000


def _posts(n: int) -> list[Post]:
    rnd = random.Random(5)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        words = rnd.choices(WORDS, k=rnd.randint(3, 14))
        if i % 2 == 0:
            words.insert(rnd.randint(0, len(words)), "trapped")  # broad: half the posts
        if i % 97 == 0:
            words += ["ambulance"] * rnd.randint(1, 3)  # narrow, with repeats
        if i % 3 == 0:
            words.append("bloodbank" if i % 6 else "bloodtype")
        handle = f"user{i % 40}"
        out.append(
            Post(
                platform="twitter" if i % 4 else "telegram",
                id=str(i),
                text=" ".join(words),
                # stored order is not time order: creation times are shuffled
                created_at=start + timedelta(minutes=rnd.randint(0, 60 * 24 * 6)),
                author=Author(id=str(i % 40), handle=handle),
                enrichment={"labels": ["trapped"] if i % 5 == 0 else ["other"], "priority": ["high", "low"][i % 2]},
                raw=f'{{"id":"{i}"}}'.encode(),
            )
        )
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory):
    """A workspace with N generated posts: 'trapped' matches half of them."""
    from vigil.store.engine import open_workspace

    w = open_workspace(tmp_path_factory.mktemp("search") / "ws")
    writer = CaptureWriter(w, "test", "test", None, None)
    posts = _posts(N)
    for i in range(0, N, 1000):
        writer.write(posts[i : i + 1000])  # type: ignore[arg-type]
    writer.finish()
    yield w
    w.close()


def _reference(ws, query: str, f: PostFilter | None = None, limit: int = 20) -> list[tuple[str, str, float]]:
    """The plan search used before the window: FTS5 sorts every match by rank, the join keeps the filtered rows."""
    f = f or PostFilter()
    base = select_posts(PostFilter(**{**f.__dict__, "query": None, "limit": None})).subquery()
    sql = sa.text(
        "SELECT b.uid, snippet(posts_fts, -1, char(2), char(3), '…', 16), posts_fts.rank FROM posts_fts"
        " JOIN (SELECT * FROM b_placeholder) AS b ON b.pk = posts_fts.rowid"
        " WHERE posts_fts MATCH :q AND posts_fts.rank MATCH 'bm25(1.0, 0.6)' ORDER BY posts_fts.rank LIMIT :n"
    )
    with ws.engine.connect() as conn:
        inner = str(sa.select(base).compile(conn, compile_kwargs={"literal_binds": True}))
        text = str(sql).replace("SELECT * FROM b_placeholder", inner)
        rows = conn.execute(sa.text(text), {"q": fts_query(query), "n": limit}).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _got(hits) -> list[tuple[str, str, float]]:
    return [(h.row["uid"], h.snippet, h.rank) for h in hits]


@pytest.mark.parametrize("query", ["ambulance", "ambulance OR bread", '"ambulance ambulance"', "bloodtype*"])
def test_narrow_queries_give_the_same_posts_order_snippets_and_ranks_as_before(big, query):
    hits = search(big, query, limit=30)
    assert hits and hits.ranked is None and hits.matches is None
    assert _got(hits) == _reference(big, query, limit=30)


def test_a_query_below_the_window_ranks_every_match_exactly_like_before(big):
    hits = search(big, "trapped", limit=50, window=N)
    assert hits.ranked is None
    assert _got(hits) == _reference(big, "trapped", limit=50)


@pytest.mark.parametrize(
    "f",
    [
        PostFilter(since="2026-03-02", until="2026-03-03"),
        PostFilter(platforms=["telegram"]),
        PostFilter(authors=["@user8"]),
        PostFilter(labels=["trapped"], priorities=["high"]),
    ],
)
def test_filters_rank_every_match_that_passes_them_like_before(big, f):
    hits = search(big, "trapped", f, limit=25, window=100)
    assert len(hits) == 25 and hits.ranked is None
    assert _got(hits) == _reference(big, "trapped", f, limit=25)
    uids = {h.row["uid"] for h in hits}
    with big.engine.connect() as conn:
        allowed = {r.uid for r in conn.execute(select_posts(PostFilter(**{**f.__dict__, "query": "trapped"})))}
    assert uids <= allowed


def test_a_broad_query_ranks_the_newest_stored_window_and_says_how_many_matched(big):
    window = 400
    hits = search(big, "trapped", limit=20, window=window)
    assert (hits.ranked, hits.matches) == (window, N // 2)
    with big.engine.connect() as conn:
        scored = conn.exec_driver_sql(
            "SELECT rowid, bm25(posts_fts, 1.0, 0.6) FROM posts_fts WHERE posts_fts MATCH '\"trapped\"'"
        ).all()
    newest = sorted(scored, key=lambda s: -s[0])[:window]
    expected = sorted(newest, key=lambda s: (s[1], s[0]))[:20]
    assert [h.row["pk"] for h in hits] == [pk for pk, _ in expected]
    assert [h.rank for h in hits] == [r for _, r in expected]
    # not what ranking every match would give: the window changes the answer, so it must be said
    assert [h.row["pk"] for h in hits] != [pk for pk, _ in sorted(scored, key=lambda s: (s[1], s[0]))[:20]]
    assert all("\x02trapped\x03" in h.snippet.lower() for h in hits)


def test_ranking_puts_more_occurrences_in_a_short_post_first(big):
    hits = search(big, "ambulance", limit=100)
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks)
    counts = [h.row["text"].split().count("ambulance") for h in hits]
    assert counts[0] == max(counts) and counts[0] > counts[-1]


def test_a_limit_above_the_window_widens_it(big):
    hits = search(big, "trapped", limit=500, window=100)
    assert len(hits) == 500 and (hits.ranked, hits.matches) == (500, N // 2)


def test_the_cli_says_when_only_the_newest_matches_were_ranked(big, cli, monkeypatch):
    assert f"{queries.RANK_WINDOW:,} most recently stored" in " ".join(cli("search", "--help").stdout.split())
    monkeypatch.setattr(queries, "RANK_WINDOW", 300)
    res = cli("search", "trapped", "--limit", "3", workspace=big.path)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "1,500 matches: ranked the 300 most recently stored (narrow with words or filters)"
    assert len(lines) == 1 + 3 * 2
    narrow = cli("search", "ambulance", "--limit", "3", workspace=big.path)
    assert "ranked the" not in narrow.stdout and len(narrow.stdout.splitlines()) == 3 * 2


# Long posts (longer than a snippet), several terms under one prefix at different places, transcripts, diacritics:
# what tells a post's snippet apart when it is made another way (another table, another query shape).
LONG_WORDS = ["rubble", "water", "shelter", "convoy", "bridge", "clinic", "fuel", "night", "road", "café", "naïve"]
BLOOD = ["blood", "bloodneeded", "bloodbank", "bloodtype", "blood bank", "bloód"]


def _long_posts(n: int) -> list[Post]:
    rnd = random.Random(11)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        words = rnd.choices(LONG_WORDS, k=rnd.randint(8, 60))
        for _ in range(rnd.choice([0, 0, 0, 0, 0, 1, 2])):
            words.insert(rnd.randint(0, len(words)), rnd.choice(BLOOD))
        if i % 4 == 0:
            words.insert(rnd.randint(0, len(words)), "trapped")
        transcript = None
        if i % 3 == 0:
            spoken = rnd.choices(LONG_WORDS, k=rnd.randint(5, 40))
            spoken.insert(rnd.randint(0, len(spoken)), rnd.choice(BLOOD + ["trapped", "night", "road"]))
            transcript = " ".join(spoken)
        out.append(
            Post(
                platform="tiktok" if transcript else "twitter",
                id=f"L{i}",
                text=" ".join(words),
                transcript=transcript,
                created_at=start + timedelta(minutes=rnd.randint(0, 60 * 24 * 6)),
                author=Author(id=str(i % 30), handle=f"long{i % 30}"),
                raw=f'{{"id":"L{i}"}}'.encode(),
            )
        )
    return out


@pytest.fixture(scope="module")
def long(tmp_path_factory: pytest.TempPathFactory):
    """A workspace of long posts: 'blood*' matches under half of them, some in a transcript only."""
    from vigil.store.engine import open_workspace

    w = open_workspace(tmp_path_factory.mktemp("search-long") / "ws")
    writer = CaptureWriter(w, "test", "test", None, None)
    writer.write(_long_posts(2400))  # type: ignore[arg-type]
    writer.finish()
    yield w
    w.close()


def _plain(ws, query: str, window: int, limit: int) -> tuple[list[tuple[int, float, str]], int]:
    """One plain FTS5 statement: score and snippet the `window` newest-stored matches; sort; count every match."""
    q = fts_query(query)
    with ws.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT rowid, bm25(posts_fts, 1.0, 0.6), snippet(posts_fts, -1, char(2), char(3), '…', 16)"
            " FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (q, window),
        ).all()
        total = conn.exec_driver_sql("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?", (q,)).scalar_one()
    ranked = sorted(rows, key=lambda r: (r[1], r[0]))[:limit]
    return [(r[0], r[1], r[2]) for r in ranked], total


LONG_QUERIES = [
    "blood*",
    "blood",
    "bloodneeded",
    '"blood bank"',
    "blood* OR water",
    "blood* NOT trapped",
    "naive bridge*",
]


@pytest.mark.parametrize("query", LONG_QUERIES)
@pytest.mark.parametrize("window", [150, 5000])
def test_ids_ranks_snippets_and_counts_are_those_of_the_plain_statement(long, query, window):
    expected, total = _plain(long, query, window, limit=60)
    hits = search(long, query, limit=60, window=window)
    assert [(h.row["pk"], h.rank, h.snippet) for h in hits] == expected
    assert (hits.ranked, hits.matches) == ((window, total) if total > window else (None, None))
    assert len(expected) == 60


def test_the_snippets_are_those_of_posts_fts_for_long_posts_and_transcripts(long):
    hits = search(long, "blood*", limit=400, window=400)
    with long.engine.connect() as conn:
        own = dict(
            conn.exec_driver_sql(
                "SELECT rowid, snippet(posts_fts, -1, char(2), char(3), '…', 16) FROM posts_fts"
                " WHERE posts_fts MATCH '\"blood\"*' ORDER BY rowid DESC LIMIT 400"
            ).all()
        )
    assert {h.row["pk"]: h.snippet for h in hits} == own
    # the cases that tell snippet makers apart are there: cut long texts, transcript snippets, two terms in a post
    assert sum(h.snippet.startswith("…") or h.snippet.endswith("…") for h in hits) > 100
    assert sum(not any(w.startswith(("blood", "bloód")) for w in h.row["text"].split()) for h in hits) > 20
    assert sum(len({w for w in h.row["text"].split() if w.startswith("blood")}) > 1 for h in hits) > 20


@pytest.mark.parametrize("query", ["blood*", "bloodneeded", '"blood bank"', "trapped"])
def test_a_one_phrase_query_takes_its_count_from_the_window_pass(long, query, monkeypatch):
    with long.engine.connect() as conn:
        total = conn.exec_driver_sql(queries._COUNT, (fts_query(query),)).scalar_one()
    assert 100 < total < 1200  # below half the posts: FTS5's IDF is not clamped
    monkeypatch.setattr(queries, "_COUNT", "SELECT no_such_function(?)")  # a count pass would fail
    hits = search(long, query, limit=5, window=100)
    assert (hits.ranked, hits.matches) == (100, total)


def test_a_query_matching_over_half_the_posts_or_several_phrases_runs_the_count_pass(long, monkeypatch):
    counted = []
    monkeypatch.setattr(queries, "_COUNT", "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ? AND 1")
    real = queries._matches_from_idf

    def spy(score, averages):
        counted.append(score)
        return real(score, averages)

    monkeypatch.setattr(queries, "_matches_from_idf", spy)
    for query in ["road", "blood* OR water", "bloodbank convoy"]:
        expected, total = _plain(long, query, 100, limit=5)
        hits = search(long, query, limit=5, window=100)
        assert [(h.row["pk"], h.rank) for h in hits] == [(pk, r) for pk, r, _ in expected]
        assert (hits.ranked, hits.matches) == (100, total)
    assert len(counted) == 1  # "road" (in most posts): its score gave no count, so the count pass ran


def test_the_scratch_snippet_table_has_the_columns_and_tokenizer_of_posts_fts(long):
    with long.engine.connect() as conn:
        ddl = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'").scalar_one()
    tokenize = re.compile(r"tokenize\s*=\s*(?:'[^']*'|\"[^\"]*\")")
    assert tokenize.findall(ddl) == tokenize.findall(queries._SCRATCH_CREATE) != []
    assert "fts5(text, transcript," in ddl and "fts5(text, transcript," in queries._SCRATCH_CREATE


@pytest.mark.parametrize("query", ["bloodneeded", "bloodneeded OR bloodbank", "blood* NOT trapped"])
@pytest.mark.parametrize("shift", [-1, 0, 1])
def test_a_window_one_below_at_or_above_the_match_count(long, query, shift):
    _, total = _plain(long, query, 1, limit=1)
    window = total + shift
    expected, _ = _plain(long, query, window, limit=20)
    hits = search(long, query, limit=20, window=window)
    assert [(h.row["pk"], h.rank, h.snippet) for h in hits] == expected
    assert (hits.ranked, hits.matches) == ((window, total) if shift < 0 else (None, None))


def _sqlite_varint(value: int) -> bytes:
    groups = [value & 0x7F]
    while value := value >> 7:
        groups.append(0x80 | (value & 0x7F))
    return bytes(reversed(groups))


@pytest.mark.parametrize("rows", [3, 127, 128, 3000, 16_384, 1_003_000, 2_000_000_000])
def test_the_match_count_follows_from_the_score_fts5_would_give_and_only_when_it_can(rows):
    import math

    averages = _sqlite_varint(rows) + _sqlite_varint(rows * 17)
    for n in {1, 2, rows // 7, rows // 3, rows // 2 - 1, rows // 2, rows // 2 + 1, rows - 1}:
        if not 0 < n < rows:
            continue
        idf = max(math.log((rows - n + 0.5) / (n + 0.5)), 1e-6)  # FTS5's, clamped as FTS5 does
        score = -(idf * ((3e200 * 2.2) / (3e200 + 1.3)))  # bm25's factor with huge weights, as FTS5 computes it
        got = queries._matches_from_idf(score, averages)
        assert got == (n if idf > 1e-3 else None), (rows, n)
    assert queries._matches_from_idf(-1e-6 * 2.2, averages) is None
    assert queries._matches_from_idf(-2.0, None) is None


@pytest.mark.parametrize("query", ["bloodneeded OR bloodbank", "bloodtype NOT trapped", "blood* water", "bloodtype"])
def test_a_limit_above_the_number_of_matches_returns_them_all_like_the_plain_statement(long, query):
    expected, total = _plain(long, query, 5000, limit=5000)
    hits = search(long, query, limit=5000, window=5000)
    assert len(hits) == total < 5000
    assert [(h.row["pk"], h.rank, h.snippet) for h in hits] == expected
    assert (hits.ranked, hits.matches) == (None, None)


def test_iter_posts_pages_keep_every_post_once_in_order_across_ties_and_missing_times(ws):
    from datetime import UTC, datetime

    from vigil.ingest.writer import CaptureWriter
    from vigil.records import Author, Post
    from vigil.store.queries import PostFilter, iter_posts, select_posts

    at = [None, None, None, *[datetime(2026, 3, 2, 8, i // 4, tzinfo=UTC) for i in range(37)]]  # ties of 4
    w = CaptureWriter(ws, "t", "test", None, None)
    w.write([Post(platform="twitter", id=str(i), text=f"post {i}", created_at=t, author=Author(id="1", handle="a"),
                  raw=str(i).encode()) for i, t in enumerate(at)])  # fmt: skip
    w.finish()
    with ws.engine.connect() as conn:
        whole = [r["uid"] for r in conn.execute(select_posts(PostFilter())).mappings()]
    assert len(whole) == 40
    for chunk in (1, 2, 3, 5, 7, 40, 100):
        paged = [r["uid"] for rows in iter_posts(ws, PostFilter(), chunk=chunk) for r in rows]
        assert paged == whole, chunk
    limited = [r["uid"] for rows in iter_posts(ws, PostFilter(limit=11), chunk=3) for r in rows]
    assert limited == whole[:11]
    since = [r["uid"] for rows in iter_posts(ws, PostFilter(since="2026-03-02T08:05:00Z"), chunk=3) for r in rows]
    assert since == whole[23:]
