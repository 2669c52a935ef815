"""The `vigil` command's first step: a read command beside a running ingest takes idle CPU priority, then loads.

Loading the CLI (Typer, every command's options) costs a read command about as much CPU as a short read itself;
beside an ingest on a small machine it would run at the ingest's priority. So the command line is looked at here,
before any of it is imported: when it is surely a command that only reads (export, search, a watch without alerts
or marks…) and an ingest holds the workspace's lock, the process runs on idle CPU time from its first import on.
Anything unsure is left to the command itself (`as_reader`, first in every read command): a command that writes
must never run at that priority, or it would hold the write lock the ingest waits for.
"""

from __future__ import annotations

import sys
from pathlib import Path

READS = frozenset({"export", "search", "stats", "raw", "voices", "digest", "watch"})
READ_SUBCOMMANDS = {"voice": frozenset({"suggest"}), "label": frozenset({"export"}), "model": frozenset({"list"})}
WATCH_WRITES = ("--alerts", "--webhook", "--jsonl-out", "--ack", "--mute", "--unmute")
GLOBAL_VALUES = frozenset({"-w", "--workspace", "--date-order"})  # options before the command that take a value


def read_command(args: list[str]) -> tuple[bool, str | None]:
    """Whether a command line is surely a command that only reads, and the workspace it names (-w), if any."""
    workspace: str | None = None
    words: list[str] = []  # the command and the first word after it
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-w", "--workspace") and i + 1 < len(args):
            workspace = args[i + 1]
            i += 2
            continue
        if arg.startswith("--workspace="):
            workspace = arg.split("=", 1)[1]
        elif arg.startswith("-w") and len(arg) > 2 and not arg.startswith("--"):
            workspace = arg[2:]
        elif not words and arg in GLOBAL_VALUES:
            i += 1  # --date-order dmy
        elif arg == "--":
            break
        elif not arg.startswith("-") and len(words) < 2:
            words.append(arg)
        i += 1
    if not words:
        return False, workspace
    command = words[0]
    if command in READ_SUBCOMMANDS:
        return len(words) > 1 and words[1] in READ_SUBCOMMANDS[command], workspace
    if command == "watch" and any(a.startswith(WATCH_WRITES) for a in args):
        return False, workspace
    return command in READS, workspace


def run() -> None:
    """Entry point of the `vigil` console script."""
    reads, workspace = read_command(sys.argv[1:])
    if reads:
        from vigil.store.lock import yield_to_ingest
        from vigil.store.paths import resolve_path

        yield_to_ingest(resolve_path(Path(workspace) if workspace else None))
    from vigil.cli.main import run as run_cli

    run_cli()
