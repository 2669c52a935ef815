from __future__ import annotations

import csv
import io

from tests.watch.city import load_city

from vigil.report.export import iter_records, write_csv
from vigil.store.queries import PostFilter
from vigil.watch.voices import attribute, link, set_voice


def test_export_fills_voice_and_speaker_from_the_voices_table(ws):
    load_city(ws)
    vid = link(ws, ["lina_h", "telegram:lina_channel"])
    set_voice(ws, str(vid), role="teacher and mother")
    omar = attribute(ws, "twitter:1006", "omar_rescue")
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs["twitter:1008"]["voice"] == {"id": vid, "name": "Lina Haddad", "role": "teacher and mother"}
    assert recs["telegram:lina_channel/3"]["voice"]["id"] == vid  # one voice across platforms
    assert recs["twitter:1008"]["speaker"] is None
    video = recs["twitter:1006"]
    assert video["voice"]["name"] == "Harbourtown Civil Defence"
    assert video["speaker"] == {"id": omar, "name": "Omar Saleh", "role": "civil-defence volunteer"}
    out = io.StringIO()
    write_csv(iter(recs.values()), out)
    rows = {r["uid"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["twitter:1008"]["voice.name"] == "Lina Haddad" and rows["twitter:1008"]["voice.id"] == str(vid)


def test_export_carries_the_latest_status_a_source_gave_for_the_authors_account(ws):
    import hashlib
    from datetime import UTC, datetime

    from vigil.ingest.writer import CaptureWriter
    from vigil.records import AccountStatus, Author, Post

    def post(i: int, author: str) -> Post:
        return Post(
            platform="twitter", id=str(i), text=f"post {i}", created_at=datetime(2026, 3, 2, i, tzinfo=UTC),
            author=Author(id=author, handle=f"h{author}"), raw=f'{{"id":"{i}"}}'.encode(),
        )  # fmt: skip

    said = b'{"title": "Forbidden", "detail": "User has been <b>suspended</b>: [7]."}'
    back = b'{"kind": "account", "account": {"active": true}}'
    w = CaptureWriter(ws, "test", "test", None, None)
    w.write([
        post(1, "7"), post(2, "8"),
        AccountStatus(account_uid="twitter:7", status="suspended", at=datetime(2026, 3, 3, tzinfo=UTC),
                      detail="User has been <b>suspended</b>: [7].", raw=said),
        AccountStatus(account_uid="twitter:8", status="deactivated", at=datetime(2026, 3, 3, tzinfo=UTC), raw=back),
        AccountStatus(account_uid="twitter:8", status="active", at=datetime(2026, 3, 4, tzinfo=UTC), raw=back + b" "),
        post(3, "9"),
        AccountStatus(account_uid="twitter:9", status="active", at=datetime(2026, 3, 4, tzinfo=UTC), raw=back),
    ])  # fmt: skip
    w.finish()
    recs = {r["uid"]: r for r in iter_records(ws, PostFilter())}
    assert recs["twitter:1"]["account_status"] == {
        "account": "twitter:7",
        "status": "suspended",
        "at": "2026-03-03T00:00:00Z",
        "detail": "User has been <b>suspended</b>: [7].",  # the source's words, verbatim
        "evidence": hashlib.sha256(said).hexdigest(),  # `vigil raw` writes the payload back
    }
    assert recs["twitter:2"]["account_status"]["status"] == "active"  # the latest word wins: back again
    assert recs["twitter:3"]["account_status"] is None  # active and never anything else: nothing to say
    out = io.StringIO()
    write_csv(iter(recs.values()), out)
    rows = {r["uid"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["twitter:1"]["account_status.status"], rows["twitter:1"]["account_status.at"]) == (
        "suspended",
        "2026-03-03T00:00:00Z",
    )
    assert rows["twitter:2"]["account_status.status"] == "active"
