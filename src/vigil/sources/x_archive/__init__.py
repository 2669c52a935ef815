"""X/Twitter "Download your archive": the folder, the .zip, or a bare tweets.js."""
