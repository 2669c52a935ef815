"""Parallel ingest of one large source: a worker process prepares batches while the main process writes them.

The worker is a fresh interpreter (`python -c`, not multiprocessing: it never re-runs the caller's main module)
that reads the source, normalises, enriches the new or changed posts and prepares rows (vigil.ingest.prepare);
it sends each batch as one length-prefixed frame on its stdout, so the pipe bounds what waits in memory.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from vigil.records import Problem, Record
from vigil.sources.base import ImportOptions

if TYPE_CHECKING:
    from vigil.ingest.prepare import PreparedPost

END = "end"
CRASH = "crash"
SETUP = "setup"
BATCH = "batch"
_HEADER = struct.Struct("<Q")
TAIL_BATCH = 1000  # records per batch at the end of a source
_BOOT = (
    "import pickle, sys; sys.path[:0] = pickle.load(sys.stdin.buffer); "
    "from vigil.ingest.worker import child_main; child_main()"
)


def picklable(*objects: object) -> bool:
    """Whether objects can be sent to a worker process."""
    try:
        pickle.dumps(objects)
    except Exception:  # noqa: BLE001 - any failure means: read in-process instead
        return False
    return True


def _send(out: IO[bytes], message: tuple[str, Any, list[Record], int]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(inp: IO[bytes]) -> tuple[str, Any, list[Record], int] | None:
    head = inp.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    data = inp.read(size)
    if len(data) < size:
        return None
    message: tuple[str, Any, list[Record], int] = pickle.loads(data)  # noqa: S301 - our own child's frames
    return message


def produce(
    out: IO[bytes],
    path: Path,
    importer: Any,
    options: ImportOptions,
    ws_path: Path,
    enrichers: list[Any],
    size: int,
    packer: Any,
) -> None:
    """Read the source and send prepared batches, then END (or CRASH with the traceback)."""
    import traceback

    import msgspec

    from vigil.ingest.enrich import LazyEnrich, SetupError
    from vigil.ingest.gcpace import BatchGC
    from vigil.ingest.prepare import Known, prepare_posts, split
    from vigil.sources.guard import Internal, guarded
    from vigil.store.engine import open_workspace

    try:
        ws = open_workspace(ws_path, write=False)  # a worker only reads: the main process writes
        enrich = LazyEnrich(ws, enrichers) if enrichers else None
        known = Known(str(ws.db_path))
        encode = msgspec.msgpack.Encoder().encode
        pace = BatchGC()

        def send(batch: list[Record]) -> None:
            posts, others = split(batch)
            prepared = prepare_posts(posts, known, enrich, packer.pack)
            _send(out, (BATCH, encode(prepared), others, len(batch)))

        batch: list[Record] = []
        held: list[Record] = []  # a full batch read but not yet prepared: is it the last one?
        with pace:
            try:
                for rec in guarded(importer, path, options):
                    batch.append(rec)
                    if isinstance(rec, Problem) and options.strict:
                        break
                    if len(batch) >= size:
                        if held:
                            send(held)
                            pace.batch()  # the batch is gone: only what outlives it is walked
                        held, batch = batch, []
            except Exception as exc:  # noqa: BLE001 - a bug must not lose the batches already read
                message = f"internal error in {importer.name} at {path}: {exc!r}"
                batch.append(Internal(source=str(path), where="-", message=message))
            # The end of the source: the main process writes what comes last alone, while this core idles, so
            # the last records go in small batches it can write while the next ones are prepared.
            rest = held + batch
            step = min(size, TAIL_BATCH)
            for i in range(0, len(rest), step):
                send(rest[i : i + step])
        known.close()
        ws.close()
        _send(out, (END, None, [], 0))
    except SetupError as exc:  # a bad workspace lexicon or model: one line naming the file, as in-process
        _send(out, (SETUP, str(exc), [], 0))
    except Exception:
        _send(out, (CRASH, traceback.format_exc(), [], 0))


def _preload() -> None:
    """Import what every worker needs while the parent is still opening the workspace and sampling the source."""
    import msgspec  # noqa: F401

    import vigil.ingest.enrich
    import vigil.ingest.gcpace
    import vigil.ingest.prepare  # noqa: F401
    from vigil import plugins

    plugins.importers()
    plugins.enrichers()


def _warm(root: Path) -> None:
    """Compile the workspace's triage lexicons and gazetteer ahead (cached: the enricher finds them ready)."""
    from vigil import plugins
    from vigil.triage.engine import Triager
    from vigil.triage.enricher import TriageEnricher

    if any(isinstance(e, TriageEnricher) for e in plugins.enrichers()):
        with contextlib.suppress(Exception):  # a bad lexicon is reported where the enricher prepares
            Triager.for_workspace(root)


