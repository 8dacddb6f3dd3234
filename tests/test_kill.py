"""Crash safety: ``casedb load`` killed with SIGKILL at random points, then re-run, equals a clean load.

A folder of 40 documents (the seed pages and the Shijiazhuang fixtures, copies with shifted case
numbers) is loaded once cleanly. Then, ``ROUNDS`` times, a fresh SQLite database gets loads that
are SIGKILLed (the whole process group, as in a power cut) at random points — mostly while
documents are being written (after a random number of stored documents plus a random few ms),
sometimes during start-up and schema creation — until ``KILLS_PER_ROUND`` kills; a last run then
finishes. The database must then hold the same rows as the clean load, compared by content (ids
and timestamps aside, foreign keys followed to the rows they point at): no row lost, none doubled,
no orphans (``PRAGMA foreign_key_check``), an intact file (``PRAGMA integrity_check``).

``CASEDB_KILLS`` sets the total number of kills (default 50: about 90 s on two idle cores).
"""
from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from casedb.store.models import Base

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = 40
KILLS = int(os.environ.get("CASEDB_KILLS", "50"))
KILLS_PER_ROUND = 10
ROUNDS = max(1, KILLS // KILLS_PER_ROUND)
#: Share of kills aimed at start-up (imports, schema creation) rather than at document writes.
EARLY_KILLS = 0.2
CONTENT_TABLES = ("documents", "document_versions", "notices", "persons", "places", "cases", "visits", "relations")
#: Columns that differ between two loads of the same files by design.
TIMESTAMPS = {"first_seen", "changed_at", "last_seen", "superseded_at"}


def make_folder(folder: Path) -> None:
    """40 distinct documents: the bases, then copies with case numbers shifted by 1000, 2000, …"""
    bases = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    folder.mkdir()
    for index in range(DOCUMENTS):
        base = bases[index % len(bases)]
        shift = 1000 * (index // len(bases))
        text = re.sub(r"病例(\d+)", lambda m: f"病例{int(m.group(1)) + shift}", base.read_text(encoding="utf-8"))
        (folder / f"{index:02d}_{base.name}").write_text(text, encoding="utf-8")


def start_load(folder: Path, database: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "casedb", "load", str(folder), "--db", str(database), "--workers", "1", "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stored_documents(database: Path) -> int:
    """Committed documents, read the way a concurrent reader would (0 before the schema exists)."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def load_and_kill(folder: Path, database: Path, rng: random.Random) -> bool:
    """Start a load and SIGKILL it at a random point; False when it finished before the kill."""
    process = start_load(folder, database)
    if rng.random() < EARLY_KILLS:
        time.sleep(rng.uniform(0, 1.5))
    else:
        stored = stored_documents(database)
        # a few more documents each time, so that a round's ten runs all have work left to interrupt
        target = stored + rng.randint(1, max(1, (DOCUMENTS - stored) // 4))
        while process.poll() is None and stored_documents(database) < target:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.05))
    if process.poll() is not None:
        assert process.returncode == 0, process.stderr.read()
        return False
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    return True


def load_to_end(folder: Path, database: Path) -> None:
    process = start_load(folder, database)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()


def snapshot(database: Path) -> dict[str, Counter]:
    """Each content table as a multiset of rows; a foreign key is replaced by the row it points at."""
    engine = create_engine(f"sqlite:///{database}")
    tables = {name: Base.metadata.tables[name] for name in CONTENT_TABLES}
    with engine.connect() as connection:
        rows = {name: {row.id: row._mapping for row in connection.execute(select(table))}
                for name, table in tables.items()}
    engine.dispose()
    keys: dict[tuple[str, int], tuple] = {}

    def key(name: str, row_id: int) -> tuple:
        if (name, row_id) not in keys:
            row, parts = rows[name][row_id], []
            for column in tables[name].columns:
                if column.name == "id" or column.name in TIMESTAMPS:
                    continue
                value = row[column.name]
                for foreign_key in column.foreign_keys:
                    if value is not None:
                        value = key(foreign_key.column.table.name, value)
                parts.append((column.name, value))
            keys[name, row_id] = tuple(parts)
        return keys[name, row_id]

    return {name: Counter(key(name, row_id) for row_id in rows[name]) for name in CONTENT_TABLES}


def integrity_problems(database: Path) -> list:
    with sqlite3.connect(database) as connection:
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        status = connection.execute("PRAGMA integrity_check").fetchone()[0]
        unfinished_last_run = connection.execute(
            "SELECT finished_at IS NULL OR files_failed > 0 FROM import_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    return problems + ([status] if status != "ok" else []) + (["last run unfinished"] if unfinished_last_run else [])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, Counter]]:
    """The folder and the content of a clean, uninterrupted load of it."""
    root = tmp_path_factory.mktemp("kill")
    folder = root / "notices"
    make_folder(folder)
    load_to_end(folder, root / "clean.sqlite")
    reference = snapshot(root / "clean.sqlite")
    assert sum(reference["cases"].values()) > 100 and sum(reference["relations"].values()) > 10
    return folder, reference


@pytest.mark.timeout(900)
def test_sigkilled_loads_resume_to_the_clean_result(corpus, tmp_path, capsys):
    folder, reference = corpus
    rng = random.Random(os.environ.get("CASEDB_KILL_SEED", "casedb"))
    kills = rows_lost = rows_extra = 0
    for round_number in range(ROUNDS):
        database = tmp_path / f"round{round_number}.sqlite"
        round_kills = 0
        while round_kills < KILLS_PER_ROUND and load_and_kill(folder, database, rng):
            round_kills += 1
        load_to_end(folder, database)
        kills += round_kills
        result = snapshot(database)
        for name in CONTENT_TABLES:
            rows_lost += sum((reference[name] - result[name]).values())
            rows_extra += sum((result[name] - reference[name]).values())
        assert integrity_problems(database) == [], f"round {round_number}"
    reference_rows = sum(sum(counter.values()) for counter in reference.values())
    with capsys.disabled():
        print(f"\nkill test: {kills} SIGKILLs in {ROUNDS} rounds survived; {reference_rows} rows per clean load; "
              f"{rows_lost} rows lost, {rows_extra} rows extra")
    assert (rows_lost, rows_extra) == (0, 0)
    assert kills >= ROUNDS * KILLS_PER_ROUND * 0.8   # most runs were really interrupted
