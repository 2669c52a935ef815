"""`vigil formats`: the importers registered (built-in and plugins)."""

from __future__ import annotations

from vigil.cli.common import console


def formats() -> None:
    """List the export formats Vigil can read."""
    from rich.table import Table

    from vigil import plugins

    table = Table(title="Formats (auto-detected; force one with --format NAME)", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("reads")
    table.add_column("example")
    for imp in plugins.importers().values():
        table.add_row(imp.name, imp.description, imp.example)
    console().print(table)
