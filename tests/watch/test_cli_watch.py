from __future__ import annotations

import json

from tests.watch.city import AS_OF, load_city
from tests.watch.test_alerts import Hook


def test_voices_link_set_attribute_from_the_cli(ws, cli):
    load_city(ws)
    res = cli("voice", "suggest")
    assert res.exit_code == 0 and "vigil voice link twitter:lina_h telegram:lina_channel" in res.output
    assert "vigil voice attribute twitter:1006" in res.output
    assert cli("voice", "link", "lina_h", "telegram:lina_channel").exit_code == 0
    assert cli("voice", "set", "Lina Haddad", "--place", "Port street").exit_code == 0
    assert cli("voice", "attribute", "twitter:1006", "omar_rescue").exit_code == 0
    rows = [json.loads(x) for x in cli("voices", "--format", "jsonl").output.splitlines()]
    lina = next(r for r in rows if r["name"] == "Lina Haddad")
    assert (lina["place"], lina["role"], lina["posts"]) == ("Port street", "teacher", 5)
    bad = cli("voice", "link", "lina_h", "nobody")
    assert bad.exit_code == 2 and "no account 'nobody'" in bad.output
    table = cli("voices")
    assert "Lina Haddad" in table.output and "telegram" in table.output


def test_watch_jsonl_and_alerts_reach_a_webhook_once(ws, cli, tmp_path):
    load_city(ws)
    cli("voice", "link", "lina_h", "telegram:lina_channel")
    res = cli("watch", "--as-of", AS_OF, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert rows[0]["name"] == "Lina Haddad" and rows[0]["status"] == "silent"
    assert rows[0]["last_labels"] == ["farewell"]
    assert {r["name"]: r["status"] for r in rows}["Sami Nour"] == "active"
    out = tmp_path / "alerts.jsonl"
    with Hook(fail=1) as hook:
        first = cli("watch", "--as-of", AS_OF, "--alerts", "--webhook", hook.url, "--jsonl-out", str(out))
        assert first.exit_code == 0, first.output
        assert "REAPPEARED" in first.output and "Omar Saleh reappeared after 27.0 h" in first.output
        n = len(hook.bodies)
        second = cli("watch", "--as-of", AS_OF, "--alerts", "--webhook", hook.url, "--jsonl-out", str(out))
        assert second.exit_code == 0 and "REAPPEARED" not in second.output
    assert n == len(hook.bodies) == len(out.read_text().splitlines()) > 10
    assert len({b["key"] for b in hook.bodies}) == n
    kinds = {b["kind"] for b in hook.bodies}
    assert kinds == {"silent", "reappeared", "deleted", "edited"}


def test_watch_table_and_bad_options(ws, cli):
    load_city(ws)
    res = cli("watch", "--as-of", AS_OF, "--silence", "48h")
    assert res.exit_code == 0 and "silent after 48h" in res.output
    assert "<img src=x onerror=alert(1)>" in res.output  # shown as text in a terminal, not interpreted
    assert cli("watch", "--silence", "soon").exit_code == 2
    assert cli("watch", "--as-of", "yesterday-ish").exit_code == 2


def test_watch_limit_shows_the_most_at_risk_first_and_says_how_many_are_left_out(ws, cli):
    load_city(ws)
    every = [json.loads(x) for x in cli("watch", "--as-of", AS_OF, "-f", "jsonl").stdout.splitlines()]
    assert len(every) > 3  # JSON Lines give every voice unless --limit is set
    two = [json.loads(x) for x in cli("watch", "--as-of", AS_OF, "-f", "jsonl", "--limit", "2").stdout.splitlines()]
    assert two == every[:2]
    table = cli("watch", "--as-of", AS_OF, "--limit", "1")
    assert table.exit_code == 0
    assert f"the 1 most at risk of {len(every)} voices (--limit 0 shows all)" in table.output
    assert every[0]["name"] in table.output and every[-1]["name"] not in table.output
    full = cli("watch", "--as-of", AS_OF)  # fewer voices than the table's default limit: all, no note
    assert "most at risk of" not in full.output and every[-1]["name"] in full.output
    assert cli("watch", "--limit", "-1").exit_code == 2


def test_voices_limit_shows_the_first_by_name_and_says_how_many_are_left_out(ws, cli):
    load_city(ws)
    every = [json.loads(x) for x in cli("voices", "-f", "jsonl").stdout.splitlines()]
    assert len(every) > 3
    assert [json.loads(x) for x in cli("voices", "-f", "jsonl", "-n", "2").stdout.splitlines()] == every[:2]
    table = cli("voices", "--limit", "1")
    assert table.exit_code == 0
    assert f"the first 1 of {len(every)} voices by name (--limit 0 shows all)" in table.output
    assert every[0]["name"] in table.output and every[-1]["name"] not in table.output
    assert f"{len(every)} voices" in cli("voices").output  # fewer than the default limit: all of them


def test_ack_mute_and_location_from_the_cli(ws, cli):
    load_city(ws)
    cli("voice", "link", "lina_h", "telegram:lina_channel")
    ack = cli("watch", "--as-of", AS_OF, "--ack", "Lina Haddad", "--by", "desk-a")
    assert ack.exit_code == 0 and "silence after 2026-03-03T14:00:00Z acknowledged" in ack.output
    rows = {r["name"]: r for r in map(json.loads, cli("watch", "--as-of", AS_OF, "-f", "jsonl").stdout.splitlines())}
    assert rows["Lina Haddad"]["acknowledged"] and rows["Lina Haddad"]["at_risk"]
    assert next(iter(rows)) != "Lina Haddad"  # acknowledged: after the silences that still matter
    assert cli("watch", "--mute", "omar_rescue").exit_code == 0
    assert cli("voice", "set", "Sami Nour", "--outside", "--by", "desk-b").exit_code == 0
    rows = {r["name"]: r for r in map(json.loads, cli("watch", "--as-of", AS_OF, "-f", "jsonl").stdout.splitlines())}
    assert rows["Omar Saleh"]["muted"] and not rows["Omar Saleh"]["at_risk"]
    assert rows["Sami Nour"]["location"] == "outside" and "desk-b" in rows["Sami Nour"]["location_reason"]
    assert "1 mute lifted" in cli("watch", "--unmute", "omar_rescue").output
    table = cli("watch", "--as-of", AS_OF, "--limit", "0")
    assert "acknowledged" in table.output and "outside" in table.output  # (cells wrap in a narrow terminal)
    bad = cli("watch", "--ack", "nobody")
    assert bad.exit_code == 2 and "no account 'nobody'" in bad.output


def test_watch_as_of_reads_a_local_day_or_time_in_tz(ws, cli):
    load_city(ws)

    def rows(*args: str) -> dict[str, dict]:
        res = cli("watch", "-f", "jsonl", *args)
        assert res.exit_code == 0, res.output
        return {r["name"]: r for r in map(json.loads, res.stdout.splitlines())}

    utc = rows("--as-of", AS_OF)  # 2026-03-04T12:00:00Z
    assert rows("--as-of", "2026-03-04 15:00", "--tz", "+03:00") == utc  # the same moment, read locally
    assert rows("--as-of", "04/03/2026 14:00", "--tz", "Europe/Kyiv", "--date-order", "dmy") == utc  # UTC+2 in March
    later = rows("--as-of", "2026-03-04 15:00")  # without --tz a time is UTC: three hours later
    same_last = [n for n, r in utc.items() if r["silent_hours"] is not None and later[n]["last_seen"] == r["last_seen"]]
    assert same_last
    assert all(later[n]["silent_hours"] == round(utc[n]["silent_hours"] + 3, 1) for n in same_last)
    day = cli("watch", "--as-of", "2026-03-04", "--tz", "+03:00")  # a day alone: its end in the zone
    assert day.exit_code == 0 and "Watch as of 2026-03-04 20:59 UTC" in day.output
    assert "Watch as of 2026-03-04 23:59 UTC" in cli("watch", "--as-of", "2026-03-04").output
    bad = cli("watch", "--as-of", "2026-03-04", "--tz", "Mars/Olympus")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --as-of:") and bad.stderr.count("\n") == 1
