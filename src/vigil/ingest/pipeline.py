"""Ingest, step by step: find sources, detect their format, read records, enrich, store as a capture."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vigil import plugins
from vigil.ingest.enrich import LazyEnrich, SetupError
from vigil.ingest.gcpace import BatchGC
from vigil.ingest.interrupt import DeferredInterrupt, checkpoint
from vigil.ingest.prepare import PreparedPost
from vigil.ingest.writer import CaptureWriter
from vigil.records import Post, Problem, Record, now_iso
from vigil.sources.base import MEDIA_SUFFIXES, ImportOptions, read_head, text_problem
from vigil.sources.digest import source_digest
from vigil.sources.guard import Internal, guarded
from vigil.store.counts import CaptureCounts
from vigil.store.engine import Workspace
from vigil.store.lock import IngestLock, close_abandoned
from vigil.store.payloads import MAX_SAMPLE, SAMPLES, packer_for

BATCH = 2000
WORKER_BATCH = 5000  # records per batch when a worker process prepares them
# Full batches' worth of posts per transaction: each commit writes the batch's dirty index and full-text pages to
# the WAL again, so fewer, larger transactions cost less (200k tweets: ~0.6 CPU-s of system time and ~3 s of I/O
# wait less than a commit per batch). A failing batch is still undone alone (a savepoint each), and a capture
# commits at its end.
COMMIT_EVERY = 4
PARALLEL_MIN_BYTES = 8 << 20  # a source file this large is read by a worker process (VIGIL_INGEST_WORKER=0: never)
# Worker processes for one source whose importer can split its lines (VIGIL_INGEST_WORKERS overrides): the
# workers parse and triage while the main process writes, and the machine's cores share the three processes.
MAX_WORKERS = 2
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b")  # a zip (or an empty one), a .tar.gz: not text
SAMPLE_MIN_BYTES = 1 << 20  # a smaller source file is not read again for payload-dictionary samples
NOTE_SUFFIXES = frozenset({".md", ".rst"})  # a folder's README is not an export (a .txt may be: it is reported)


class StopIngest(Exception):
    """--strict: the first problem ends the run."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C ended the run: what was written is committed, the capture is marked interrupted.

    A KeyboardInterrupt still: a caller that does not handle it ends as Ctrl-C ends any command.
    """

    def __init__(self, results: list[SourceResult]) -> None:
        super().__init__("interrupted")
        self.results = results

    @property
    def stored(self) -> int:
        """Posts this run stored (new or changed) before it was interrupted."""
        return sum(r.counts.new + r.counts.updated for r in self.results)


class _Stopped(Exception):
    """A source's capture was interrupted (carries its result up to the run)."""

    def __init__(self, result: SourceResult) -> None:
        super().__init__("interrupted")
        self.result = result


@dataclass
class SourceResult:
    """One source file or folder and what its capture did."""

    path: Path
    format: str | None
    counts: CaptureCounts = field(default_factory=CaptureCounts)
    capture_id: int | None = None
    note: str | None = None  # why a source was skipped whole (a subtitle, a link not followed)


@dataclass
class Unit:
    """A source to import with the importer that will read it, or why it cannot be read."""

    path: Path
    importer: Any = None
    problem: Problem | None = None
    skipped: str | None = None  # a file read with another (a subtitle), or a link not followed


def detect(path: Path, options: ImportOptions) -> Unit:
    """Choose the importer for a file or folder."""
    registry = plugins.importers()
    if options.forced_format:
        imp = registry.get(options.forced_format)
        if imp is None:
            names = ", ".join(registry)
            msg = f"unknown format {options.forced_format!r} (known: {names})"
            return Unit(path, problem=Problem(source=str(path), where="-", message=msg))
        return Unit(path, imp)
    head = b""
    if path.is_file():
        try:
            head = read_head(path)
        except OSError as exc:
            return Unit(path, problem=Problem(source=str(path), where="-", message=f"cannot read: {exc.strerror}"))
        if not head:
            return Unit(path, problem=Problem(source=str(path), where="offset 0", message="empty file"))
        bad = None if head.startswith(ZIP_MAGIC) else text_problem(path, head)  # an archive is not text
        if bad:
            return Unit(path, problem=bad)
    best, score = None, 0
    for imp in registry.values():
        s = imp.detect(path, head)
        if s > score:
            best, score = imp, s
    if best is None:
        if path.is_dir():
            return Unit(path)
        msg = "unknown format: no importer recognises this file (see `vigil formats`, or force one with --format)"
        return Unit(path, problem=Problem(source=str(path), where="offset 0", message=msg))
    return Unit(path, best)


