"""Mastodon accounts marked `suspended` or `moved`: statuses kept with the account object as evidence."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.records import AccountStatus, Post
from vigil.sources.base import ImportOptions
from vigil.sources.mastodon.importer import MastodonImporter
from vigil.watch.silence import parse_as_of, watch

STATUSES = DATA / "mastodon" / "account_status.json"


def test_suspended_and_moved_accounts_are_statuses_before_their_posts():
    recs = list(MastodonImporter().iter_records(STATUSES, ImportOptions()))
    statuses = [(r.account_uid, r.status, r.detail, r.at) for r in recs if isinstance(r, AccountStatus)]
    assert statuses[:2] == [
        ("mastodon:rami@harbor.social", "suspended", None, None),  # undated: the capture dates it
        ("mastodon:nour@harbor.social", "moved", "nour@relief.example", None),
    ]
    assert {s[:2] for s in statuses} == {("mastodon:rami@harbor.social", "suspended"),
                                         ("mastodon:nour@harbor.social", "moved")}  # fmt: skip
    first = next(r for r in recs if isinstance(r, AccountStatus))
    assert first.raw.startswith(b"{") and b'"suspended": true' in first.raw and b'"content"' not in first.raw
    boost = recs[-1]
    assert isinstance(boost, Post) and boost.kind == "repost" and boost.repost_of.endswith("/110000000000000705")


def test_watch_calls_the_suspended_account_gone_and_the_moved_one_only_says_where(ws):
    first = ingest(ws, [STATUSES])[0].counts
    assert (first.new, first.updated, first.failed) == (5, 3, 0)  # nour's account read twice the same: once
    again = ingest(ws, [STATUSES])[0].counts
    assert (again.new, again.updated, again.unchanged, again.skipped) == (0, 0, 5, 3)
    rows = {r.handles[0]: r for r in watch(ws, parse_as_of("2030-01-01"), timedelta(hours=12))}
    rami = rows["mastodon:rami@harbor.social"]
    assert rami.status == "gone" and rami.gone_reason.startswith("account suspended as of ")
    nour = rows["mastodon:nour@harbor.social"]
    assert nour.status == "silent" and nour.account.phrase().startswith("account moved to nour@relief.example as of")
