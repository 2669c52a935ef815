from __future__ import annotations

import io
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from tests.watch.city import AS_OF, load_city

from vigil import plugins
from vigil.watch.alerts import deliver, make_sinks, pending, record
from vigil.watch.events import detect_events
from vigil.watch.silence import parse_as_of
from vigil.watch.sinks.jsonl import JsonlSink
from vigil.watch.sinks.terminal import TerminalSink
from vigil.watch.sinks.webhook import WebhookError, WebhookSink


class Hook:
    """A real HTTP server on 127.0.0.1 that fails the first `fail` requests with 500, then accepts."""

    def __init__(self, fail: int = 1, status: int = 500) -> None:
        self.bodies: list[dict] = []
        self.attempts = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.attempts += 1
                if hook.attempts <= fail:
                    self.send_response(status)
                    self.end_headers()
                    return
                assert self.headers["Content-Type"] == "application/json"
                hook.bodies.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Hook:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def events(ws):
    load_city(ws)
    return detect_events(ws, parse_as_of(AS_OF), timedelta(hours=12))


def test_record_is_idempotent(ws, events):
    assert record(ws, events) == len(events) > 10
    assert record(ws, events) == 0


def test_webhook_retries_and_delivers_each_event_once(ws, events):
    record(ws, events)
    with Hook(fail=1) as hook:
        sleeps: list[float] = []
        sink = WebhookSink(hook.url, backoff=0.01, sleep=sleeps.append)
        [rep] = deliver(ws, [sink])
        assert (rep.delivered, rep.failed) == (len(events), 0)
        assert hook.attempts == len(events) + 1 and sleeps == [0.01]
        assert sorted(b["key"] for b in hook.bodies) == sorted(e.key for e in events)
        [rep] = deliver(ws, [sink])  # a second run sends nothing again
        assert rep.delivered == 0 and hook.attempts == len(events) + 1
        record(ws, events)
        assert deliver(ws, [sink])[0].delivered == 0
    body = next(b for b in hook.bodies if b["kind"] == "reappeared" and b["name"] == "Omar Saleh")
    assert body["detail"]["silent_hours"] == 27.0 and body["handles"] == ["twitter:omar_rescue"]


def test_webhook_back_off_grows_and_gives_up(ws, events):
    with Hook(fail=100) as hook:
        sleeps: list[float] = []
        sink = WebhookSink(hook.url, attempts=4, backoff=0.5, sleep=sleeps.append)
        with pytest.raises(WebhookError, match="HTTP 500 after 4 attempts"):
            sink.send({"key": "x"})
        assert sleeps == [0.5, 1.0, 2.0] and hook.attempts == 4


def test_webhook_client_error_is_not_retried(ws):
    with Hook(fail=100, status=400) as hook:
        sink = WebhookSink(hook.url, sleep=lambda s: None)
        with pytest.raises(WebhookError, match="not retried"):
            sink.send({"key": "x"})
        assert hook.attempts == 1


def test_failed_sink_keeps_events_pending_for_the_next_run(ws, events):
    record(ws, events)
    with Hook(fail=100) as hook:
        sink = WebhookSink(hook.url, attempts=2, sleep=lambda s: None)
        [rep] = deliver(ws, [sink])
        assert rep.delivered == 0 and rep.failed == 3  # gives up on a dead sink after three events
    assert len(pending(ws, sink.name)) == len(events)


def test_terminal_and_jsonl_sinks_each_get_events_once(ws, events, tmp_path):
    record(ws, events)
    out = io.StringIO()
    path = tmp_path / "alerts.jsonl"
    sinks = [TerminalSink(out), JsonlSink(path)]
    deliver(ws, sinks)
    deliver(ws, sinks)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(events) == len(path.read_text().splitlines())
    assert any("REAPPEARED" in line and "Omar Saleh reappeared after 27.0 h" in line for line in lines)
    assert any("absent from a later complete export" in line for line in lines)
    rows = [json.loads(x) for x in path.read_text().splitlines()]
    assert {r["kind"] for r in rows} == {"silent", "reappeared", "deleted", "edited"}


def test_sinks_come_from_the_plugin_hook(tmp_path):
    kinds = {s.kind for s in plugins.alert_sinks()}
    assert {"terminal", "jsonl", "webhook"} <= kinds
    sinks = make_sinks({"webhook": "http://127.0.0.1:9/x", "jsonl_out": tmp_path / "a.jsonl"})
    assert sorted(s.kind for s in sinks) == ["jsonl", "terminal", "webhook"]
    with pytest.raises(ValueError):
        make_sinks({"webhook": "file:///etc/passwd"})
