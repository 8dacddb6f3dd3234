"""Crash safety: ``casedb load`` killed with SIGKILL at random points, then re-run, equals a clean load.

A folder of 40 documents (the seed pages and the Shijiazhuang fixtures, copies with shifted case
numbers) is loaded once cleanly. Then, round after round, a fresh database gets loads that
are SIGKILLed (the whole process group, as in a power cut) at random points — mostly while
documents are being written (after a random number of stored documents plus a random few ms),
sometimes during start-up and schema creation — until ``KILLS_PER_ROUND`` kills; a last run then
finishes. The database must then hold the same rows as the clean load, compared by content (ids
and timestamps aside, foreign keys followed to the rows they point at): no row lost, none doubled,
no orphans (``PRAGMA foreign_key_check``), an intact file (``PRAGMA integrity_check``).

``CASEDB_KILLS`` is the total number of kills (default 50: 40 on SQLite, 10 on PostgreSQL).
"""
from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from casedb.store import connect

from tests.load_corpus import DOCUMENTS, differences, make_folder, snapshot

KILLS = max(20, int(os.environ.get("CASEDB_KILLS", "50")))
KILLS_PER_ROUND = 10
#: Share of kills aimed at start-up (imports, schema creation) rather than at document writes.
EARLY_KILLS = 0.2
_readers: dict[str, Engine] = {}


def start_load(folder: Path, url: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "casedb", "load", str(folder), "--db", url, "--workers", "1", "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_default_sigint)


def _default_sigint() -> None:
    """A test run started in the background inherits SIGINT ignored; the load must see Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stored_documents(url: str) -> int:
    """Committed documents, read the way a concurrent reader would (0 before the schema exists)."""
    try:
        if url not in _readers:
            _readers[url] = connect(url, read_only=True)
        with _readers[url].connect() as connection:
            return connection.execute(text("SELECT count(*) FROM documents")).scalar()
    except (SQLAlchemyError, FileNotFoundError):
        return 0


def load_and_kill(folder: Path, url: str, rng: random.Random) -> bool:
    """Start a load and SIGKILL it at a random point; False when it finished before the kill."""
    stored = stored_documents(url)
    process = start_load(folder, url)
    if rng.random() < EARLY_KILLS:
        # during start-up: at a random moment up to 1 s, or when the first documents are stored, whichever is first
        # (a load of the folder may take less than a second: a kill after it ended would end the round)
        deadline = time.perf_counter() + rng.uniform(0, 1.0)
        while process.poll() is None and time.perf_counter() < deadline and stored_documents(url) == stored:
            time.sleep(0.02)
    else:
        # a few more documents each time, so that a round's ten runs all have work left to interrupt
        target = stored + rng.randint(1, max(1, (DOCUMENTS - stored) // 4))
        while process.poll() is None and (now := stored_documents(url)) < target:
            time.sleep(0.02)
        if process.poll() is None and now < DOCUMENTS:   # (with every document stored, the load is ending: kill now)
            time.sleep(rng.uniform(0, 0.05))
    if process.poll() is not None:
        assert process.returncode == 0, process.stderr.read()
        return False
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()
    return True


def load_to_end(folder: Path, url: str) -> None:
    process = start_load(folder, url)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode()


def integrity_problems(url: str) -> list:
    """Orphans and file damage (SQLite; PostgreSQL enforces foreign keys itself), and an unfinished last run."""
    engine = create_engine(url)
    with engine.connect() as connection:
        problems = []
        if connection.dialect.name == "sqlite":
            problems += connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            status = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            problems += [status] if status != "ok" else []
        if connection.execute(text("SELECT finished_at IS NULL OR files_failed > 0 FROM import_runs "
                                   "ORDER BY id DESC LIMIT 1")).scalar():
            problems.append("last run unfinished or failed")
    engine.dispose()
    return problems


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kill") / "notices"
    make_folder(folder)
    return folder


@pytest.fixture(scope="module")
def clean_sqlite(folder, tmp_path_factory) -> dict[str, Counter]:
    """The content of an uninterrupted load of ``folder`` into SQLite."""
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.sqlite'}"
    load_to_end(folder, url)
    return snapshot(url)


@pytest.mark.timeout(900)
@pytest.mark.parametrize("database,kills", [("sqlite", KILLS - KILLS // 5), ("postgresql", KILLS // 5)])
def test_sigkilled_loads_resume_to_the_clean_result(folder, tmp_path, database, kills, request, capsys):
    if database == "sqlite":
        urls = (f"sqlite:///{tmp_path / f'db{n}.sqlite'}" for n in itertools.count())
        reference = request.getfixturevalue("clean_sqlite")
    else:
        server = request.getfixturevalue("postgres_server")
        urls = (server.create_database(f"casedb_kill_{n}") for n in itertools.count())
        clean_url = next(urls)
        load_to_end(folder, clean_url)
        reference = snapshot(clean_url)
    assert sum(reference["cases"].values()) > 100 and sum(reference["relations"].values()) > 10
    rng = random.Random(os.environ.get("CASEDB_KILL_SEED", "casedb"))
    # A load that finishes before its kill ends a round early (a fast machine finishes more loads), so
    # rounds go on until ``kills`` kills have happened, within a bound that only a load that cannot be
    # interrupted at all would reach.
    planned_rounds = max(1, kills // KILLS_PER_ROUND)
    survived = rows_lost = rows_extra = rounds = 0
    for round_number in itertools.count():
        if survived >= kills or round_number >= 8 * planned_rounds:
            break
        rounds += 1
        url = next(urls)
        round_kills = 0
        while round_kills < KILLS_PER_ROUND and load_and_kill(folder, url, rng):
            round_kills += 1
        load_to_end(folder, url)
        survived += round_kills
        lost, extra = differences(reference, snapshot(url))
        rows_lost, rows_extra = rows_lost + lost, rows_extra + extra
        assert integrity_problems(url) == [], f"round {round_number}"
    reference_rows = sum(sum(counter.values()) for counter in reference.values())
    with capsys.disabled():
        print(f"\nkill test ({database}): {survived} SIGKILLs in {rounds} rounds survived; "
              f"{reference_rows} rows per clean load; {rows_lost} rows lost, {rows_extra} rows extra")
    assert (rows_lost, rows_extra) == (0, 0)
    assert survived >= kills   # the loads were really interrupted


@pytest.mark.parametrize("stop,exit_code,message", [(signal.SIGTERM, 143, "casedb: stopped by SIGTERM"),
                                                    (signal.SIGINT, 1, "Aborted!")])
def test_a_stopped_load_logs_its_run_and_resumes(folder, clean_sqlite, tmp_path, stop, exit_code, message):
    """SIGTERM (cron, systemd) and Ctrl-C stop a load: the run log says so, and a re-run completes."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    process = start_load(folder, url)
    while process.poll() is None and stored_documents(url) < 3:
        time.sleep(0.01)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == exit_code
    assert stderr.decode().strip().splitlines()[-1] == message
    engine = create_engine(url)
    with engine.connect() as connection:
        finished_at, errors = connection.execute(
            text("SELECT finished_at, errors FROM import_runs ORDER BY id DESC LIMIT 1")).one()
    engine.dispose()
    assert finished_at is not None and errors.startswith("run stopped: ")
    load_to_end(folder, url)
    assert differences(clean_sqlite, snapshot(url)) == (0, 0) and integrity_problems(url) == []
