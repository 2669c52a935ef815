"""Text as people write it: the one normaliser that triage, places and search share."""
