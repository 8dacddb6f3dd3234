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
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.load_corpus import DOCUMENTS, differences, make_folder, snapshot

KILLS = int(os.environ.get("CASEDB_KILLS", "50"))
KILLS_PER_ROUND = 10
ROUNDS = max(1, KILLS // KILLS_PER_ROUND)
#: Share of kills aimed at start-up (imports, schema creation) rather than at document writes.
EARLY_KILLS = 0.2


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
    reference = snapshot(f"sqlite:///{root / 'clean.sqlite'}")
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
        lost, extra = differences(reference, snapshot(f"sqlite:///{database}"))
        rows_lost, rows_extra = rows_lost + lost, rows_extra + extra
        assert integrity_problems(database) == [], f"round {round_number}"
    reference_rows = sum(sum(counter.values()) for counter in reference.values())
    with capsys.disabled():
        print(f"\nkill test: {kills} SIGKILLs in {ROUNDS} rounds survived; {reference_rows} rows per clean load; "
              f"{rows_lost} rows lost, {rows_extra} rows extra")
    assert (rows_lost, rows_extra) == (0, 0)
    assert kills >= ROUNDS * KILLS_PER_ROUND * 0.8   # most runs were really interrupted
