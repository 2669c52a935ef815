"""The documentation keeps up with the code: every command, format, export field and hook is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vigil import hookspecs, plugins
from vigil.cli.main import app
from vigil.cli.reference import commands, render
from vigil.report.export import ENRICHMENT_FIELDS, FIELDS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"


def test_the_readme_is_a_front_door():
    assert README.stat().st_size <= 12 * 1024
    first_screen = README.read_text().split("<!-- the first screen ends here -->")[0]
    assert "make demo" in first_screen and "make test" in first_screen


def test_the_command_reference_is_current():
    assert (DOCS / "cli.md").read_text() == render(app), "docs/cli.md is stale: run `make docs`"


def test_every_command_is_in_the_readme_table():
    table = README.read_text().split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name in commands(app):
        words = name.split()
        if len(words) == 2:  # top-level commands and groups; their subcommands are in docs/cli.md
            assert f"`vigil {words[1]}" in table, f"{name} is missing from the README's command table"


@pytest.mark.parametrize("name", sorted(plugins.importers()))
def test_every_format_has_its_page_and_a_line_in_the_readme(name):
    assert (DOCS / "formats" / f"{name}.md").is_file(), f"docs/formats/{name}.md is missing"
    assert f"[`{name}`](docs/formats/{name}.md)" in README.read_text()


def test_every_export_field_is_documented():
    page = (DOCS / "export.md").read_text()
    missing = [f for f in (*FIELDS, *ENRICHMENT_FIELDS) if f"`{f}`" not in page]
    assert missing == []


def test_every_hook_is_documented():
    page = (DOCS / "plugins.md").read_text()
    hooks = [n for n in dir(hookspecs) if n.startswith("vigil_")]
    assert hooks and [h for h in hooks if f"`{h}`" not in page] == []


def test_every_local_link_resolves():
    broken = []
    for page in [README, *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert broken == []
