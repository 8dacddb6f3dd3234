"""The loading process and the files it reads (issue 19, finding 10): a ``load`` killed with SIGKILL
leaves no parse worker behind, and a file reached by several paths (symbolic links, a folder given
twice or inside another given folder) is loaded once.

The toy parser (tests/toy_notices.py) stands in for the real one.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from casedb.store import connect, load
from tests.toy_notices import notice_text, parse

ROOT = Path(__file__).resolve().parents[1]

#: A load in 2 parse workers whose parser takes a while per document, so that it is still running
#: when it is killed.
SLOW_LOAD = textwrap.dedent("""
    import sys, time
    from casedb.store import load
    from tests.toy_notices import parse

    def slow_parse(source):
        time.sleep(0.3)
        return parse(source)

    if __name__ == "__main__":
        load([sys.argv[1]], sys.argv[2], workers=2, parser=slow_parse)
""")


def _write_documents(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{n:03d}.txt").write_text(
            notice_text("太原市", "2022-04-13", f"CASE 病例{n + 1} case {n + 1} male 30\n"
                                               f"VISIT 2022-04-02 20:00 超市{n % 5}"), encoding="utf-8")


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                children.append(int(entry))
    return children


def _pool_processes(loader: int) -> tuple[list[int], list[int]]:
    """The loader's parse workers, and the fork server they were forked from (none where they were spawned)."""
    workers, servers = [], []
    for pid in _children(loader):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        if "spawn_main" in command:
            workers.append(pid)
        elif "forkserver" in command:
            servers.append(pid)
            workers += _children(pid)
    return workers, servers


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for init to reap it has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def test_a_killed_load_leaves_no_parse_worker_running(tmp_path):
    if not os.path.isdir("/proc"):
        pytest.skip("needs /proc to find the workers")
    _write_documents(tmp_path / "notices", 100)   # over MIN_DOCUMENTS_FOR_POOL: parsed in the pool
    script = tmp_path / "slow_load.py"
    script.write_text(SLOW_LOAD, encoding="utf-8")
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    loader = subprocess.Popen([sys.executable, str(script), str(tmp_path / "notices"),
                               f"sqlite:///{tmp_path / 'casedb.sqlite'}"], env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: list[int] = []
    servers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and loader.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            workers, servers = _pool_processes(loader.pid)
        assert len(workers) == 2, loader.stderr.read().decode() if loader.poll() is not None else workers
        time.sleep(0.5)                # the workers are parsing
        loader.kill()                  # SIGKILL: no clean-up in the loading process
        loader.wait(30)
        deadline = time.monotonic() + 30
        while any(map(_running, workers + servers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in workers + servers if _running(pid)] == []
    finally:
        if loader.poll() is None:
            loader.kill()
            loader.wait(30)
        for pid in workers + servers:  # the processes this test started, should the assertion fail
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def _sources(url: str) -> set[str]:
    with connect(url).connect() as connection:
        return set(connection.execute(text("SELECT source FROM documents")).scalars())


def test_each_real_file_is_loaded_once_whatever_the_links(tmp_path):
    """The same folder given directly, through a link to it, and as the parent of another given
    folder, plus a link to one of its files elsewhere: each file once, under the first path met."""
    folder = tmp_path / "notices"
    _write_documents(folder / "april", 3)
    _write_documents(folder / "may", 2)
    (tmp_path / "notices_link").symlink_to(folder, target_is_directory=True)
    other = tmp_path / "other"
    other.mkdir()
    (other / "a_copy.txt").symlink_to(folder / "april" / "001.txt")
    (folder / "may" / "link_to_april.txt").symlink_to(folder / "april" / "002.txt")
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    summary = load([folder, tmp_path / "notices_link", folder / "may", other, folder / "april" / "000.txt"],
                   url, parser=parse)
    expected = {str(folder / sub / f"{n:03d}.txt") for sub, count in (("april", 3), ("may", 2)) for n in range(count)}
    assert _sources(url) == expected
    assert (summary.files_seen, summary.files_new, summary.rows.cases) == (5, 5, 5)



def _pool_report(function, *args):
    """``function(*args)`` run in a pool worker started as ``casedb load`` starts its workers."""
    from concurrent.futures import ProcessPoolExecutor

    from casedb.store import loading

    with ProcessPoolExecutor(1, mp_context=loading.pool_context(), initializer=loading.start_worker,
                             initargs=loading.worker_setup()) as pool:
        return pool.submit(function, *args).result()


def test_a_parse_worker_runs_in_the_loaders_environment_directory_and_path_as_they_are_now(tmp_path, monkeypatch):
    """Workers are forked from a fork server started with the first pool; each still sees the environment,
    working directory and import path of the loading process when its pool starts, as a new interpreter would."""
    from tests.worker_probe import surroundings

    _pool_report(surroundings)   # the fork server is running (started here or by an earlier test)
    monkeypatch.setenv("CASEDB_PROBE", "set after the server started")
    monkeypatch.delenv("CASEDB_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path / "modules"))
    report = _pool_report(surroundings)
    assert report["probe"] == "set after the server started" and report["url"] is None
    assert report["directory"] == str(tmp_path)
    assert report["path"][0] == str(tmp_path / "modules")


def test_a_parse_worker_imports_no_sql_and_is_set_up_for_many_documents():
    """A pool worker (started as ``casedb load`` starts it) parses a document and builds its rows without
    importing SQLAlchemy (half its start-up time), and ``casedb.parse.prepare_for_many_documents`` has set
    its garbage collector: the collector waits for more young objects, and what importing the parser made is
    frozen out of its passes."""
    import multiprocessing

    from casedb.parse import YOUNG_OBJECTS_PER_COLLECTION
    from tests.worker_probe import parse_and_report

    seed = ROOT / "seeds" / "001_096631c7e59e4269.txt"   # the Taiyuan notice of cases 48-51
    report = _pool_report(parse_and_report, str(seed))
    assert report["cases"] > 0 and report["error"] is None
    assert report["sql_modules"] == []
    assert report["young_objects_per_collection"] == YOUNG_OBJECTS_PER_COLLECTION > 700
    assert report["frozen_objects"] > 10_000
    # forked from a server that imported the parser once, where there is one (not a new interpreter each)
    assert (report["parent"] != os.getpid()) == ("forkserver" in multiprocessing.get_all_start_methods())


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here")
def test_a_parse_worker_finds_the_parsers_tables_made_by_its_server():
    """The fork server makes what a parse makes on first use (``casedb.store.preload``) once for all its workers."""
    from tests.worker_probe import tables_before_a_parse

    assert _pool_report(tables_before_a_parse) == {"rows_module": True, "divisions": 1, "simplified_gate": 1,
                                                   "rows_digest_start": 1}


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here")
def test_the_workers_server_imports_the_command_line_only_for_the_command():
    """Each worker runs the loading process's main script again (``__mp_main__``), and the ``casedb`` script imports
    ``casedb.cli``: the server imports it once for all of them when the command runs, not for a notebook's load."""
    preloaded = ("from multiprocessing import forkserver; from casedb.store.worker import pool_context; "
                 "pool_context(); print('casedb.cli' in forkserver._forkserver._preload_modules)")
    for command_line, expected in (("", "False"), ("import casedb.cli; ", "True")):
        result = subprocess.run([sys.executable, "-c", command_line + preloaded], capture_output=True, text=True,
                                cwd=ROOT, check=True)
        assert result.stdout.strip() == expected


def test_the_workers_server_starts_early_only_for_many_files_into_a_new_sqlite_file(tmp_path, monkeypatch):
    """``casedb load`` starts the parse workers' fork server before it imports SQLAlchemy only when every file is
    sure to be parsed (a SQLite file that does not exist or is empty) and there are enough of them for a pool:
    a re-import of unchanged files must not pay for importing the parser. ``casedb reparse`` does when the SQLite
    file stores enough documents to re-parse."""
    from casedb.store.inputs import MIN_DOCUMENTS_FOR_POOL, parses_many_new_files, reparses_many

    folder, few = tmp_path / "notices", tmp_path / "few"
    _write_documents(folder, MIN_DOCUMENTS_FOR_POOL)
    _write_documents(few, MIN_DOCUMENTS_FOR_POOL - 1)
    database = tmp_path / "casedb.sqlite"
    monkeypatch.delenv("CASEDB_URL", raising=False)
    assert parses_many_new_files([folder], str(database))
    assert parses_many_new_files([folder], f"sqlite:///{database}")
    assert not parses_many_new_files([few], str(database))
    assert not parses_many_new_files([folder], "postgresql://localhost/casedb")
    database.touch()
    assert parses_many_new_files([folder], str(database))
    assert not reparses_many(str(database), everything=True)   # no table yet
    load([folder], str(database), parser=parse)
    assert not parses_many_new_files([folder], str(database))
    assert reparses_many(str(database), everything=True)
    assert not reparses_many(str(database), everything=False)    # every document made by this parser version
    with connect(str(database)).begin() as connection:
        connection.execute(text("UPDATE documents SET parser_version = 'older'"))
    assert reparses_many(f"sqlite:///{database}", everything=False)
    assert not reparses_many(str(tmp_path / "missing.sqlite"), everything=True)
    assert not reparses_many("postgresql://localhost/casedb", everything=True)
    monkeypatch.chdir(tmp_path)
    assert not parses_many_new_files([folder], None)   # casedb.sqlite in the working directory


def test_a_load_into_a_new_sqlite_file_imports_no_alembic_nor_the_postgresql_dialect(tmp_path):
    """What a SQLite load does not need it does not import: alembic (a new file's schema comes from
    ``casedb/data/sqlite_schema.sql``) and SQLAlchemy's PostgreSQL dialect (0.03-0.07 s each)."""
    _write_documents(tmp_path / "notices", 3)
    probe = textwrap.dedent("""
        import sys
        from casedb.store import load
        from tests.toy_notices import parse

        assert load([sys.argv[1]], sys.argv[2], parser=parse).files_new == 3
        print(sorted(name for name in sys.modules if name == "alembic" or name.startswith("sqlalchemy.dialects.postgresql")))
    """)
    finished = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "notices"), str(tmp_path / "casedb.sqlite")],
                              capture_output=True, text=True, timeout=120, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])})
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "[]"


def test_the_parsing_ends_with_its_pool_ended():
    """The pool is shut down without waiting once every document is handed over (the workers end as the last ones
    are written); ``close`` then waits for the pool's end: ``casedb load`` and ``reparse`` end with ``os._exit``, and
    a pool still ending left its queues' semaphores to the resource tracker, which warned of them on stderr."""
    from casedb.store import loading
    from casedb.store.worker import parse_stored

    texts = [notice_text("太原市", "2022-04-13", f"CASE 病例{n} case {n} male 30").encode() for n in range(1, 81)]
    items = [(f"doc{n}", f"{n:064x}", len(data), data, "utf-8", "text/plain") for n, data in enumerate(texts)]
    parsing = loading._Parsing(parse, workers=2, work=parse_stored)
    try:
        assert [len(parsed.rows.cases) for parsed in parsing.parsed(items)] == [1] * 80
        ending = parsing.ending
        assert parsing.pooled and ending is not None
    finally:
        parsing.close()
    assert not ending.is_alive() and parsing.ending is None
