"""``load``: files, folders and crawlers' URL lists → documents and their rows;
``reparse``: stored documents → rows again.

Files are streamed in batches: each is hashed (sha256 of the raw bytes) and skipped when the
stored document has the same hash; the others are read and parsed (in a process pool when
there are many) and written by this process, several whole documents to a transaction (see
``WRITE_BATCH_DOCUMENTS``; a document is never half written). A page named in a
URL list (:mod:`casedb.manifests`) is read from its saved file and stored under its URL. Every
run is logged in ``import_runs``.
"""
from __future__ import annotations

import gc
import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import NamedTuple

from sqlalchemy import Engine, LargeBinary, cast, func, select, update
from sqlalchemy.exc import DataError, IntegrityError

from casedb import PARSER_VERSION, limits
from casedb.errors import InputError
from casedb.manifests import Manifest, read_manifest
from casedb.store.engine import connect, copy_wal_into_file, ensure_schema, in_chunks, write_transaction
from casedb.store.inputs import MIN_DOCUMENTS_FOR_POOL, iter_files
from casedb.store.models import documents, import_runs as runs, utcnow
from casedb.store.parsed import ParsedDocument, RowCounts, case_count
from casedb.store.worker import (
    Input, Parser, default_parser, one_line, parse_stored, pool_context, read_and_parse, start_worker, work_chunk,
    worker_setup,
)

#: Files read and hashed per round (the changed ones then stream to the parsing, see ``_Parsing``).
BATCH_SIZE = 256
#: Threads that read and hash files, each a slice of a batch (file reads and sha256 release the GIL, so
#: reads from a cold disk overlap). More threads than cores cost CPU in GIL hand-offs: with the files
#: cached, 4 threads took 1.2-1.5 s of CPU for 10,000 files where 2 took 0.8 s and 1 took 0.6 s.
READER_THREADS = 2
#: Documents written in one transaction, at most; a group is also written once it holds this many
#: cases, or once its first document has waited long enough: ``WRITE_BATCH_SECONDS`` when documents are
#: parsed here (one by one, so that progress stays visible and a killed load loses little: the kill test
#: interrupts a load of 40 documents), ``WRITE_BATCH_SECONDS_POOLED`` when parse workers hand them over, and
#: then only while the next document is not ready (the writer would wait): documents already parsed are
#: added to the group up to the caps. Each commit costs more in a larger file (every batch dirties index
#: pages all over the random-key indexes, and the commit writes them out), so big loads want big batches:
#: cut after 50 ms, batches held about 8 documents and the writer's CPU per case grew ×1.4-1.5 from 10,000
#: to 100,000 cases; after 1 s (with the page cache of ``casedb.store.engine``), ×1.14-1.17 (0.19 → 0.21 ms).
WRITE_BATCH_DOCUMENTS = 64
WRITE_BATCH_CASES = 1000
WRITE_BATCH_SECONDS = 0.05
WRITE_BATCH_SECONDS_POOLED = 1.0
#: Documents a pool worker parses in one task (and hands back together: fewer round trips).
CHUNK_DOCUMENTS = 4
#: The last documents of a run, per worker, are handed over one to a task: the workers then end within a document of
#: each other, and the writer gets the last documents one by one (little is left to write once the workers have ended).
LAST_SINGLE_DOCUMENTS = 4
#: Tasks per worker still in the pool when a load starts to finish: the writer then copies the WAL into the database
#: file (SQLite: what closing the database did after the workers had ended, 0.08-0.1 s of a 10,000-case load) and
#: writes the documents it holds after ``WRITE_BATCH_SECONDS``, while the workers parse these tasks (about 0.2 s
#: with 2 workers), so that little is left to do once they end.
FINISHING_TASKS = 4
#: Documents parsed ahead of the writer, at most (in the pool, or parsed and waiting to be written):
#: the workers go on parsing while the writer waits for a slow document, and memory stays bounded.
AHEAD_DOCUMENTS = 2 * BATCH_SIZE
#: Young objects Python's cyclic garbage collector lets pile up in the loading process during a load or reparse
#: (its default: 700). The loader unpickles and writes rows, many tuples that live until they are written and few
#: reference cycles; at the default the collector's passes took 0.14-0.17 s of the loader's CPU in a 10,000-case
#: load, 0.02 s with this.
LOADING_YOUNG_OBJECTS = 50_000


