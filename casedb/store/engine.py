"""Database connections and schema migrations (alembic, run programmatically)."""
from __future__ import annotations

import importlib.resources
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from casedb.errors import UnusableDatabase
from casedb.resources import migrations_dir
from casedb.store.inputs import resolve_url

#: How long a SQLite writer waits for another process's transaction before giving up.
SQLITE_BUSY_TIMEOUT_MS = 120_000
#: SQLite page cache of a connection that may write, in KiB (SQLite's default is 2 MiB): the writer inserts
#: into indexes on keys that fall at random (``cases.label``, ``cases.positive_date``…; the stable keys' were
#: too until revision 0013 led them by the document, ``visits(place_id, date)`` until 0014 led it by the date),
#: tens of MB of index pages at 100,000 cases; with 2 MiB nearly every insert missed the cache and read its
#: page again.
#: The cache fills only as pages are read, so a small database does not take it, and it is bounded.
SQLITE_CACHE_KIB = 64 * 1024
#: WAL pages after which a commit copies the WAL back into the database file (SQLite's default: 1,000, about
#: 4 MB). A batch of the writer dirties index pages all over the file; checkpointing less often copies a page
#: changed by several batches once, not once per batch. The WAL file grows to about 64 MB and is reused from its start
#: after each checkpoint.
SQLITE_WAL_AUTOCHECKPOINT = 16_384
#: How often (in SQLite virtual-machine steps) a read-only statement lets Python handle Ctrl-C.
SQLITE_PROGRESS_STEPS = 100_000
WRITE_OPTION = "casedb_write"
MIGRATION_LOCK_ID = 0x6361_7365  # any constant; "case"
#: The alembic scripts: the package casedb.migrations (the repository's migrations/ folder).
MIGRATIONS_DIR = migrations_dir()
#: The SQL statements that create the migrations' newest schema in an empty SQLite file, and the revision they
#: are at (written by ``scripts/build_sqlite_schema.py``; ``tests/test_store_migrations.py`` checks it).
SQLITE_SCHEMA = importlib.resources.files("casedb").joinpath("data", "sqlite_schema.sql")
SQLITE_SCHEMA_SEPARATOR = ";\n\n"


