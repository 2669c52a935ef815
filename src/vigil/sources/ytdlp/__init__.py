"""yt-dlp: one video's .info.json, with its subtitle files beside it."""
