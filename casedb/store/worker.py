"""What a parse worker runs: a document's bytes (or stored text) → a :class:`ParsedDocument` with its rows.

Pool workers import this module and the parser, not SQLAlchemy or the writer (``tests/test_load_processes.py``
checks), so that a worker starts in about half the time; :mod:`casedb.store.loading` runs the pool.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from casedb import limits, records
from casedb.errors import InputError
from casedb.limits import LimitExceeded
from casedb.store.parsed import ParsedDocument

Parser = Callable[[records.SourceText], list[records.Notice]]


@dataclass(frozen=True, slots=True)
class Input:
    """One document to load: ``source`` is its key in ``documents`` (the file's absolute path, or the
    URL of a page saved by a crawler), ``path`` the file that holds its bytes."""

    source: str
    path: str
    manifest: str | None = None          # the URL list that named the page
    fetched_at: dt.datetime | None = None
    where: str | None = None             # "<URL list> line N", for messages

    @classmethod
    def file(cls, path: str) -> Input:
        return cls(source=limits.path_text(path), path=path)  # a name that is not UTF-8: \xNN escapes


def default_parser(source: records.SourceText) -> list[records.Notice]:
    """The package's parser (imported on first use: the store never needs it for unchanged files)."""
    from casedb.parse import parse_source

    return parse_source(source)


def read_and_parse(item: tuple[Input, bytes, str], parser: Parser = default_parser) -> ParsedDocument:
    """Decode and parse one file's bytes (runs in pool workers); errors become one-line messages."""
    document, data, sha256 = item
    source = document.source
    parsed = ParsedDocument(source=source, sha256=sha256, size_bytes=len(data), manifest=document.manifest,
                            fetched_at=document.fetched_at)
    try:
        from casedb.read import read_bytes, read_path

        with limits.parse_time_limit(source):
            word97 = document.path.lower().endswith(".doc")
            parsed.text = read_path(document.path) if word97 else read_bytes(data, source)
            parsed.notices = parser(parsed.text)
        _build_rows(parsed)
    except Exception as err:  # a parser bug must not stop a nightly run: report it as this file's error
        parsed.error = error_line(source, err)
    return parsed


def _build_rows(parsed: ParsedDocument) -> None:
    """Turn a parsed document's notices into the rows the writer inserts (``casedb.store.rows``), here in
    the worker, and drop what the writer does not need (the notices, the simplified text), so that
    little is handed back to the loading process."""
    from casedb.store.rows import document_rows

    parsed.rows = document_rows(parsed.source, parsed.notices)
    parsed.notices = []
    text = parsed.text
    if text is not None:
        parsed.text = records.SourceText(text=text.text, simplified="", encoding=text.encoding,
                                         media_type=text.media_type)


def error_line(source: str, err: Exception) -> str:
    """The one-line message for a document that could not be read or parsed."""
    if isinstance(err, InputError):
        return str(err)
    if isinstance(err, LimitExceeded):
        return f"{source}: {err}"
    return f"{source}: parser failed ({type(err).__name__}: {one_line(str(err))})"


def one_line(message: str) -> str:
    return " ".join(limits.path_text(message).split())[:300]  # a file name that is not UTF-8 is escaped


def parse_stored(item: tuple, parser: Parser = default_parser) -> ParsedDocument:
    """Parse a stored document's text again (runs in pool workers); errors become one-line messages.

    ``item``: (source, sha256, size_bytes, text as UTF-8 bytes, encoding, media_type), the bytes as the database
    gives them (sent to a worker as they are, not as a str encoded to be sent and decoded again). The document
    comes back without its text: a re-parse does not write it again."""
    from casedb.read import to_simplified

    source, sha256, size_bytes, utf8, encoding, media_type = item
    parsed = ParsedDocument(source=source, sha256=sha256, size_bytes=size_bytes)
    try:
        text = utf8.decode()
        source_text = records.SourceText(text=text, simplified=to_simplified(text), encoding=encoding,
                                         media_type=media_type)
        with limits.parse_time_limit(source):
            parsed.notices = parser(source_text)
        _build_rows(parsed)
    except Exception as err:  # one document's failure must not stop the others
        parsed.error = error_line(source, err)
    return parsed


def work_chunk(work, items: list[tuple], parser: Parser) -> list[ParsedDocument]:
    """A pool task: ``work`` (``read_and_parse``, ``parse_stored``) on each of a few documents."""
    return [work(item, parser) for item in items]


def pool_context():
    """How pool workers are started: from a fork server that has imported the parser and loaded its tables once
    (:mod:`casedb.store.preload`; each worker is a fork of it, so it does not do that again), or, where there is
    none, each as a new interpreter.

    A worker also runs the loading process's main script again (multiprocessing's ``__mp_main__``), and the
    ``casedb`` command's script imports ``casedb.cli`` (and click): when this process runs the command, the server
    imports that too, so that each worker finds it imported (about 20 ms less before a worker parses)."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    command_line = ["casedb.cli"] if "casedb.cli" in sys.modules else []
    context.set_forkserver_preload([__name__, "casedb.parse", "casedb.store.preload", *command_line])
    return context


def start_server() -> None:
    """Start the fork server of :func:`pool_context` now, where there is one, without waiting for it: it imports the
    parser while this process goes on (a pool started later forks its workers from it at once)."""
    if pool_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def start_worker(parent: int, environment: dict[str, str], directory: str, path: list[str]) -> None:
    """Pool worker initializer: the worker ends with the process that started the pool (``parent``), runs
    in that process's ``environment``, working ``directory`` and import ``path`` as they are now (a worker forked
    from the fork server would otherwise have them as they were when the server started), and is set up to
    parse many documents (:func:`casedb.parse.prepare_for_many_documents`)."""
    _end_with_parent(parent)
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(directory)
    sys.path[:] = path
    from casedb.parse import prepare_for_many_documents

    prepare_for_many_documents()


def worker_setup() -> tuple:
    """The arguments of :func:`start_worker` for a pool started by this process now."""
    return os.getpid(), dict(os.environ), os.getcwd(), list(sys.path)


def _end_with_parent(parent: int) -> None:
    """The worker ends when the process that started the pool (``parent``) is gone.

    A loading process killed with SIGKILL cannot shut its pool down, and its workers would wait for
    work forever. The worker's own parent is that process, or the fork server it started, which ends with
    it. On Linux the kernel sends the worker SIGKILL when its own parent dies (``PR_SET_PDEATHSIG``);
    elsewhere, and should that fail, a thread checks every second that both are still there.
    """
    own_parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != own_parent or not _alive(parent):   # one died before the lines above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent, own_parent), name="casedb-parent-watch",
                     daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # there, but not ours to signal
        pass
    return True


def _watch_parent(parent: int, own_parent: int) -> None:
    while os.getppid() == own_parent and _alive(parent):
        time.sleep(1)
    os._exit(1)
