"""Raw payloads: a dictionary per format trained on the first large enough source, reused, verified when read."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from vigil.ingest import pipeline
from vigil.ingest.pipeline import ingest
from vigil.store.payloads import (
    FIRST_DICT_ID,
    MAX_SAMPLE,
    ZSTD_MAGIC,
    Packer,
    PayloadError,
    packer_for,
    read_payload,
    train,
    unpack,
)

WORDS = ["shelling", "near", "the", "port", "water", "school", "north", "gate", "ambulance", "road"]
WORDS += ["trapped", "please", "help", "we", "are"]


def _pages(path: Path, first: int, pages: int) -> Path:
    lines = []
    for p in range(pages):
        data, users = [], []
        for k in range(100):
            n = first + p * 100 + k
            text = " ".join(WORDS[(n * j + k) % len(WORDS)] for j in range(1, 9 + n % 7))
            data.append({"id": str(n), "text": text, "author_id": str(n % 50), "lang": "en",
                         "created_at": f"2026-03-02T{n % 24:02d}:00:00.000Z",
                         "public_metrics": {"like_count": n % 97, "retweet_count": n % 13}})  # fmt: skip
            users.append({"id": str(n % 50), "username": f"voice_{n % 50}", "name": f"Voice {n % 50}"})
        lines.append(json.dumps({"data": data, "includes": {"users": users}}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sampled(monkeypatch):
    """These test sources (~100 KB) are read for dictionary samples as a source of 1 MB or more is."""
    monkeypatch.setattr(pipeline, "SAMPLE_MIN_BYTES", 0)


def _stored(ws) -> tuple[list[tuple[int, str]], list[str], list[bytes]]:
    con = sqlite3.connect(ws.db_path)
    try:
        dicts = con.execute("SELECT id, format FROM payload_dicts ORDER BY id").fetchall()
        shas = [r[0] for r in con.execute("SELECT raw_sha256 FROM posts ORDER BY pk")]
        data = [r[0] for r in con.execute("SELECT data FROM raw_payloads")]
    finally:
        con.close()
    return dicts, shas, data


def test_a_format_trains_one_dictionary_then_reuses_it_and_every_payload_reads_back(ws, tmp_path, sampled):
    ingest(ws, [_pages(tmp_path / "a.jsonl", 1000, 3)])
    dicts, shas, data = _stored(ws)
    assert dicts == [(FIRST_DICT_ID, "twarc2")] and len(shas) == 300
    assert all(d.startswith(ZSTD_MAGIC) for d in data)
    ingest(ws, [_pages(tmp_path / "b.jsonl", 5000, 2)])  # another source of the format: same dictionary
    dicts, shas, data = _stored(ws)
    assert dicts == [(FIRST_DICT_ID, "twarc2")] and len(shas) == 500
    lines = [json.loads(line) for name in ("a", "b") for line in (tmp_path / f"{name}.jsonl").read_text().splitlines()]
    tweets = {t["id"]: t for page in lines for t in page["data"]}
    with ws.engine.connect() as conn:
        raws = [read_payload(conn, sha) for sha in shas]
    assert [json.loads(r) for r in raws] == list(tweets.values())
    small = sum(map(len, data)) / sum(map(len, raws))
    assert small < 0.4  # what the dictionary is for: zlib kept ~0.6 of these bytes


def test_a_source_too_small_to_learn_from_trains_nothing_and_is_still_compressed(ws, tmp_path, sampled):
    path = _pages(tmp_path / "small.jsonl", 1, 1)
    lines = path.read_text().splitlines()
    page = json.loads(lines[0])
    page["data"] = page["data"][:20]
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    ingest(ws, [path])
    dicts, shas, data = _stored(ws)
    assert dicts == [] and len(shas) == 20 and all(d.startswith(ZSTD_MAGIC) for d in data)
    with ws.engine.connect() as conn:
        assert json.loads(read_payload(conn, shas[0])) == page["data"][0]


def test_an_altered_payload_is_refused(ws, tmp_path, sampled):
    ingest(ws, [_pages(tmp_path / "a.jsonl", 1000, 2)])
    _, shas, _ = _stored(ws)
    con = sqlite3.connect(ws.db_path)
    other = con.execute("SELECT data FROM raw_payloads WHERE sha256 = ?", (shas[1],)).fetchone()[0]
    con.execute("UPDATE raw_payloads SET data = ? WHERE sha256 = ?", (other, shas[0]))
    con.commit()
    con.close()
    with ws.engine.connect() as conn, pytest.raises(PayloadError, match="does not match its SHA-256"):
        read_payload(conn, shas[0])
    with ws.engine.connect() as conn, pytest.raises(PayloadError, match="no raw payload"):
        read_payload(conn, "0" * 64)


def test_a_file_under_the_sampling_size_is_not_read_twice(ws, tmp_path):
    path = _pages(tmp_path / "a.jsonl", 1000, 3)  # enough payloads to train on, but a small file
    assert path.stat().st_size < pipeline.SAMPLE_MIN_BYTES
    ingest(ws, [path])
    dicts, shas, data = _stored(ws)
    assert dicts == [] and len(shas) == 300 and all(d.startswith(ZSTD_MAGIC) for d in data)


def test_a_frame_whose_dictionary_is_missing_is_a_clear_error():
    samples = [f'{{"id": "{i}", "text": "{" ".join(WORDS[i % 7 :])}", "n": {i}}}'.encode() for i in range(400)]
    d = train(samples, FIRST_DICT_ID + 5)
    assert d is not None and d.id == FIRST_DICT_ID + 5
    frame = Packer(d).pack(samples[3])
    assert unpack(frame, {d.id: d.data}.get) == samples[3]
    with pytest.raises(PayloadError, match=f"dictionary {FIRST_DICT_ID + 5}"):
        unpack(frame, {}.get)
    assert train(samples[:50], FIRST_DICT_ID) is None  # too few to learn from
    huge = [b"x" * (MAX_SAMPLE + 1)] * 400  # a hostile or oversized record is not trained on (time grows with bytes)
    assert train(huge, FIRST_DICT_ID) is None
    assert train(huge + samples, FIRST_DICT_ID) is not None


_STORE_DICT = "INSERT INTO payload_dicts(id, format, sha256, data, samples, created_at) VALUES (?, ?, '-', ?, 1, '-')"


def test_a_dictionary_stored_meanwhile_by_another_ingest_is_used(ws):
    samples = [f'{{"id": "{i}", "text": "{" ".join(WORDS[i % 7 :])}", "n": {i}}}'.encode() for i in range(400)]
    other = train(samples, FIRST_DICT_ID)  # what a concurrent ingest of another format stored under the same id
    assert other is not None and other.samples == 400
    with ws.engine.begin() as conn:
        conn.exec_driver_sql(_STORE_DICT, (FIRST_DICT_ID, "telegram", other.data))

    def racing() -> list[bytes]:  # the other ingest stores twarc2's dictionary while this one samples
        with ws.engine.begin() as conn:
            conn.exec_driver_sql(_STORE_DICT, (FIRST_DICT_ID + 1, "twarc2", other.data))
        return samples

    packer = packer_for(ws.engine, "twarc2", racing, "2026-03-02T00:00:00Z")
    assert packer.dictionary is not None and packer.dictionary.id == FIRST_DICT_ID + 1