def child_main() -> None:
    """Entry of the worker interpreter: arguments come pickled on stdin, frames go out on the original stdout.

    First comes the workspace to warm up for (or None), while the parent still opens it; then the source.
    """
    _preload()
    try:
        warm = pickle.load(sys.stdin.buffer)  # noqa: S301 - sent by our parent
        if warm is not None:
            _warm(Path(warm))
        args = pickle.load(sys.stdin.buffer)  # noqa: S301
    except EOFError:  # started ahead and not needed after all
        os._exit(0)
    out = os.fdopen(os.dup(1), "wb", buffering=1 << 20)
    os.dup2(2, 1)  # a stray print() must not corrupt the frames
    produce(out, *args)
    out.close()
    sys.stderr.flush()
    os._exit(0)  # everything is sent: tearing down the caches object by object would only cost seconds


_started: list[subprocess.Popen[bytes]] = []  # workers started ahead by prestart(), not yet given a source


def spawn(warm: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a worker interpreter: it imports what it needs (and compiles warm's lexicons), then awaits its source."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _BOOT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=1 << 20,
        start_new_session=True,  # Ctrl-C reaches the main process alone, which ends its workers
    )
    assert proc.stdin is not None
    pickle.dump([p for p in sys.path if p], proc.stdin)
    pickle.dump(str(warm) if warm is not None else None, proc.stdin)
    proc.stdin.flush()
    return proc


def prestart(n: int, warm: Path | None = None) -> None:
    """Start n workers ahead: they import and compile workspace warm's lexicons while the caller opens it."""
    _started.extend(spawn(warm) for _ in range(n - len(_started)))


def discard() -> None:
    """Let the workers started ahead and never used exit."""
    while _started:
        proc = _started.pop()
        _close(proc)


def _close(proc: subprocess.Popen[bytes]) -> None:
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):  # a broken pipe to a worker that is gone
                pipe.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class WorkerFailed(RuntimeError):
    """The worker process crashed or vanished; the batches written before it stay stored."""

    def line(self) -> str:
        """One line: which source's worker failed, and the last line of its traceback (the error itself)."""
        lines = [ln.strip() for ln in str(self).splitlines() if ln.strip()]
        return f"{lines[0]} {lines[-1]}" if len(lines) > 1 else (lines[0] if lines else "ingest worker failed")


def run(
    path: Path,
    importer: Any,
    options: ImportOptions,
    ws_path: Path,
    enrichers: list[Any],
    batch_size: int,
    write: Callable[[list[PreparedPost], list[Record], int], None],
    workers: int = 1,
    after_batch: Callable[[], None] | None = None,
    packer: Any = None,
) -> None:
    """Start the workers and hand every prepared batch to write(prepared, other records, records read).

    With several workers (an importer that can split its lines, see ImportOptions.shard) batches are written
    in turns, one from each worker, so the store sees the file in order batch by batch; the other records of a
    turn (deletions, handle changes) are written after its posts.
    """
    import dataclasses

    import msgspec

    from vigil.ingest.prepare import PreparedPost
    from vigil.store.payloads import Packer

    decode = msgspec.msgpack.Decoder(list[PreparedPost]).decode
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for k in range(workers):
            shard = (k, workers) if workers > 1 else None
            proc = _started.pop(0) if _started else spawn()
            procs.append(proc)
            assert proc.stdin is not None
            opts = dataclasses.replace(options, shard=shard)
            try:
                pickle.dump((path, importer, opts, ws_path, enrichers, batch_size, packer or Packer(None)), proc.stdin)
                proc.stdin.close()
            except BrokenPipeError:  # the worker is gone: reading its frames reports how it ended
                pass
        live = list(procs)
        while live:
            deferred: list[Record] = []
            for proc in list(live):
                assert proc.stdout is not None
                message = _receive(proc.stdout)
                if message is None:
                    raise WorkerFailed(f"{path}: ingest worker exited with code {proc.wait()}")
                kind, payload, others, n = message
                if kind == CRASH:
                    raise WorkerFailed(f"{path}: ingest worker failed:\n{payload}")
                if kind == SETUP:
                    from vigil.ingest.enrich import SetupError

                    raise SetupError(payload)
                if kind == END:
                    live.remove(proc)
                    proc.wait(timeout=30)
                    continue
                if workers > 1:
                    deferred += others
                    others = []
                write(decode(payload), others, n)
                if after_batch is not None:
                    after_batch()
            if deferred:
                write([], deferred, 0)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