def plan(paths: list[Path], options: ImportOptions) -> Iterator[Unit]:
    """Walk the given paths; a folder an importer claims whole (an archive, an export) is one unit."""
    for path in paths:
        if not path.exists():
            yield Unit(path, problem=Problem(source=str(path), where="-", message="no such file or folder"))
            continue
        yield from _walk(path, options)


def _walk(root: Path, options: ImportOptions) -> Iterator[Unit]:
    """The units under one given path, depth first in name order, without recursion (a tree may be deep).

    A link inside the tree is not followed when it leads out of the tree (files the user did not give) or back
    into it (the same files read again as another capture): it is counted as skipped, with the reason.
    """
    top = root.resolve()
    stack: list[Iterator[Path]] = [iter([root])]
    while stack:
        path = next(stack[-1], None)
        if path is None:
            stack.pop()
            continue
        if path is not root and path.is_symlink():
            yield Unit(path, skipped=_link_reason(path, top))
            continue
        if path.is_file():
            unit = detect(path, options)
            if unit.problem is not None and unit.problem.message.startswith("unknown format"):
                reason = _sidecar_reason(path)
                if reason:
                    unit = Unit(path, skipped=reason)
            yield unit
            continue
        if not path.is_dir():
            continue  # a socket, a fifo: nothing to read
        unit = _detect_folder(path, options)
        if unit.importer or unit.problem:
            yield unit
            continue
        try:
            children = sorted(p for p in path.iterdir() if not p.name.startswith("."))
        except OSError as exc:
            yield Unit(path, problem=Problem(source=str(path), where="-", message=f"cannot list: {exc.strerror}"))
            continue
        stack.append(
            p
            for p in children
            if not (p.is_file() and not p.is_symlink() and p.suffix.lower() in MEDIA_SUFFIXES | NOTE_SUFFIXES)
        )


SUBTITLES = frozenset({".vtt", ".srt", ".ass"})


def _sidecar_reason(path: Path) -> str | None:
    """Why a file no importer claims is skipped quietly: a subtitle or media file read with its post or video."""
    suffix = path.suffix.lower()
    if suffix in SUBTITLES:
        return "subtitle: read with its video's .info.json (a sidecar)"
    if suffix in MEDIA_SUFFIXES:
        return "media file: read with the export or post it belongs to (a sidecar)"
    return None


def _link_reason(path: Path, top: Path) -> str:
    """Why a link inside a walked tree is not followed."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return "link that cannot be resolved (a loop?); not followed"
    if target == top or target.is_relative_to(top):
        return f"link back into the folder ({target}); not followed, its files are read where they are"
    return f"link out of the folder ({target}); not followed"


def _detect_folder(path: Path, options: ImportOptions) -> Unit:
    """A folder is one unit when an importer claims it whole (a forced format too); otherwise it is walked."""
    if not options.forced_format:
        return detect(path, options)
    imp = plugins.importers().get(options.forced_format)
    if imp is None:
        return detect(path, options)  # names the unknown format
    return Unit(path, imp) if imp.detect(path, b"") > 0 else Unit(path)


ProgressFn = Callable[[Path, int], None]
ProblemFn = Callable[[Problem], None]


def prestart_workers(paths: list[Path], options: ImportOptions | None = None, workspace: Path | None = None) -> None:
    """Start the workers of the first large source, to import and compile the workspace's lexicons meanwhile."""
    options = options or ImportOptions()
    for path in paths:
        if path.is_file():
            unit = detect(path, options)
            if unit.importer is not None and _use_worker(unit) is not None:
                from vigil.ingest.worker import prestart

                prestart(_workers(unit, options), workspace)
            return


