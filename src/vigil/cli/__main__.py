"""`python -m vigil.cli`: the same as the `vigil` command."""

from vigil.cli.start import run

run()
