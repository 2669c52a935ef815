"""Twitter API v1.1 JSON and JSON Lines."""
