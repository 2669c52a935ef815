"""Ingest, in the order it happens: plan the sources, detect, read, prepare rows, write, finish the capture."""
