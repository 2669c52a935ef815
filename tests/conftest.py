"""Shared fixtures: a real workspace in a temporary folder, the CLI runner, the fixture data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigil.store.engine import Workspace, open_workspace

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "crisislex-t26"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh workspace (real SQLite file) in a temporary folder."""
    w = open_workspace(tmp_path / "ws")
    yield w
    w.close()


@pytest.fixture
def cli(tmp_path: Path):
    """Run `vigil ARGS` in-process against a temporary workspace; returns the click Result."""
    from vigil.cli.main import app

    runner = CliRunner()

    def run(*args: str, workspace: Path | None = None):
        wsdir = workspace or tmp_path / "ws"
        env = {"VIGIL_WORKSPACE": str(wsdir), "VIGIL_DATE_ORDER": None, "COLUMNS": "200"}  # restored after each run
        return runner.invoke(app, [*args], env=env)

    return run
