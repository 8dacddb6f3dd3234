"""The writer alone (a script, not a test): the benchmark corpus parsed once and kept, then written into a
fresh SQLite file in loader-sized batches, timing the thread CPU of each batch's ``write_with_retry``, and
(``--split``) of each SQL statement and commit, for the first and the last segment of cases.

Without the parse workers running beside it, its figures move less with other work on the machine than
``benchmarks/scale.py --steps writer``; and the parse is paid once for any number of writer trees:

    .venv/bin/python benchmarks/writer_replay.py prepare --cases 100000 --out /var/tmp/parsed_100000.pkl
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/writer_replay.py replay /var/tmp/parsed_100000.pkl --split
    .venv/bin/python benchmarks/writer_replay.py replay /var/tmp/parsed_100000.pkl --split   # alternate the two

``replay`` prints JSON (ms of writer CPU per case in all and per ``--segment`` cases, the load average) and,
with ``--split``, ms per case of each statement over the first and the last segment. ``--pages`` counts the
pages each commit writes to the WAL, by the table or index they belong to (first and last segment): unlike
CPU time, a count that other work on the machine does not move, and pages that a table's growth spreads
writes over show as a count that grows. ``--sql`` runs statements after the schema is made
(``"DROP INDEX ix_cases_label"``: what one index costs).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sqlite3
import struct
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.append(str(REPO))   # for benchmarks.corpus; casedb from PYTHONPATH first


def prepare(cases: int, out: Path, cases_per_notice: int, workers: int) -> None:
    """Write the corpus (``benchmarks/corpus.py``), parse it as ``casedb load``'s workers do, pickle the
    parsed documents (their rows built) to ``out``."""
    from benchmarks.corpus import source_paragraphs, write_corpus
    from casedb.store.worker import Input, pool_context, read_and_parse, start_worker, worker_setup

    with tempfile.TemporaryDirectory(prefix="casedb-replay-") as work:
        corpus = Path(work) / f"corpus_{cases}"
        paragraphs, _ = source_paragraphs()
        write_corpus(corpus, paragraphs, cases, cases_per_notice)
        items = []
        for path in sorted(corpus.iterdir()):
            data = path.read_bytes()
            items.append((Input.file(str(path)), data, hashlib.sha256(data).hexdigest()))
        with pool_context().Pool(workers, initializer=start_worker, initargs=worker_setup()) as pool:
            parsed = pool.map(read_and_parse, items, chunksize=8)
    with open(out, "wb") as file:
        pickle.dump(parsed, file, protocol=pickle.HIGHEST_PROTOCOL)
    print(json.dumps({"documents": len(parsed), "cases": sum(len(p.rows.cases) for p in parsed if p.rows),
                      "failed": sum(1 for p in parsed if p.error)}))


def _batches(parsed: list, documents: int, cases: int) -> list[list]:
    """The documents cut as the loader cuts them by count (``WRITE_BATCH_DOCUMENTS``, ``WRITE_BATCH_CASES``)."""
    from casedb.store.parsed import case_count

    batches, current, in_current = [], [], 0
    for document in parsed:
        current.append(document)
        in_current += case_count(document)
        if len(current) >= documents or in_current >= cases:
            batches.append(current)
            current, in_current = [], 0
    return batches + ([current] if current else [])


def replay(pickled: Path, segment: int, split: bool, pages: bool, sql: list[str], documents: int | None,
           cases: int | None) -> None:
    import casedb
    from casedb import PARSER_VERSION
    from casedb.store import loading
    from casedb.store.engine import connect, ensure_schema
    from casedb.store.parsed import case_count
    from casedb.store.write import write_documents, write_with_retry

    with open(pickled, "rb") as file:
        parsed = [document for document in pickle.load(file) if document.error is None]
    batches = _batches(parsed, documents or loading.WRITE_BATCH_DOCUMENTS, cases or loading.WRITE_BATCH_CASES)
    total = sum(case_count(document) for document in parsed)
    with tempfile.TemporaryDirectory(prefix="casedb-replay-") as work:
        database = Path(work) / "casedb.sqlite"
        engine = connect(f"sqlite:///{database}")
        ensure_schema(engine)
        for statement in sql:
            with engine.begin() as connection:
                connection.exec_driver_sql(statement)
        # per statement: [first segment, last segment, between]
        by_statement: dict[str, list[float]] = {}
        where = [0]
        if split:
            _listen(engine, by_statement, where)
        written, spent, segments, in_segment, segment_spent = 0, 0.0, [], 0, 0.0
        cases_in = [0, 0, 0]    # cases written in the first segment, the last, between
        wal = _WalPages(database) if pages else None
        pages_in: list[list[int]] = [[], [], []]    # the pages written in the first segment, the last, between
        load_before = os.getloadavg()[0]
        for batch in batches:
            n = sum(case_count(document) for document in batch)
            where[0] = 0 if written + n <= segment else (1 if written >= total - segment else 2)
            cases_in[where[0]] += n
            started = time.thread_time()
            write_with_retry(engine, write_documents, batch, PARSER_VERSION)
            took = time.thread_time() - started
            if wal:
                pages_in[where[0]] += wal.written()
            written += n
            spent += took
            in_segment += n
            segment_spent += took
            if in_segment >= segment:
                segments.append([written, round(segment_spent / in_segment * 1000, 4)])
                in_segment, segment_spent = 0, 0.0
        engine.dispose()
        owners = _page_owners(database) if pages else {}
    print(json.dumps({"casedb": casedb.__file__, "cases": written, "batches": len(batches),
                      "writer_ms_per_case": round(spent / written * 1000, 4), "segments_ms_per_case": segments,
                      "load_average": [load_before, os.getloadavg()[0]]}))
    if split:
        print(f"ms per case of each statement: the first {cases_in[0]:,} cases, the last {cases_in[1]:,}")
        for name, (first, last, _) in sorted(by_statement.items(), key=lambda item: -item[1][1]):
            print(f"  {name:44s} {first / max(cases_in[0], 1) * 1000:8.4f} {last / max(cases_in[1], 1) * 1000:8.4f}")
    if pages:
        first, last = (Counter(owners.get(page, "(free)") for page in pages_in[i]) for i in (0, 1))
        print(f"pages written per case at the commits: the first {cases_in[0]:,} cases, the last {cases_in[1]:,}")
        print(f"  {'all':44s} {len(pages_in[0]) / max(cases_in[0], 1):8.3f} {len(pages_in[1]) / max(cases_in[1], 1):8.3f}")
        for name in sorted(first | last, key=lambda name: -last[name]):
            print(f"  {name:44s} {first[name] / max(cases_in[0], 1):8.3f} {last[name] / max(cases_in[1], 1):8.3f}")


class _WalPages:
    """The pages written to a SQLite database's WAL since the last call: the page number in each frame
    header (https://www.sqlite.org/fileformat.html#the_write_ahead_log), up to the last committed frame
    that the shared-memory index's header records. After a checkpoint the WAL starts again from its first
    frame with new salts."""

    def __init__(self, database: Path):
        self.wal, self.shm = Path(f"{database}-wal"), Path(f"{database}-shm")
        self.salt, self.frames = None, 0
        self.written()   # the schema's pages are not the writer's

    def written(self) -> list[int]:
        with open(self.wal, "rb") as file:
            header = file.read(32)
            page_size, salt = struct.unpack(">I", header[8:12])[0], header[16:24]
            with open(self.shm, "rb") as index:
                last = struct.unpack("=I", index.read(20)[16:20])[0]   # mxFrame, in native byte order
            start = self.frames if salt == self.salt else 0
            self.salt, self.frames = salt, last
            numbers = []
            for frame in range(start, last):
                file.seek(32 + frame * (24 + page_size))
                numbers.append(struct.unpack(">I", file.read(4))[0])
        return numbers


def _page_owners(database: Path) -> dict[int, str]:
    """{page number: the table or index it belongs to}, from SQLite's ``dbstat`` table."""
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT pageno, name FROM dbstat").fetchall())


def _listen(engine, by_statement: dict[str, list[float]], where: list[int]) -> None:
    """Add each statement's and each commit's thread CPU to ``by_statement`` (keyed by its first words)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Connection

    @event.listens_for(engine, "before_cursor_execute")
    def before(connection, _cursor, _statement, _parameters, _context, _many):
        connection.info["started"] = time.thread_time()

    @event.listens_for(engine, "after_cursor_execute")
    def after(connection, _cursor, statement, _parameters, _context, _many):
        name = " ".join(statement.split()[:3])[:44]
        by_statement.setdefault(name, [0.0, 0.0, 0.0])[where[0]] += time.thread_time() - connection.info["started"]

    commit = Connection._commit_impl

    def timed_commit(self):
        started = time.thread_time()
        try:
            return commit(self)
        finally:
            by_statement.setdefault("COMMIT", [0.0, 0.0, 0.0])[where[0]] += time.thread_time() - started

    Connection._commit_impl = timed_commit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("prepare", help="write and parse the corpus once, pickle the parsed documents")
    make.add_argument("--cases", type=int, default=100_000)
    make.add_argument("--cases-per-notice", type=int, default=20)
    make.add_argument("--workers", type=int, default=2)
    make.add_argument("--out", type=Path, required=True)
    run = commands.add_parser("replay", help="write the pickled documents into a fresh SQLite file, timed")
    run.add_argument("pickled", type=Path)
    run.add_argument("--segment", type=int, default=10_000, help="cases per reported segment")
    run.add_argument("--split", action="store_true", help="thread CPU by statement, first and last segment")
    run.add_argument("--pages", action="store_true", help="pages written at the commits by table or index, "
                                                         "first and last segment")
    run.add_argument("--sql", action="append", default=[], help="a statement to run after the schema is made")
    run.add_argument("--batch-documents", type=int, help="default: the loader's WRITE_BATCH_DOCUMENTS")
    run.add_argument("--batch-cases", type=int, help="default: the loader's WRITE_BATCH_CASES")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.cases, args.out, args.cases_per_notice, args.workers)
    else:
        replay(args.pickled, args.segment, args.split, args.pages, args.sql, args.batch_documents, args.batch_cases)


if __name__ == "__main__":
    main()
