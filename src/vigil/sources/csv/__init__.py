"""CSV/TSV spreadsheets of posts, read through a column map."""
