"""What a load is given, read without SQL: the database URL and the files under the paths named.

The ``load`` and ``reparse`` commands read them before they import SQLAlchemy, to start the parse workers' fork
server first when they will parse many documents (:func:`parses_many_new_files`, :func:`reparses_many`): the
server imports the parser while this process imports SQLAlchemy and creates the schema, instead of after.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

DEFAULT_URL = "sqlite:///casedb.sqlite"
SUPPORTED_SUFFIXES = frozenset({".txt", ".html", ".htm", ".docx", ".doc", ".rtf"})
#: Fewer documents to parse than this in a run: parse them here rather than in the pool.
MIN_DOCUMENTS_FOR_POOL = 64  # starting the workers costs about as much as parsing 50-100 documents


def resolve_url(url: str | None = None) -> str:
    """``url``, else ``$CASEDB_URL``, else ``casedb.sqlite`` in the working directory.

    A bare file path means a SQLite file; ``postgresql://`` means the psycopg 3 driver.
    """
    url = url or os.environ.get("CASEDB_URL") or DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[str]:
    """Absolute paths of the files named in ``paths`` and of the supported files under folders
    (recursively, sorted, no hidden files), each real file once: a file met again through a symbolic
    link, a folder given twice (or through a link to it, or inside another given folder) is not
    yielded again. Links to folders inside a folder are not followed.

    A path that does not exist is yielded as it is; reading it then fails with a one-line error.
    """
    seen: set[str] = set()

    def first_time(real: str) -> bool:
        if real in seen:
            return False
        seen.add(real)
        return True

    for path in map(os.path.abspath, paths):
        if not os.path.isdir(path):
            if first_time(os.path.realpath(path)):
                yield path
            continue
        for folder, subfolders, names in os.walk(path):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            real_folder = os.path.realpath(folder)   # once per folder; a file's own link is checked below
            for name in sorted(names):
                if name.startswith((".", "~$")) or os.path.splitext(name)[1].lower() not in SUPPORTED_SUFFIXES:
                    continue
                file = os.path.join(folder, name)
                if first_time(os.path.realpath(file) if os.path.islink(file)
                              else os.path.join(real_folder, name)):
                    yield file


def parses_many_new_files(paths: Iterable[str | os.PathLike], url: str | None) -> bool:
    """Whether a load of ``paths`` into ``url`` is sure to parse enough documents for a pool of workers: ``url``
    names a SQLite file that does not exist yet or is empty (every file is new), and ``paths`` hold at least
    ``MIN_DOCUMENTS_FOR_POOL`` files. (Files that turn out unreadable or too large still count: then the
    workers' server was started for less, which costs CPU, not the load's result.)"""
    database = _sqlite_file(url)
    if database is None or (os.path.exists(database) and os.path.getsize(database) > 0):
        return False
    return len(list(islice(iter_files(paths), MIN_DOCUMENTS_FOR_POOL))) == MIN_DOCUMENTS_FOR_POOL


def reparses_many(url: str | None, everything: bool) -> bool:
    """Whether a reparse of ``url`` is sure to parse enough documents for a pool of workers: ``url`` names a SQLite
    file that stores at least ``MIN_DOCUMENTS_FOR_POOL`` documents (made by another parser version, unless
    ``everything``). Counted with the sqlite3 driver, read-only; False for another database or a file that
    cannot be read so (the reparse itself then reports what is wrong)."""
    database = _sqlite_file(url)
    if database is None or not os.path.isfile(database):
        return False
    from casedb import PARSER_VERSION

    stale, parameters = ("", ()) if everything else (" WHERE parser_version <> ?", (PARSER_VERSION,))
    try:
        connection = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
        try:
            (count,) = connection.execute(f"SELECT count(*) FROM (SELECT 1 FROM documents{stale} LIMIT ?)",
                                          (*parameters, MIN_DOCUMENTS_FOR_POOL)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return count == MIN_DOCUMENTS_FOR_POOL


def _sqlite_file(url: str | None) -> str | None:
    """The file of a SQLite ``url`` (see :func:`resolve_url`); None for another database."""
    resolved = resolve_url(url)
    if not resolved.startswith("sqlite:///"):
        return None
    return resolved.removeprefix("sqlite:///").partition("?")[0]
