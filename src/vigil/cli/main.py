"""The `vigil` command: thin commands over the library, each importing what it needs when it runs."""

from __future__ import annotations

import os

import typer

from vigil.cli import audit as audit_cmd
from vigil.cli import demo, digest, formats, ingest, read, serve, voice, watch
from vigil.cli import label as label_cmd
from vigil.cli import model as model_cmd
from vigil.cli import places as places_cmd
from vigil.cli import triage as triage_cmd
from vigil.cli import user as user_cmd
from vigil.cli.common import DateOrderOpt, WorkspaceOpt

app = typer.Typer(
    name="vigil",
    help="Follow the voices of a crisis: ingest exports verbatim, triage, watch for silence, write the digest.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: Rich's help renderer (and markdown-it) would double `vigil --help` time
)


@app.callback()
def main(workspace: WorkspaceOpt = None, date_order: DateOrderOpt = None) -> None:
    """Follow the voices of a crisis: ingest exports verbatim, triage, watch for silence, write the digest."""
    if workspace is not None:  # `vigil -w ws COMMAND`: the command's own -w, given after it, still wins
        os.environ["VIGIL_WORKSPACE"] = str(workspace)
    if date_order is not None:  # for every date the command reads (--since, --until, --as-of)
        os.environ["VIGIL_DATE_ORDER"] = date_order


app.command()(ingest.ingest)
app.command()(read.export)
app.command()(read.search)
app.command()(read.stats)
app.command()(read.raw)
app.command()(formats.formats)
app.command()(demo.demo)
app.command()(voice.voices)
app.add_typer(voice.app, name="voice")
app.command()(watch.watch)
app.command()(digest.digest)
app.command()(triage_cmd.triage)
app.add_typer(model_cmd.app, name="model")
app.add_typer(label_cmd.app, name="label")
app.add_typer(places_cmd.app, name="places")
app.command()(model_cmd.classify)
app.command()(serve.serve)
app.add_typer(user_cmd.app, name="user")
app.add_typer(audit_cmd.app, name="audit")


def run() -> None:
    """Entry point of the console script (Ctrl-C in a command without its own message: Click's one line)."""
    app()
