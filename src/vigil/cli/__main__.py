"""`python -m vigil.cli`: the same as the `vigil` command."""

from vigil.cli.main import run

run()
