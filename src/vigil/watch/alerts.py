"""Alerts: record events once (by key) and deliver each stored event once to every sink."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec
import sqlalchemy as sa

from vigil.records import now_iso
from vigil.store import schema
from vigil.store.engine import Workspace
from vigil.watch.events import Event
from vigil.watch.voices import account_label

_enc = msgspec.json.Encoder()
_dec = msgspec.json.Decoder()


class Sink(Protocol):
    """Somewhere alerts go; `name` identifies this destination (kind and target) in the deliveries table."""

    name: str

    def send(self, alert: dict[str, Any]) -> None:
        """Deliver one alert or raise; a raised error leaves it pending for the next run."""
        ...


class SinkFactory(Protocol):
    """An alert sink class as registered through `vigil_alert_sinks`."""

    kind: str

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Sink | None:
        """A sink configured from `vigil watch` options, or None when they do not ask for this kind."""
        ...


def record(ws: Workspace, events: list[Event]) -> int:
    """Store events not stored before (the key decides); return how many are new."""
    if not events:
        return 0
    rows = [
        {
            "kind": e.kind,
            "key": e.key,
            "at": e.at,
            "voice_id": e.voice_id,
            "uid": e.uid,
            "detail": _enc.encode(e.detail).decode(),
        }
        for e in events
    ]
    with ws.engine.begin() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()
        conn.execute(schema.events.insert().prefix_with("OR IGNORE"), rows)
        after = conn.execute(sa.select(sa.func.count()).select_from(schema.events)).scalar_one()
    return int(after - before)


def pending(ws: Workspace, sink: str) -> list[dict[str, Any]]:
    """Stored events not yet delivered to the sink, oldest first, as alert dicts."""
    e, d, v = schema.events.c, schema.deliveries.c, schema.voices.c
    a = schema.accounts.c
    done = sa.select(d.event_id).where(d.sink == sink)
    with ws.engine.connect() as conn:
        rows = conn.execute(
            sa.select(e.id, e.kind, e.key, e.at, e.voice_id, e.uid, e.detail, v.name)
            .select_from(schema.events.outerjoin(schema.voices, v.id == e.voice_id))
            .where(e.id.not_in(done))
            .order_by(e.at, e.id)
        ).all()
        handles: dict[int, list[str]] = {}
        accounts = sa.select(a.voice_id, a.platform, a.handle, a.name, a.uid).order_by(a.platform, a.uid)
        for r in conn.execute(accounts):  # the same handles as the watch and `vigil voices`
            handles.setdefault(r.voice_id, []).append(account_label(r.platform, r.handle, r.name, r.uid))
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "key": r.key,
            "at": r.at,
            "voice": r.voice_id,
            "name": r.name,
            "handles": handles.get(r.voice_id, []),
            "uid": r.uid,
            **({"detail": _dec.decode(r.detail)} if r.detail else {}),
        }
        for r in rows
    ]


@dataclass
class DeliveryReport:
    """What one sink did in one run."""

    sink: str
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver(ws: Workspace, sinks: list[Sink]) -> list[DeliveryReport]:
    """Send every pending event to every sink, marking each delivery so no event goes twice to one sink."""
    reports = []
    for sink in sinks:
        rep = DeliveryReport(sink.name)
        for alert in pending(ws, sink.name):
            try:
                sink.send(alert)
            except Exception as exc:  # one sink's failure must not stop the others; the event stays pending
                rep.failed += 1
                rep.errors.append(f"{alert['key']}: {exc}")
                if rep.failed >= 3 and rep.delivered == 0:
                    rep.errors.append("giving up on this sink for this run")
                    break
                continue
            with ws.engine.begin() as conn:
                conn.execute(
                    schema.deliveries.insert().prefix_with("OR IGNORE"),
                    {"event_id": alert["id"], "sink": sink.name, "delivered_at": now_iso()},
                )
            rep.delivered += 1
        reports.append(rep)
    return reports


def make_sinks(options: dict[str, Any]) -> list[Sink]:
    """The sinks the options ask for, from every registered sink class (built-in and plugins)."""
    from vigil import plugins

    out: list[Sink] = []
    for factory in plugins.alert_sinks():
        sink = factory.from_options(options)
        if sink is not None:
            out.append(sink)
    return out