@dataclass
class RunSummary:
    """What one ``load`` or ``reparse`` run did (also stored as a row of ``import_runs``)."""

    run_id: int
    command: str
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_failed: int = 0
    files_missing: int = 0
    files_kept: int = 0    # of a reparse's files_changed, those whose rows came out as stored and were kept (their
                           # ids too; only their parser version is written): not in import_runs
    rows: RowCounts = field(default_factory=RowCounts)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no file failed and (for a load) at least one file was found: cron's exit code 0."""
        return self.files_failed == 0 and (self.files_seen > 0 or self.command != "load")

    def line(self) -> str:
        """One line for logs: what was seen and what was written."""
        gone = f", {self.files_missing} no longer present" if self.files_missing else ""
        if self.command == "reparse":
            revised = f", {self.files_unchanged} revised meanwhile" if self.files_unchanged else ""
            rows = (f": {self.files_changed - self.files_kept} with new rows, {self.files_kept} with the rows stored;"
                    if self.files_changed else ",")
            seen = (f"{self.files_seen} documents ({self.files_changed} re-parsed{rows} "
                    f"{self.files_failed} failed{revised})")
        else:
            seen = (f"{self.files_seen} files ({self.files_new} new, {self.files_changed} changed, "
                    f"{self.files_unchanged} unchanged, {self.files_failed} failed{gone})")
        return (f"casedb {self.command} run {self.run_id}: {seen}; wrote {self.rows.notices} notices, "
                f"{self.rows.cases} cases, {self.rows.visits} visits, {self.rows.relations} relations")

    def count(self, outcome: str) -> None:
        attribute = {"new": "files_new", "changed": "files_changed", "reparsed": "files_changed",
                     "kept": "files_changed", "unchanged": "files_unchanged", "failed": "files_failed"}[outcome]
        setattr(self, attribute, getattr(self, attribute) + 1)
        self.files_kept += outcome == "kept"   # re-parsed; its rows came out as stored


class _Parsing:
    """Parses documents, here or in a process pool started when there are enough of them.

    ``parsed`` streams: documents go to the workers in tasks of ``CHUNK_DOCUMENTS``, up to
    ``AHEAD_DOCUMENTS`` ahead of the caller, and come back in the order of the input (so rows do not
    depend on which worker was faster); while the next one is still being parsed the others go on, and
    the caller's ``waiting`` is called (the loader writes the documents it holds).
    """

    def __init__(self, parser: Parser, workers: int, work=None):
        self.parser, self.workers, self.pool = parser, workers, None
        self.pooled = False   # True once documents come from the pool (``parsed``)
        self.finishing = False  # True once the pool holds only each worker's last ``FINISHING_TASKS`` tasks
        self.ending = None      # the thread that ends a pool shut down without waiting (joined by ``close``)
        self.work = work or read_and_parse   # work(item, parser) -> ParsedDocument, a module-level function

    def parsed(self, items: Iterable[tuple], waiting: Callable[[], float | None] = lambda: None
               ) -> Iterator[ParsedDocument]:
        """The documents of ``items`` parsed, in order. ``waiting()`` is called while the next one is not
        ready; it returns how long to wait before calling it again (None: until the document is ready)."""
        items = iter(items)
        first = list(islice(items, MIN_DOCUMENTS_FOR_POOL if self.workers > 1 else 0))
        if self.workers <= 1 or len(first) < MIN_DOCUMENTS_FOR_POOL:
            for item in chain(first, items):  # parsed here, one by one, as they are asked for
                yield self.work(item, self.parser)
            return
        self.pooled = True
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=pool_context(),
                                            initializer=start_worker, initargs=worker_setup())
        tasks = _tasks(chain(first, items), CHUNK_DOCUMENTS, self.workers * LAST_SINGLE_DOCUMENTS)
        in_flight, ahead, handed_over = deque(), 0, False
        while True:
            while ahead < AHEAD_DOCUMENTS and (chunk := next(tasks, None)):
                in_flight.append(self.pool.submit(work_chunk, self.work, chunk, self.parser))
                ahead += len(chunk)
            if chunk is None and not handed_over:   # all handed over: the workers end as the last documents
                # are written, not after (close() still cancels what is left, and waits for the pool's end)
                self.ending = getattr(self.pool, "_executor_manager_thread", None)
                self.pool.shutdown(wait=False)
                handed_over = True
            if not in_flight:
                return
            # no document left to hand over, and the pool holds at most each worker's last tasks
            self.finishing = not chunk and ahead <= self.workers * FINISHING_TASKS * CHUNK_DOCUMENTS
            future = in_flight.popleft()
            while not future.done():
                wait([future], timeout=waiting())
            chunk = future.result()
            ahead -= len(chunk)
            yield from chunk

    def close(self) -> None:
        """Shut the pool down, once its workers have ended: ``casedb load`` ends with ``os._exit``, and a pool still
        ending then leaves its queues' semaphores to the resource tracker, which warns of them on stderr. (A pool
        shut down without waiting forgets the thread that ends it, and a second ``shutdown`` does not wait for it,
        hence ``ending``.)"""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.ending is not None:
            self.ending.join()
            self.ending = None


