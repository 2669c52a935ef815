"""Account statuses in the watch: suspended or deactivated voices are gone with the reason; reactivated ones return."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from tests.conftest import DATA

from vigil.ingest.pipeline import ingest
from vigil.report.digest import build_digest
from vigil.report.html import render_html
from vigil.report.markdown import render_markdown
from vigil.watch.alerts import record
from vigil.watch.events import detect_events
from vigil.watch.silence import parse_as_of, watch
from vigil.watch.sinks.terminal import alert_line
from vigil.watch.voices import list_voices

JET = DATA / "bluesky" / "jetstream_account.jsonl"
PAGES = DATA / "twarc2" / "page_with_errors.jsonl"
WINDOW = timedelta(hours=12)
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture
def loaded(ws):
    ingest(ws, [JET, PAGES])
    return ws


def _by_handle(rows, handle: str):
    return next(r for r in rows if handle in r.handles)


def test_deactivated_is_gone_with_the_reason_and_active_again_returns(loaded):
    during = watch(loaded, parse_as_of("2026-11-22T12:00:00Z"), WINDOW)
    yara = _by_handle(during, "bluesky:yara-port.example.org")
    assert (yara.status, yara.gone_reason) == ("gone", "account deactivated as of 2026-11-22 10:00 UTC")
    assert yara.row()["account_status"]["status"] == "deactivated" and yara.risk > 80
    before = watch(loaded, parse_as_of("2026-11-22T09:30:00Z"), WINDOW)  # --as-of: not known yet
    assert _by_handle(before, "bluesky:yara-port.example.org").status == "active"
    reactivated = watch(loaded, parse_as_of("2026-11-23T10:02:00Z"), WINDOW)
    yara = _by_handle(reactivated, "bluesky:yara-port.example.org")  # back, but no post for 25 hours
    assert (yara.status, yara.gone_reason, yara.account.status) == ("silent", None, "active")
    posted = watch(loaded, parse_as_of("2026-11-23T10:30:00Z"), WINDOW)
    assert _by_handle(posted, "bluesky:yara-port.example.org").status == "active"


def test_a_suspended_twitter_user_is_gone_and_an_unknown_status_is_shown_not_gone(loaded):
    rows = watch(loaded, parse_as_of("2026-11-22T12:00:00Z"), WINDOW)
    dalia = rows[0]  # gone after a farewell: most at risk
    assert dalia.handles == ["twitter:dalia_news"] and dalia.status == "gone"
    assert dalia.gone_reason == "account suspended as of 2026-11-22 09:00 UTC"
    assert dalia.account.detail == "User has been suspended: [1500]."
    hostile = _by_handle(rows, "bluesky:<script>alert(1)</script>.example")
    assert hostile.status == "active" and hostile.account.status == HOSTILE  # not a status that means gone
    assert _by_handle(rows, "twitter:harbor_watch").account is None


def test_a_post_after_the_status_means_the_account_is_back(ws, tmp_path):
    later = tmp_path / "later.jsonl"
    line = json.loads(PAGES.read_text().splitlines()[0])
    line["data"] = [dict(line["data"][0], id="2003", created_at="2026-11-22T11:00:00.000Z", text="I am back")]
    later.write_text(json.dumps(line) + "\n")
    ingest(ws, [PAGES, later])
    dalia = _by_handle(watch(ws, parse_as_of("2026-11-22T12:00:00Z"), WINDOW), "twitter:dalia_news")
    assert dalia.status == "active" and dalia.account.status == "suspended"  # still shown: what the source said


def test_account_events_are_alerts_once_and_voices_still_list(loaded):
    as_of = parse_as_of("2026-11-23T12:00:00Z")
    events = [e for e in detect_events(loaded, as_of, WINDOW) if e.kind == "account"]
    assert [(e.detail["status"], e.at) for e in events if "yara" in e.detail["account"]] == [
        ("deactivated", "2026-11-22T10:00:00Z"), ("active", "2026-11-23T10:00:00Z")]  # fmt: skip
    assert sum(e.detail["status"] == "suspended" for e in events) == 1  # by id and by username: one change
    assert not any(e.detail["account"] == "twitter:1700" for e in events)  # never posted: no voice, no alert
    assert record(loaded, events) == len(events) and record(loaded, events) == 0
    first = next(e for e in events if "yara" in e.detail["account"])
    line = alert_line({"kind": "account", "at": first.at, "name": "Yara", "detail": first.detail})
    assert "ACCOUNT" in line and "deactivated" in line
    assert {v.name for v in list_voices(loaded)} >= {"Dalia <b>News</b>", "Harbor Watch"}


def test_digest_names_the_reason_and_escapes_hostile_statuses_and_handles(loaded):
    d = build_digest(loaded, as_of="2026-11-22T12:00:00Z", title="Harbor")
    html = render_html(d)
    assert "account suspended as of 2026-11-22 09:00 UTC" in html and "recent posts deleted" not in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE not in html and "&lt;img src=x onerror=" in html
    assert "<b>News</b>" not in html
    md = render_markdown(d)
    assert "account suspended as of 2026-11-22 09:00 UTC" in md
    assert HOSTILE not in md and "<script>" not in md


def test_watch_cli_shows_gone_with_the_reason_and_keeps_markup_as_text(loaded, cli):
    table = cli("watch", "--as-of", "2026-11-22T12:00:00Z")
    assert table.exit_code == 0, table.output
    dalia = next(x for x in table.output.splitlines() if "dalia_news" in x)
    assert "gone" in dalia and "account suspended as of" in dalia  # the table wraps the date below
    assert "<img src=x" in table.output  # rich printed it as text, not as markup
    rows = [json.loads(x) for x in cli("watch", "--as-of", "2026-11-22T12:00:00Z", "-f", "jsonl").stdout.splitlines()]
    gone = {r["handles"][0]: r["reason"] for r in rows if r["status"] == "gone"}
    assert gone == {
        "twitter:dalia_news": "account suspended as of 2026-11-22 09:00 UTC",
        "bluesky:yara-port.example.org": "account deactivated as of 2026-11-22 10:00 UTC",
    }


def test_the_evidence_of_a_status_comes_back_byte_for_byte_through_vigil_raw(loaded):
    from typer.testing import CliRunner

    from vigil.cli.main import app

    rows = watch(loaded, parse_as_of("2026-11-22T12:00:00Z"), WINDOW)
    evidence = _by_handle(rows, "bluesky:yara-port.example.org").row()["account_status"]["evidence"]
    env = {"VIGIL_WORKSPACE": str(loaded.path)}
    got = CliRunner().invoke(app, ["raw", evidence], env=env)
    assert got.exit_code == 0, got.stderr
    event = json.loads(got.stdout_bytes)
    assert event["kind"] == "account" and event["account"]["status"] == "deactivated"
    assert got.stdout_bytes in JET.read_bytes()  # the line as the file holds it, not a re-encoding
    missing = CliRunner().invoke(app, ["raw", "0" * 64], env=env)
    assert missing.exit_code == 1 and missing.stderr.startswith("error: no raw payload 0000")