def ingest(
    ws: Workspace,
    paths: list[Path],
    options: ImportOptions | None = None,
    on_problem: ProblemFn | None = None,
    on_progress: ProgressFn | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> list[SourceResult]:
    """Import every source under paths into the workspace, one capture per source.

    One ingest writes to a workspace at a time: another one waits for it (saying so through on_wait). Ctrl-C
    raises Interrupted once what was written is committed and the capture is marked `interrupted`.
    """
    options = options or ImportOptions()
    results: list[SourceResult] = []
    lock = IngestLock(ws.path)
    try:
        lock.acquire(on_wait)
        close_abandoned(ws)  # captures of an ingest that was killed: no one writes them now
        enrich = LazyEnrich(ws) if plugins.enrichers() else None
        with DeferredInterrupt():
            _ingest_units(ws, paths, options, enrich, results, on_problem, on_progress)
    except _Stopped as stop:
        results.append(stop.result)
        raise Interrupted(results) from None
    except KeyboardInterrupt:
        raise Interrupted(results) from None
    finally:
        from vigil.ingest.worker import discard

        discard()  # workers started ahead that no source used
        lock.release()
    return results


def _ingest_units(
    ws: Workspace,
    paths: list[Path],
    options: ImportOptions,
    enrich: LazyEnrich | None,
    results: list[SourceResult],
    on_problem: ProblemFn | None,
    on_progress: ProgressFn | None,
) -> None:
    for unit in plan(paths, options):
        if unit.skipped:
            res = SourceResult(unit.path, None)
            res.counts.skipped = 1
            res.note = unit.skipped
            results.append(res)
            continue
        if unit.problem:
            if on_problem:
                on_problem(unit.problem)
            res = SourceResult(unit.path, None)
            res.counts.failed = 1
            res.counts.errors.append(str(unit.problem))
            results.append(res)
            if options.strict:
                break
            continue
        try:
            res = _ingest_unit(ws, unit, options, enrich, on_problem, on_progress)
        except (SetupError, StopIngest, _Stopped):
            raise
        except Exception as exc:  # a bug: reported as one line, and the run goes on with the next source
            if type(exc).__name__ == "WorkerFailed":
                raise
            name = unit.importer.name
            msg = f"internal error in {name} at {unit.path}: {type(exc).__name__}: {exc}"
            problem = Internal(source=str(unit.path), where="-", message=msg)
            if on_problem:
                on_problem(problem)
            res = SourceResult(unit.path, name)
            res.counts.failed = 1
            res.counts.errors.append(str(problem))
        results.append(res)
        if options.strict and res.counts.failed:
            break


def _use_worker(unit: Unit) -> list[Any] | None:
    """Fresh enrichers to send to a worker process when this unit is worth one, else None."""
    if os.environ.get("VIGIL_INGEST_WORKER", "1") == "0" or not unit.path.is_file():
        return None
    if unit.path.stat().st_size < PARALLEL_MIN_BYTES:
        return None
    from vigil.ingest.worker import picklable

    enrichers = plugins.enrichers()
    return enrichers if picklable(unit.importer, enrichers) else None


def _workers(unit: Unit, options: ImportOptions) -> int:
    """How many worker processes share a source: one, or more when its importer can split the lines."""
    from vigil.sources.base import is_json_lines

    if options.strict or not getattr(unit.importer, "shardable", False) or not is_json_lines(unit.path):
        return 1  # --strict stops at the first error in the file, which only one reader can see
    wanted = os.environ.get("VIGIL_INGEST_WORKERS", "")
    n = int(wanted) if wanted.isdigit() and int(wanted) > 0 else min(MAX_WORKERS, os.cpu_count() or 1)
    return max(1, n)


def _ingest_unit(
    ws: Workspace,
    unit: Unit,
    options: ImportOptions,
    enrich: Callable[[list[Post]], None] | None,
    on_problem: ProblemFn | None,
    on_progress: ProgressFn | None,
) -> SourceResult:
    enrichers = _use_worker(unit)
    packer = packer_for(ws.engine, unit.importer.name, lambda: sample_payloads(unit, options), now_iso())
    if enrichers is None:
        sha, size = source_digest(unit.path)
        writer = CaptureWriter(ws, str(unit.path), unit.importer.name, sha, size, enrich, packer, COMMIT_EVERY * BATCH)
        with _closing(writer, unit):
            _read_here(writer, unit, options, on_problem, on_progress)
        counts = writer.finish()
        return SourceResult(unit.path, unit.importer.name, counts, writer.capture_id)
    from vigil.ingest.worker import run

    digest: list[tuple[str | None, int | None]] = []
    hasher = threading.Thread(target=lambda: digest.append(source_digest(unit.path)), daemon=True)
    hasher.start()  # hashing releases the GIL: it overlaps the writing
    rows = COMMIT_EVERY * WORKER_BATCH  # by posts: a worker's last batches are smaller
    writer = CaptureWriter(ws, str(unit.path), unit.importer.name, None, None, enrich, packer, rows)

    pace = BatchGC()

    def write(prepared: list[PreparedPost], others: list[Record], n: int) -> None:
        if on_problem:
            for rec in others:
                if isinstance(rec, Problem):
                    on_problem(rec)
        writer.write_prepared(prepared, others)
        if on_progress:
            on_progress(unit.path, n)
        checkpoint()

    with _closing(writer, unit), pace:
        workers = _workers(unit, options)
        run(unit.path, unit.importer, options, ws.path, enrichers, WORKER_BATCH, write, workers, pace.batch, packer)
    hasher.join()
    counts = writer.finish(*digest[0]) if digest else writer.finish()
    return SourceResult(unit.path, unit.importer.name, counts, writer.capture_id)


@contextlib.contextmanager
def _closing(writer: CaptureWriter, unit: Unit) -> Iterator[None]:
    """Close a capture that does not reach its end: `interrupted` (Ctrl-C) or `failed`, with what it stored."""
    try:
        yield
    except KeyboardInterrupt:
        counts = writer.finish(status="interrupted")
        raise _Stopped(SourceResult(unit.path, unit.importer.name, counts, writer.capture_id)) from None
    except BaseException:
        with contextlib.suppress(Exception):  # the error itself is what the caller must see
            writer.finish(status="failed")
        raise


def sample_payloads(unit: Unit, options: ImportOptions, limit: int = SAMPLES) -> list[bytes]:
    """The raw payloads of the first posts of a source (what a payload dictionary is trained on).

    A file under SAMPLE_MIN_BYTES gives none: reading every small file twice (a folder of one video's
    info.json each) would double its ingest to save little space; a larger source of the format trains one.
    """
    if unit.path.is_file() and unit.path.stat().st_size < SAMPLE_MIN_BYTES:
        return []
    out: list[bytes] = []
    records = unit.importer.iter_records(unit.path, replace(options, shard=None))
    try:
        for rec in records:
            if isinstance(rec, Post) and rec.raw and len(rec.raw) <= MAX_SAMPLE:
                out.append(rec.raw)
                if len(out) >= limit:
                    break
    except Exception:  # noqa: BLE001,S110 - the ingest itself reports what is wrong with the source
        pass
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
    return out


def _read_here(
    writer: CaptureWriter,
    unit: Unit,
    options: ImportOptions,
    on_problem: ProblemFn | None,
    on_progress: ProgressFn | None,
) -> None:
    batch: list[Record] = []
    try:
        for rec in guarded(unit.importer, unit.path, options):
            if isinstance(rec, Problem):
                if on_problem:
                    on_problem(rec)
                if options.strict:
                    batch.append(rec)
                    raise StopIngest(str(rec))
            batch.append(rec)
            if len(batch) >= BATCH:
                writer.write(batch)
                if on_progress:
                    on_progress(unit.path, len(batch))
                batch = []
                checkpoint()
    except StopIngest:
        pass
    except Exception as exc:  # noqa: BLE001 - a bug outside the importer must not lose the batches already read
        msg = f"internal error in {unit.importer.name} at {unit.path}: {type(exc).__name__}: {exc}"
        problem = Internal(source=str(unit.path), where="-", message=msg)
        if on_problem:
            on_problem(problem)
        batch.append(problem)
    if batch:
        writer.write(batch)
        if on_progress:
            on_progress(unit.path, len(batch))
