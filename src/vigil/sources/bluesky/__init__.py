"""Bluesky: AppView JSON responses and Jetstream event lines."""
