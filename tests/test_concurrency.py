"""Two loaders and a reader at once, on SQLite (WAL) and on PostgreSQL.

The 40-document folder is split into two overlapping halves; two ``casedb load`` processes load
one half each (the shared documents race, and relations link across the halves) while a reader
in this process keeps reading. Every read happens in one transaction (a snapshot) and must see
each stored document either not at all or with all its rows (the counts of a clean load of that
file), and no row pointing at a missing one. Afterwards the database equals a clean single load of
the whole folder, by content. (tests/test_cli.py covers two loaders on the same folder.)
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import text

from casedb.store import connect, load
from tests.load_corpus import differences, make_folder, snapshot

#: Rows per document, and rows that point at nothing; one statement, so one snapshot even in READ COMMITTED.
PER_DOCUMENT = text("""
SELECT d.source,
       (SELECT count(*) FROM notices n WHERE n.document_id = d.id),
       (SELECT count(*) FROM cases c WHERE c.document_id = d.id),
       (SELECT count(*) FROM visits v WHERE v.document_id = d.id),
       (SELECT count(*) FROM relations r WHERE r.document_id = d.id)
FROM documents d""")
DANGLING = text("""
SELECT (SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM notices n WHERE n.id = c.notice_id))
     + (SELECT count(*) FROM visits v WHERE v.case_id IS NOT NULL
                                        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = v.case_id))
     + (SELECT count(*) FROM relations r WHERE r.other_case_id IS NOT NULL
                                           AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = r.other_case_id))""")


class Reader(threading.Thread):
    """Reads until stopped; records every inconsistency it sees."""

    def __init__(self, url: str, expected: dict[str, tuple]):
        super().__init__(daemon=True)
        self.url, self.expected = url, expected
        self.stop, self.reads, self.problems = threading.Event(), 0, []

    def run(self) -> None:
        engine = None
        while not self.stop.is_set():
            try:
                engine = engine or connect(self.url, read_only=True)
                with engine.connect() as connection:
                    documents = connection.execute(PER_DOCUMENT).all()
                    dangling = connection.execute(DANGLING).scalar()
            except Exception as err:
                if self.reads:  # before the first read there may be no database or schema yet
                    self.problems.append(f"read failed: {err}")
                time.sleep(0.05)
                continue
            self.reads += 1
            self.problems += [f"{source}: {tuple(counts)} rows, expected {self.expected[source]}"
                              for source, *counts in documents if tuple(counts) != self.expected[source]]
            if dangling:
                self.problems.append(f"{dangling} rows point at missing rows")


def document_counts(url: str) -> dict[str, tuple]:
    with connect(url).connect() as connection:
        return {source: tuple(counts) for source, *counts in connection.execute(PER_DOCUMENT)}


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_loaders_and_a_reader_stay_consistent(tmp_path, database, request):
    folder = tmp_path / "notices"
    make_folder(folder)
    files = sorted(folder.iterdir())
    halves = (files[:25], files[15:])      # files 15–24 are loaded by both
    if database == "sqlite":
        clean_url, url = f"sqlite:///{tmp_path / 'clean.sqlite'}", f"sqlite:///{tmp_path / 'shared.sqlite'}"
    else:
        clean_url, url = (request.getfixturevalue("fresh_postgres_url") for _ in range(2))
    load([folder], clean_url)
    reader = Reader(url, document_counts(clean_url))
    reader.start()
    command = [sys.executable, "-m", "casedb", "load", "--db", url, "--workers", "1", "--quiet"]
    loaders = [subprocess.Popen([*command, *map(str, half)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for half in halves]
    outputs = [loader.communicate(timeout=300) for loader in loaders]
    time.sleep(0.2)
    reader.stop.set()
    reader.join(timeout=30)
    for loader, (_, stderr) in zip(loaders, outputs):
        assert loader.returncode == 0, stderr
    assert reader.problems == []
    assert reader.reads > 5
    assert differences(snapshot(clean_url), snapshot(url)) == (0, 0)
