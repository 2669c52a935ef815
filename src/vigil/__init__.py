"""Vigil: ingest, triage, watch and tell the voices of a crisis."""

__version__ = "0.3.5"
