"""Raw payloads as stored: zstd frames, with a dictionary trained on the format's own payloads; verified when read.

A platform's payloads repeat the same keys and values (a tweet's JSON is mostly field names), so zstd with a
dictionary trained on a few hundred of them stores one in a sixth of its size and compresses it in a few
microseconds. A workspace trains one dictionary per format, on the first source of that format large enough
(`payload_dicts`, see vigil.ingest.pipeline.sample_payloads); later sources reuse it. Each frame names its dictionary
(zstd's dictionary ID), so any zstd tool can read a payload given the dictionary's bytes. Payloads written
before revision 0003 are zlib streams and are read as such.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
import zstandard

from vigil.store import schema

ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
LEVEL = 1  # with a dictionary, higher levels cost twice the time for the same size here
SAMPLES = 1000  # payloads a dictionary is trained on
MIN_SAMPLES = 100  # fewer payloads than this (or fewer bytes than MIN_BYTES): no dictionary yet
MIN_BYTES = 32 << 10
DICT_SIZE = 32 << 10
MAX_SAMPLE = 16 << 10  # larger payloads (a transcript, a hostile record) are left out of training
MAX_TRAINING = 4 << 20  # training time grows with the bytes: ~0.1 s for 1,000 tweets (0.7 MB)
FIRST_DICT_ID = 32768  # zstd reserves lower dictionary IDs for a public registry


class PayloadError(ValueError):
    """A stored payload cannot be read back as the bytes its SHA-256 names."""


@dataclass(frozen=True)
class Dictionary:
    """A trained zstd dictionary as stored in payload_dicts."""

    id: int
    data: bytes
    samples: int = 0  # how many payloads it was trained on


class Packer:
    """Compresses payloads for one process, with one dictionary (or none)."""

    def __init__(self, dictionary: Dictionary | None = None) -> None:
        self.dictionary = dictionary
        zd = zstandard.ZstdCompressionDict(dictionary.data) if dictionary else None
        self._c = zstandard.ZstdCompressor(level=LEVEL, dict_data=zd, write_content_size=True)

    def pack(self, raw: bytes) -> bytes:
        """One payload as a zstd frame."""
        return self._c.compress(raw)

    def __reduce__(self) -> tuple[type[Packer], tuple[Dictionary | None]]:
        return (Packer, (self.dictionary,))  # a worker process builds its own compressor from the dictionary


def train(samples: list[bytes], dict_id: int) -> Dictionary | None:
    """A dictionary trained on sample payloads, or None when they are too few or too small to train on."""
    kept, total = [], 0
    for sample in samples:
        if len(sample) <= MAX_SAMPLE and total + len(sample) <= MAX_TRAINING:
            kept.append(sample)
            total += len(sample)
    samples = kept
    if len(samples) < MIN_SAMPLES or total < MIN_BYTES:
        return None
    try:
        zd = zstandard.train_dictionary(
            DICT_SIZE, list[bytes | bytearray | memoryview](samples), dict_id=dict_id, level=LEVEL
        )
    except zstandard.ZstdError:  # e.g. samples too alike to learn from
        return None
    return Dictionary(dict_id, zd.as_bytes(), len(samples))


def stored_dictionary(conn: sa.Connection, fmt: str) -> Dictionary | None:
    """The dictionary this workspace uses for a format, if it has trained one."""
    d = schema.payload_dicts.c
    row = conn.execute(sa.select(d.id, d.data).where(d.format == fmt).order_by(d.id.desc()).limit(1)).first()
    return Dictionary(row[0], row[1]) if row else None


def packer_for(engine: sa.Engine, fmt: str, samples: Callable[[], Iterable[bytes]], now: str) -> Packer:
    """The format's packer: its stored dictionary, or one trained now on samples() and stored, or none."""
    with engine.connect() as conn:
        found = stored_dictionary(conn, fmt)
        if found is not None:
            return Packer(found)
        last = conn.execute(sa.select(sa.func.max(schema.payload_dicts.c.id))).scalar_one()
    taken = [s for s in samples() if s]
    trained = train(taken, max(last or 0, FIRST_DICT_ID - 1) + 1)
    if trained is None:
        return Packer(None)
    try:
        with engine.begin() as conn:
            conn.execute(
                schema.payload_dicts.insert().values(
                    id=trained.id,
                    format=fmt,
                    sha256=hashlib.sha256(trained.data).hexdigest(),
                    data=trained.data,
                    samples=trained.samples,
                    created_at=now,
                )
            )
    except sa.exc.IntegrityError:  # another ingest into this workspace stored one meanwhile: use what it stored
        with engine.connect() as conn:
            return Packer(stored_dictionary(conn, fmt))
    return Packer(trained)


def unpack(data: bytes, dictionary: Callable[[int], bytes | None]) -> bytes:
    """A stored payload's bytes: a zstd frame (with the dictionary it names) or a zlib stream (before 0003)."""
    if not data.startswith(ZSTD_MAGIC):
        return zlib.decompress(data)
    dict_id = zstandard.get_frame_parameters(data).dict_id
    zd = None
    if dict_id:
        got = dictionary(dict_id)
        if got is None:
            raise PayloadError(f"payload needs zstd dictionary {dict_id}, which this workspace does not hold")
        zd = zstandard.ZstdCompressionDict(got)
    return zstandard.ZstdDecompressor(dict_data=zd).decompress(data)


INSERT_PAYLOAD = "INSERT OR IGNORE INTO raw_payloads(sha256, size, data) VALUES (?, ?, ?)"


def keep_payload(conn: sa.Connection, raw: bytes, pack: Callable[[bytes], bytes], sha256: str | None = None) -> str:
    """Store one raw payload (evidence that is not a post: a deletion notice, an account event); its SHA-256."""
    sha = sha256 or hashlib.sha256(raw).hexdigest()
    conn.exec_driver_sql(INSERT_PAYLOAD, (sha, len(raw), pack(raw)))
    return sha


def read_payload(conn: sa.Connection, sha256: str) -> bytes:
    """The raw payload with this SHA-256, checked against it."""
    r = schema.raw_payloads.c
    row = conn.execute(sa.select(r.size, r.data).where(r.sha256 == sha256)).first()
    if row is None:
        raise PayloadError(f"no raw payload {sha256}")
    d = schema.payload_dicts.c

    def dictionary(dict_id: int) -> bytes | None:
        return conn.execute(sa.select(d.data).where(d.id == dict_id)).scalar_one_or_none()

    try:
        raw = unpack(row[1], dictionary)
    except (zlib.error, zstandard.ZstdError) as exc:
        raise PayloadError(f"raw payload {sha256} cannot be decompressed: {exc}") from exc
    if hashlib.sha256(raw).hexdigest() != sha256 or len(raw) != row[0]:
        raise PayloadError(f"raw payload {sha256} does not match its SHA-256 and size: the store was altered")
    return raw