def connect(url: str | None = None, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` (see :func:`resolve_url`).

    SQLite files get WAL journaling, foreign keys and a long busy timeout; transactions opened
    with :func:`write_transaction` start with ``BEGIN IMMEDIATE`` so concurrent writers queue
    instead of failing, other transactions are plain reads that never block a writer.
    ``read_only`` opens the file read-only (and SQLite's driver runs one statement per call).
    A read-only PostgreSQL engine is read-only three times over, see :func:`_postgres_read_only`.
    """
    parsed = make_url(resolve_url(url))
    if parsed.get_backend_name() != "sqlite":
        if not read_only:
            return create_engine(parsed, pool_pre_ping=True)
        engine = create_engine(parsed, connect_args={"options": "-c default_transaction_read_only=on"},
                               pool_pre_ping=True)
        event.listen(engine, "connect", _postgres_read_only)
        return engine
    return _sqlite_engine(parsed.database or "", read_only)


def _postgres_read_only(dbapi_connection, _record) -> None:
    """Make a new psycopg connection of a read-only engine unable to write.

    - every statement goes through the extended query protocol (``prepare_threshold = 0``: each is
      prepared), in which the server refuses a string of several statements, so
      ``COMMIT; BEGIN READ WRITE; DELETE …`` (in ``casedb sql`` or pasted into ``export --where``)
      is an error and nothing runs;
    - the session is ``SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY``;
    - and psycopg opens each transaction with ``BEGIN READ ONLY`` (``read_only``), which no session
      setting that a statement might change (``set_config('default_transaction_read_only', …)``)
      can undo for the next transaction.
    """
    dbapi_connection.prepare_threshold = 0
    dbapi_connection.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    dbapi_connection.commit()
    dbapi_connection.read_only = True


# The sqlite3 driver looks each parameter that is not exactly an int, float, str or bytearray up as an adapter, and
# for None and bool (most of a visit row's parameters) that look-up makes and drops an AttributeError: 12 % of the
# loading process's instructions in a 10,000-case load (650,000 of them). Adapters that give what the driver binds
# without one (NULL; 1 or 0) skip it.
sqlite3.register_adapter(type(None), {}.get)   # {}.get(None) is None: a C function, cheaper to call than a lambda
sqlite3.register_adapter(bool, int)


def _sqlite_engine(path: str, read_only: bool) -> Engine:
    if path in ("", ":memory:"):
        raise UnusableDatabase("casedb needs a SQLite file, not an in-memory database")
    if read_only:
        if not Path(path).exists():
            raise FileNotFoundError(f"{path}: no such database file")
        resolved = Path(path).resolve()
        immutable = ""
        if not _opens_read_only(resolved):
            wal = Path(f"{resolved}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise UnusableDatabase(
                    f"{resolved}: cannot be read where it is: its folder is read-only and {wal.name} holds changes "
                    "that are not in the database file yet (copy both to a writable folder, or run "
                    "PRAGMA wal_checkpoint(TRUNCATE) on the database before copying it)")
            immutable = "&immutable=1"
        engine = create_engine(f"sqlite:///file:{resolved}?mode=ro{immutable}&uri=true")
        event.listen(engine, "handle_error", _interrupted_by_ctrl_c)
    else:
        engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            dbapi_connection.set_progress_handler(_let_signals_in, SQLITE_PROGRESS_STEPS)
            cursor.execute("PRAGMA query_only = ON")
            cursor.execute("PRAGMA schema_version")  # reads the header: a file that is no database fails here
        else:
            _switch_to_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_WAL_AUTOCHECKPOINT}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        writes = connection.get_execution_options().get(WRITE_OPTION) and not read_only
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """``PRAGMA journal_mode = WAL``, waiting like any write (up to the busy timeout) while another process holds
    the database's write lock.

    On a database not yet in WAL mode (a new file) the pragma reads the file's header and then writes it, and SQLite
    does not call its busy handler for a lock it must raise from a read: it fails at once with "database is locked".
    Two ``casedb load`` processes opening a new database together, or one opening it while another creates its
    tables, met that. On a database in WAL mode already the pragma changes nothing and takes no write lock."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = 0.001
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "database is locked" not in str(err) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(2 * pause, 0.1)


def _opens_read_only(path: Path) -> bool:
    """Whether SQLite can read ``path`` opened read-only. A WAL database (casedb's are) needs its ``-shm``
    file, which SQLite creates beside it; on read-only media (a DVD, a read-only mount or folder) it cannot,
    and every read fails with "attempt to write a readonly database". Such a database is then opened
    ``immutable``: nothing can change it there, and a WAL database closed cleanly has all its rows in the
    file itself (a leftover ``-wal`` file's rows would not be seen)."""
    try:
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return True       # the engine reports what is wrong with the file
    try:
        probe.execute("SELECT count(*) FROM sqlite_master").fetchall()
        return True
    except sqlite3.OperationalError as err:
        return not any(words in str(err) for words in ("readonly", "read-only", "unable to open"))
    except sqlite3.Error:
        return True
    finally:
        probe.close()


def _let_signals_in() -> int:
    """SQLite progress handler of read-only connections. Python runs its Ctrl-C handler only between bytecodes,
    and a long statement is one call into SQLite: this gives it a chance every ``SQLITE_PROGRESS_STEPS`` steps.
    The KeyboardInterrupt it raises here aborts the statement ("interrupted"), see :func:`_interrupted_by_ctrl_c`."""
    return 0


def _interrupted_by_ctrl_c(context) -> None:
    """A statement aborted by Ctrl-C (the progress handler above) is a KeyboardInterrupt again, not a database
    error: ``casedb sql`` then stops like any command on Ctrl-C."""
    if isinstance(context.original_exception, sqlite3.OperationalError) \
            and str(context.original_exception) == "interrupted":
        raise KeyboardInterrupt from context.original_exception


def in_chunks(items: list, size: int = 500) -> Iterator[list]:
    """``items`` in slices short enough for one SQL ``IN (...)`` list."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def copy_wal_into_file(engine: Engine) -> None:
    """SQLite: copy the WAL's pages into the database file now, as far as no reader holds them back (``PASSIVE``:
    waits for no one), so that closing the database copies only what is written after; nothing on another
    database."""
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()   # outside a transaction (isolation_level None: no BEGIN)
    try:
        connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        connection.close()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that will write (on SQLite it holds the write lock from the start)."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            yield connection


@contextmanager
def migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction for schema migrations.

    On SQLite, foreign keys are switched off for it (the pragma only works outside a
    transaction): alembic's batch mode re-creates a table by copying and dropping it, and with
    foreign keys on, dropping ``cases`` would delete every visit and relation through
    ``ON DELETE CASCADE``. The migrations must leave no broken reference (checked before commit).
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                if not sqlite:  # two processes upgrading at once take turns
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the migration left rows pointing at rows that do not exist")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def _alembic_config(engine: Engine):
    from alembic.config import Config

    if not (MIGRATIONS_DIR / "env.py").exists():
        raise RuntimeError(f"alembic migrations not found at {MIGRATIONS_DIR} (reinstall casedb: pip install .)")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def _run_alembic(engine: Engine, command_name: str, *args) -> None:
    from alembic import command

    config = _alembic_config(engine)
    with migration_transaction(engine) as connection:
        config.attributes["connection"] = connection
        getattr(command, command_name)(config, *args)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema up to ``revision`` (creates all tables on an empty database)."""
    _run_alembic(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    """Migrate the schema down to ``revision`` (``base`` drops every table)."""
    _run_alembic(engine, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None when casedb never created its tables)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str:
    """The newest schema revision this casedb knows: the one no other revision revises.

    Read from the revision files directly, so that a load of an up-to-date database does not
    pay for importing alembic.
    """
    revises: dict[str, str | None] = {}
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision\s*=\s*['\"](\w+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*=\s*(?:['\"](\w+)['\"]|None)", source, re.M)
        if revision and down:
            revises[revision.group(1)] = down.group(1)
    heads = set(revises) - set(revises.values())
    if len(heads) != 1:
        raise RuntimeError(f"expected one head revision in {MIGRATIONS_DIR}, found {sorted(heads)}")
    return heads.pop()


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database when it is not at this casedb's newest revision (e.g. a fresh file).

    An empty SQLite file gets the schema the migrations create, from :data:`SQLITE_SCHEMA` when that is at the
    newest revision, rather than by running every revision (importing alembic and running 14 revisions, some
    re-creating tables in batch mode, took 0.2 s of CPU: a sixth of loading one file)."""
    head = head_revision()
    revision = current_revision(engine)
    if revision == head:
        return
    if revision is None and engine.dialect.name == "sqlite" and _create_sqlite_schema(engine, head):
        return
    upgrade(engine)


def sqlite_schema(connection: Connection) -> list[str]:
    """The statements that create a SQLite database's tables and indexes, and its ``alembic_version`` row: what
    :data:`SQLITE_SCHEMA` holds for the migrations' newest revision.

    In a canonical order, the same for every database that has this schema, however it got there: alembic's batch
    mode re-creates a table with its constraints and indexes in an order that differs from one run of the
    migrations to the next, and ``sqlite_master`` keeps tables in the order they were last (re-)created. The
    tables come in the order of their names, each with its named constraints sorted and then its indexes, sorted
    by name."""
    rows = connection.exec_driver_sql(
        "SELECT type, tbl_name, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").all()
    indexes = [(name, sql) for kind, _table, name, sql in rows if kind == "index"]
    statements = []
    for kind, table, _name, sql in rows:
        if kind == "table":
            statements.append(_sorted_constraints(sql))
            statements.extend(sql for name, sql in indexes if sql.partition(" ON ")[2].startswith(f"{table} ("))
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
    assert len(statements) == len(rows), "an index whose table was not found in its SQL"
    return [*statements, f"INSERT INTO alembic_version (version_num) VALUES ('{revision}')"]


def _sorted_constraints(create_table: str) -> str:
    """A ``CREATE TABLE`` statement with its ``CONSTRAINT`` lines (SQLAlchemy writes one per line, after the
    columns) in the order of their text."""
    lines = create_table.split("\n")
    first = next((number for number, line in enumerate(lines) if line.startswith("\tCONSTRAINT ")), len(lines) - 1)
    constraints = sorted(line.removesuffix(", ") for line in lines[first:-1])
    return "\n".join([*lines[:first], *(f"{line}, " for line in constraints[:-1]), *constraints[-1:], lines[-1]])


def read_sqlite_schema() -> tuple[str | None, list[str]]:
    """The revision :data:`SQLITE_SCHEMA` is at (its first line) and its statements."""
    if not SQLITE_SCHEMA.is_file():
        return None, []
    first_line, _, rest = SQLITE_SCHEMA.read_text(encoding="utf-8").partition("\n")
    revision = re.fullmatch(r"-- revision (\w+):.*", first_line)
    return (revision and revision.group(1)), rest.rstrip("\n").split(SQLITE_SCHEMA_SEPARATOR)


def _create_sqlite_schema(engine: Engine, head: str) -> bool:
    """Create the newest schema in an empty SQLite file from :data:`SQLITE_SCHEMA`; False when that file is at
    another revision or the database is not empty any more (another process created the schema meanwhile)."""
    revision, statements = read_sqlite_schema()
    if revision != head:
        return False
    with migration_transaction(engine) as connection:
        if connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one():
            return False
        for statement in statements:
            connection.exec_driver_sql(statement)
    return True