def _tasks(items: Iterator, size: int, singles: int) -> Iterator[list]:
    """``items`` in lists of ``size``, but the last ``singles`` of them (and any after the last full list) one to a
    list."""
    held = deque()
    for item in items:
        held.append(item)
        if len(held) == size + singles:
            yield [held.popleft() for _ in range(size)]
    for item in held:
        yield [item]


def _read_and_hash(documents_to_read: list[Input]) -> list[tuple[Input, bytes | Exception, str | None]]:
    """(input, bytes, sha256), or (input, the error, None), of each document: runs in reader threads
    (file reads and sha256 release the GIL)."""
    read = []
    for document in documents_to_read:
        try:
            data = limits.read_file(document.path, document.source)
        except (InputError, OSError) as err:
            read.append((document, err, None))
            continue
        read.append((document, data, hashlib.sha256(data).hexdigest()))
    return read


class _Stored(NamedTuple):
    """What ``load`` knows of a stored document: the columns it selects (rows are used as they come)."""

    sha256: str
    source_present: bool
    manifest: str | None


class _Loader:
    """One ``load`` run: hashes files, hands changed ones to the parser, writes what comes back.

    Unchanged documents are not written to at all (rewriting 10,000 rows that hold their texts
    is what would make a nightly re-import slow); only documents whose presence (or URL list)
    changes are, once, at the end of the run.
    """

    def __init__(self, engine: Engine, summary: RunSummary, progress: Callable[[str, str], None] | None,
                 parsing: _Parsing):
        self.engine, self.summary, self.progress = engine, summary, progress
        with engine.connect() as connection:  # one query; rows kept as they come (no object per document)
            self.known: dict[str, _Stored] = {row.source: row for row in connection.execute(
                select(documents.c.source, documents.c.sha256, documents.c.source_present, documents.c.manifest))}
        self.met: set[str] = set()          # sources found on disk (or listed) in this run
        self.named_gone: set[str] = set()   # stored sources named explicitly that no longer exist
        self.relisted: dict[str, str] = {}  # stored unchanged pages now named by another URL list → that list
        self.readers = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="casedb-read")
        self.writes = _Writes(parsing, engine)

    def outcome(self, source: str, outcome: str) -> None:
        self.summary.count(outcome)
        if self.progress:
            self.progress(source, outcome)

    def listed(self, manifest: Manifest) -> None:
        """Count a URL list's rows that could not be read as failed; its URLs are all present."""
        self.met |= manifest.listed
        for error in manifest.errors:
            self.summary.files_seen += 1
            _failed(self.summary, self.progress, manifest.path, error)

    def changed_files(self, batch: list[Input]) -> list[tuple[Input, bytes, str]]:
        """(input, bytes, sha256) of the documents in ``batch`` that are new or changed."""
        changed = []
        step = -(-len(batch) // READER_THREADS)
        slices = self.readers.map(_read_and_hash, (batch[start:start + step] for start in range(0, len(batch), step)))
        for document, data, sha256 in chain.from_iterable(slices):
            source = document.source
            self.summary.files_seen += 1
            self.met.add(source)
            stored = self.known.get(source)
            if isinstance(data, InputError):  # over the size limit: refused unread, its stored rows stay
                _failed(self.summary, self.progress, source, str(data))
            elif isinstance(data, OSError):
                _failed(self.summary, self.progress, source, _unreadable(document, data))
                if isinstance(data, FileNotFoundError) and stored and not document.manifest:
                    self.met.discard(source)
                    self.named_gone.add(source)
            elif stored and stored.sha256 == sha256:
                if document.manifest and stored.manifest != document.manifest:
                    self.relisted[source] = document.manifest
                self.outcome(source, "unchanged")
            else:
                changed.append((document, data, sha256))
        return changed

    def write(self, parsed: ParsedDocument) -> None:
        """Queue ``parsed`` for writing; the queue is written as one transaction when it is full."""
        if parsed.error:  # a stored earlier version keeps its rows
            _failed(self.summary, self.progress, parsed.source, parsed.error)
            return
        if self.writes.add(parsed):
            self.flush()

    def waiting(self) -> float | None:
        """While the next document is parsed in the pool: :meth:`_Writes.waiting`."""
        return self.writes.waiting(self.flush)

    def flush(self) -> None:
        for parsed, outcome, rows in self.writes.flush(self.engine, reparse=False):
            if outcome == "failed":  # a record the schema refuses: nothing of it is kept
                _failed(self.summary, self.progress, parsed.source, rows)
                continue
            self.known[parsed.source] = _Stored(parsed.sha256, True, parsed.manifest)  # written as present
            self.relisted.pop(parsed.source, None)
            self.summary.rows.add(rows)
            self.outcome(parsed.source, outcome)

    def update_presence(self, paths: list, manifests: list[Manifest]) -> None:
        """Flag stored documents found again as present, and those gone from loaded folders or from
        URL lists (or named but missing) as not present; their rows are kept either way.

        A URL list with a row whose URL cannot be read flags nothing as gone."""
        folders = tuple(os.path.join(limits.path_text(os.path.abspath(p)), "") for p in paths if os.path.isdir(p))
        complete_lists = {manifest.path for manifest in manifests if manifest.complete}
        gone, back = set(self.named_gone), set()
        for source, stored in self.known.items():
            if source in self.met:
                if not stored.source_present:
                    back.add(source)
            elif stored.source_present and (stored.manifest in complete_lists
                                            or (folders and source.startswith(folders))):
                gone.add(source)
        self.summary.files_missing = len(gone)
        if not (back or gone or self.relisted):
            return
        now = utcnow()
        with write_transaction(self.engine) as connection:
            for sources, present in ((sorted(back), True), (sorted(gone), False)):
                for chunk in in_chunks(sources):
                    connection.execute(update(documents).where(documents.c.source.in_(chunk))
                                       .values(source_present=present, last_seen=now))
            for manifest in sorted(set(self.relisted.values())):
                for chunk in in_chunks(sorted(s for s, m in self.relisted.items() if m == manifest)):
                    connection.execute(update(documents).where(documents.c.source.in_(chunk))
                                       .values(manifest=manifest))


def _unreadable(document: Input, err: OSError) -> str:
    """The one-line message for a file that cannot be opened."""
    if document.manifest is None:
        return f"{document.source}: cannot read file ({err.strerror})"
    return f"{document.source}: cannot read the saved page {document.path} ({err.strerror}; {document.where})"


def _inputs(paths: list, manifests: list[Manifest]) -> Iterator[Input]:
    """The files named in ``paths`` or found under folders there, then the pages the URL lists name."""
    yield from map(Input.file, iter_files(paths))
    for manifest in manifests:
        for page in manifest.pages:
            yield Input(source=page.url, path=page.path, manifest=manifest.path, fetched_at=page.fetched_at,
                        where=page.where)


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Within: young objects collected after ``LOADING_YOUNG_OBJECTS`` of them; the collector's thresholds as they
    were afterwards. (Nothing is frozen out of its passes: garbage frozen with the rest would go to the oldest
    generation when unfrozen and wait there for a full collection, as would an engine's open connections in a
    process that goes on, a notebook's or a test run's; and an unfreeze would undo a freeze made before.)"""
    thresholds = gc.get_threshold()
    gc.set_threshold(LOADING_YOUNG_OBJECTS, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@_collecting_less()
def load(paths: Iterable[str | os.PathLike] = (), url: str | None = None, *,
         manifests: Iterable[str | os.PathLike] = (), engine: Engine | None = None, workers: int = 1,
         parser: Parser = default_parser, progress: Callable[[str, str], None] | None = None) -> RunSummary:
    """Load files and folders, and the saved pages that URL lists name, into the database at ``url``
    (created or upgraded as needed).

    Unchanged documents (same sha256) cost a stat and a hash; new and revised ones are parsed
    (``workers`` > 1: in a process pool) and written several to a transaction, each whole. Stored
    documents under a loaded folder that are no longer there, or gone from a URL list, are marked
    ``source_present = false``. ``manifests``: URL lists saved by a crawler (see
    :mod:`casedb.manifests`), whose pages are stored under their URL. ``progress(source, outcome)``
    is called once per document; see :func:`expect` for the total.
    """
    own_engine, engine = engine is None, engine or connect(url)
    ensure_schema(engine)
    paths = list(paths)
    summary = _start_run(engine, "load")
    parsing = _Parsing(parser, workers)
    loader = _Loader(engine, summary, progress, parsing)
    try:
        url_lists = [read_manifest(manifest) for manifest in manifests]
        inputs = list(_inputs(paths, url_lists))
        expect(progress, len(inputs) + sum(len(manifest.errors) for manifest in url_lists), summary)
        for manifest in url_lists:
            loader.listed(manifest)
        documents_to_load = iter(inputs)
        changed = chain.from_iterable(loader.changed_files(batch) for batch in
                                      iter(lambda: list(islice(documents_to_load, BATCH_SIZE)), []))
        for parsed in parsing.parsed(changed, loader.waiting):
            loader.write(parsed)
        loader.flush()
        loader.update_presence(paths, url_lists)
    except BaseException as err:
        summary.errors.append(f"run stopped: {type(err).__name__}: {one_line(str(err))}")
        raise
    finally:
        loader.readers.shutdown()
        parsing.close()
        _finish_run(engine, summary)
        if own_engine:
            engine.dispose()   # SQLite: the last connection closed copies the WAL into the database file
    return summary


@_collecting_less()
def reparse(url: str | None = None, *, engine: Engine | None = None, force: bool = False, workers: int = 1,
            parser: Parser = default_parser, progress: Callable[[str, str], None] | None = None) -> RunSummary:
    """Parse stored documents again whose rows came from another parser version (all with ``force``).

    Works from the stored text, so sources that are gone can be re-parsed too; documents are
    parsed in ``workers`` processes (when there are many) and each is replaced atomically.
    """
    own_engine, engine = engine is None, engine or connect(url)
    ensure_schema(engine)
    summary = _start_run(engine, "reparse")
    stale = documents.c.parser_version != PARSER_VERSION
    parsing = _Parsing(parser, workers, work=parse_stored)

    def stored_documents() -> Iterator[tuple]:
        """(source, sha256, size_bytes, text as UTF-8 bytes, encoding, media_type) of the documents to re-parse
        (:func:`casedb.store.worker.parse_stored`), read BATCH_SIZE at a time as the parsing asks for them."""
        last_id = 0
        while True:
            with engine.connect() as connection:
                batch = connection.execute(
                    select(documents.c.id, documents.c.source, documents.c.sha256, documents.c.size_bytes,
                           _utf8(engine, documents.c.text), documents.c.encoding, documents.c.media_type)
                    .where(documents.c.id > last_id, *(() if force else (stale,)))
                    .order_by(documents.c.id).limit(BATCH_SIZE)).all()
            if not batch:
                return
            last_id = batch[-1].id
            summary.files_seen += len(batch)
            yield from (tuple(row[1:]) for row in batch)

    try:
        if progress is not None:
            with engine.connect() as connection:
                expect(progress, connection.execute(select(func.count()).select_from(documents)
                                                    .where(*(() if force else (stale,)))).scalar_one(), summary)
        _write_reparsed(engine, summary, progress, parsing, stored_documents())
    except BaseException as err:  # SIGTERM, Ctrl-C, a database error: logged as stopped, like a load
        summary.errors.append(f"run stopped: {type(err).__name__}: {one_line(str(err))}")
        raise
    finally:
        parsing.close()
        _finish_run(engine, summary)
        if own_engine:
            engine.dispose()
    return summary


def _utf8(engine: Engine, column):
    """``column`` (text) as its UTF-8 bytes: what SQLite stores (a cast reads it as it is), ``convert_to`` on
    PostgreSQL."""
    if engine.dialect.name == "postgresql":
        return func.convert_to(column, "UTF8")
    return cast(column, LargeBinary)


def expect(progress, total: int, summary: RunSummary) -> None:
    """Tell ``progress`` how many documents the run will report, when it wants to know: a progress callback
    may have a method ``expect(total, summary)``, called once before the first document (``summary`` is the
    run's :class:`RunSummary`, updated as documents are written, e.g. to show the cases written so far)."""
    method = getattr(progress, "expect", None)
    if method is not None:
        method(total, summary)


def _write_reparsed(engine: Engine, summary: RunSummary, progress, parsing: _Parsing, items: Iterator[tuple]) -> None:
    writes = _Writes(parsing, engine)

    def flush() -> None:
        for parsed, outcome, rows in writes.flush(engine, reparse=True):
            summary.count(outcome)
            summary.rows.add(rows)
            if progress:
                progress(parsed.source, outcome)

    for parsed in parsing.parsed(items, lambda: writes.waiting(flush)):
        if parsed.error:
            _failed(summary, progress, parsed.source, parsed.error)
        elif writes.add(parsed):
            flush()
    flush()


class _Writes:
    """Parsed documents waiting to be written, several to a transaction (each document still whole
    or not at all: a transaction that fails is not half kept)."""

    def __init__(self, parsing: _Parsing, engine: Engine | None = None):
        self.parsing = parsing
        self.wal_to_copy = engine   # whose WAL is copied into its file once the pool is finishing (then None)
        self.pending: list[ParsedDocument] = []
        self.cases = 0
        self.since = 0.0

    def add(self, parsed: ParsedDocument) -> bool:
        """Queue ``parsed``; True when the queue should now be written: full, or (documents parsed here)
        its first document has waited ``WRITE_BATCH_SECONDS``. Documents from the pool are cut on time by
        ``due`` only, while the next one is not ready."""
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append(parsed)
        self.cases += case_count(parsed)
        return (len(self.pending) >= WRITE_BATCH_DOCUMENTS or self.cases >= WRITE_BATCH_CASES
                or (not self.parsing.pooled and time.monotonic() - self.since >= WRITE_BATCH_SECONDS))

    def waiting(self, flush: Callable[[], None]) -> float | None:
        """While the next document is being parsed: ``flush()`` (which writes the queue) once the queue's first
        document has waited its time; returns how long to wait until then (None: nothing is waiting). The pool's
        documents wait ``WRITE_BATCH_SECONDS`` only once the workers parse their last tasks: the queue is then
        written while they finish, not after them; at the first call then, the WAL is first copied into the database
        file (:func:`copy_wal_into_file`)."""
        if self.parsing.finishing and self.wal_to_copy is not None:
            engine, self.wal_to_copy = self.wal_to_copy, None
            copy_wal_into_file(engine)
        if not self.pending:
            return None
        pooled = self.parsing.pooled and not self.parsing.finishing
        seconds = WRITE_BATCH_SECONDS_POOLED if pooled else WRITE_BATCH_SECONDS
        left = self.since + seconds - time.monotonic()
        if left <= 0:
            flush()
            return None
        return left

    def flush(self, engine: Engine, reparse: bool) -> list[tuple[ParsedDocument, str, object]]:
        """Write the queue; (document, outcome, rows written) of each, or (document, "failed", message)
        for a load's document the schema refuses (the others are then written without it)."""
        batch, self.pending, self.cases = self.pending, [], 0
        return _write_batch(engine, batch, reparse) if batch else []


def _write_batch(engine: Engine, batch: list[ParsedDocument], reparse: bool) -> list[tuple]:
    from casedb.store.write import write_documents, write_with_retry  # not needed while nothing changes

    try:
        results = write_with_retry(engine, write_documents, batch, PARSER_VERSION, reparse)
    except (IntegrityError, DataError) as err:  # nothing of the batch was kept: find the document
        if len(batch) > 1:
            return [result for parsed in batch for result in _write_batch(engine, [parsed], reparse)]
        if reparse:
            raise
        return [(batch[0], "failed", f"{batch[0].source}: cannot store it ({err.orig})")]
    return [(parsed, outcome, rows) for parsed, (outcome, rows) in zip(batch, results)]


def _failed(summary: RunSummary, progress, source: str, message: str) -> None:
    summary.count("failed")
    summary.errors.append(one_line(message))
    if progress:
        progress(source, "failed")


def _start_run(engine: Engine, command: str) -> RunSummary:
    with write_transaction(engine) as connection:
        run_id = connection.execute(runs.insert().values(
            command=command, started_at=utcnow(), parser_version=PARSER_VERSION, files_seen=0, files_new=0,
            files_changed=0, files_unchanged=0, files_failed=0, files_missing=0, rows_written=0)
            .returning(runs.c.id)).scalar()
    return RunSummary(run_id=run_id, command=command)


def _finish_run(engine: Engine, summary: RunSummary) -> None:
    with write_transaction(engine) as connection:
        connection.execute(update(runs).where(runs.c.id == summary.run_id).values(
            finished_at=utcnow(), files_seen=summary.files_seen, files_new=summary.files_new,
            files_changed=summary.files_changed, files_unchanged=summary.files_unchanged,
            files_failed=summary.files_failed, files_missing=summary.files_missing,
            rows_written=summary.rows.total, errors="\n".join(summary.errors) or None))
