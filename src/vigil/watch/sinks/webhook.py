"""The webhook alert sink: a JSON POST per event, retried with exponential back-off."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import msgspec

from vigil import __version__

_enc = msgspec.json.Encoder()
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class WebhookError(Exception):
    """The webhook did not accept the alert after every attempt."""


class WebhookSink:
    """POST each alert as JSON to a URL; retry network errors and 408/429/5xx with back-off (0.5 s, 1 s, 2 s, …)."""

    kind = "webhook"

    def __init__(
        self,
        url: str,
        attempts: int = 5,
        backoff: float = 0.5,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"webhook URL must be http:// or https://, got {url!r}")
        self.url = url
        self.name = f"webhook:{url}"
        self.attempts = attempts
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.tries = 0

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> WebhookSink | None:
        """Configured by --webhook URL."""
        url = options.get("webhook")
        if not url:
            return None
        return cls(url, backoff=float(options.get("webhook_backoff", 0.5)))

    def _post(self, body: bytes) -> int:
        req = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": f"vigil/{__version__}"},
        )
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
            return int(resp.status)

    def send(self, alert: dict[str, Any]) -> None:
        """POST the alert; wait backoff·2^n between attempts; raise WebhookError when every attempt failed."""
        body = _enc.encode(alert)
        last = ""
        for n in range(self.attempts):
            if n:
                self.sleep(self.backoff * 2 ** (n - 1))
            self.tries += 1
            try:
                status = self._post(body)
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
                if exc.code not in RETRY_STATUS:
                    raise WebhookError(f"{self.url}: {last} (not retried)") from exc
                continue
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last = str(getattr(exc, "reason", exc))
                continue
            if 200 <= status < 300:
                return
            last = f"HTTP {status}"
        raise WebhookError(f"{self.url}: {last} after {self.attempts} attempts")
