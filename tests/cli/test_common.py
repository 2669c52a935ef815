"""The CLI forgives small slips: -w anywhere, dates as people type them, local days, one-line errors."""

from __future__ import annotations

import json

from tests.watch.city import load_city
from typer.testing import CliRunner

from vigil.cli.main import app


def _export(cli, *args: str) -> list[str]:
    res = cli("export", *args)
    assert res.exit_code == 0, res.output
    return [json.loads(line)["created_at"] for line in res.stdout.splitlines()]


def test_workspace_before_or_after_the_command(ws, tmp_path):
    load_city(ws)
    runner = CliRunner()
    env = {"VIGIL_WORKSPACE": str(tmp_path / "elsewhere"), "COLUMNS": "200"}
    before = runner.invoke(app, ["-w", str(ws.path), "export"], env=env)
    after = runner.invoke(app, ["export", "-w", str(ws.path)], env=env)
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout and len(before.stdout) > 0
    assert runner.invoke(app, ["--workspace", str(ws.path), "voice", "suggest"], env=env).exit_code == 0
    assert not (tmp_path / "elsewhere").exists()


def test_since_until_in_any_form_and_local_days(ws, cli):
    load_city(ws)
    assert len(_export(cli, "--since", "2026-03-02", "--until", "2026-03-02")) == 7  # the UTC day
    assert len(_export(cli, "--since", "02/03/2026", "--until", "02/03/2026", "--date-order", "dmy")) == 7
    local = _export(cli, "--since", "2026-03-02", "--until", "2026-03-02", "--tz", "+03:00")
    assert local == ["2026-03-02T08:10:00Z", "2026-03-02T09:00:00Z", "2026-03-02T09:40:00Z", "2026-03-02T12:00:00Z",
                     "2026-03-02T20:00:00Z"]  # fmt: skip
    assert len(_export(cli, "--since", "2026-03-03", "--until", "2026-03-03", "--tz", "+03:00")) == 6
    assert _export(cli, "--since", "2026-03-04T08:00:00+00:00") == ["2026-03-04T08:00:00Z"]
    assert _export(cli, "--since", "now") == [] and len(_export(cli, "--until", "yesterday")) == 12


def test_a_date_that_reads_two_ways_is_one_line(ws, cli):
    load_city(ws)
    res = cli("export", "--since", "02/03/2026")
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr == (
        "error: --since: '02/03/2026' could be 02 March 2026 (dmy) or 03 February 2026 (mdy): "
        "add --date-order dmy or --date-order mdy\n"
    )
    assert cli("--date-order", "dmy", "export", "--since", "02/03/2026").exit_code == 0
    bad = cli("search", "water", "--until", "soon")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and bad.stderr.startswith("error: --until: not a date")


def test_as_of_yesterday_and_days_ago(ws, cli):
    load_city(ws)
    for when in ("yesterday", "2 days ago", "now", "04/03/2026"):
        res = cli("--date-order", "dmy", "watch", "--as-of", when)
        assert res.exit_code == 0, res.output
    res = cli("digest", "-o", str(ws.path / "d.md"), "--since", "2 days ago", "--tz", "+02:00")
    assert res.exit_code == 0, res.output
