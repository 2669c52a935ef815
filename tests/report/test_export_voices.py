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
