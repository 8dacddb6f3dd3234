"""Shared fixtures: a fresh SQLite file per test, and a real PostgreSQL server for the session.

``postgres_url`` starts Debian's PostgreSQL (``/usr/lib/postgresql/*/bin``) in a temporary
directory as a non-root user (tests run as root in CI), listening on a unix socket only.
It skips the test with the reason when no server can be started, unless
``CASEDB_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), where that is an error.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_USER = "casedb"
_database_numbers = itertools.count(1)

# The compiled-rule file (casedb.grammar.scan.remember_compiled_rules) of a test run is in a temporary folder of
# its own, never in the user's ~/.cache: set before any test imports the parser, for the tests and the commands they
# start; removed at the end of the run.
_RULE_CACHE = tempfile.mkdtemp(prefix="casedb-rule-cache-")
os.environ["CASEDB_CACHE_DIR"] = _RULE_CACHE


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_RULE_CACHE, ignore_errors=True)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A SQLite database file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'casedb.sqlite'}"


class PostgresServer:
    """A throwaway PostgreSQL cluster owned by a non-root OS user."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="casedb-pg-"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log_file = self.root / "server.log"
        self.os_user = _unprivileged_user()
        self.port = 5432  # unix socket only: the port just names the socket file

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.os_user is not None:
            command = ["runuser", "-u", self.os_user, "--", *command]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {(proc.stderr or proc.stdout).strip()[-500:]}")

    def start(self) -> None:
        self.socket_dir.mkdir()
        if self.os_user is not None:
            user = pwd.getpwnam(self.os_user)
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data_dir), "-U", PG_USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -p {self.port} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-o", options, "-w", "-t", "60",
                  "start")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@/{database}?host={self.socket_dir}&port={self.port}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), port=self.port, user=PG_USER, dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _unprivileged_user() -> str | None:
    """The OS user to run PostgreSQL as: None when not root, else ``postgres`` or ``nobody``."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


def _postgres_bin_dir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0)
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(candidates[-1]).parent


@pytest.fixture(scope="session")
def postgres_server():
    """A running PostgreSQL server for the whole test session (see the module docstring)."""
    try:
        server = PostgresServer(_postgres_bin_dir())
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
        if os.environ.get("CASEDB_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"cannot start PostgreSQL: {err}")
        pytest.skip(f"cannot start PostgreSQL: {err}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server) -> str:
    """A database on the session's PostgreSQL server, shared by all tests that use it."""
    return postgres_server.create_database("casedb_shared")


@pytest.fixture
def fresh_postgres_url(postgres_server) -> str:
    """An empty database of its own for one test."""
    return postgres_server.create_database(f"casedb_test_{next(_database_numbers)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """An empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def db(db_url):
    """A ``tests.analysis_db.DbBuilder`` on an empty database, once SQLite and once PostgreSQL."""
    from casedb import store
    from tests.analysis_db import DbBuilder

    engine = store.connect(db_url)
    yield DbBuilder(engine)
    engine.dispose()
