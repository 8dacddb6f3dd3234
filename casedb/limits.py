"""Input limits: beyond them a file is skipped with a one-line reason, never a hang or a memory blow-up.

The defaults are far above real notices (the largest known, Shijiazhuang's 869-case list, is a
660 kB Word file of about 250 000 characters) and low enough that the parser, which is linear
in its input, finishes a document in well under a minute.

- ``MAX_FILE_BYTES``: raw file size (HTML pages and Word files carry a lot of markup);
- ``MAX_UNPACKED_BYTES``: what a .docx (a zip) unpacks to (a "zip bomb" is refused before unpacking);
- ``MAX_DOCX_ELEMENTS``: the XML elements of a .docx, counted while unpacking it as a stream before it is
  parsed (a real notice of 250 000 characters has a few hundred thousand; each costs python-docx about
  330 bytes, so the limit bounds a .docx to about 330 MB);
- ``MAX_TEXT_CHARS``: the decoded text of a document;
- ``MAX_NOTICE_CHARS``: one notice inside a document;
- ``MAX_CASES_PER_NOTICE``: the case paragraphs one notice may open;
- ``MAX_PARSE_SECONDS``: reading and parsing one document in ``casedb load`` (a guard against
  parser bugs: a hang on one page must not stall a nightly run).

The checks read these module attributes when they run, so a caller (or a test) can change them.
"""
from __future__ import annotations

import io
import os
import signal
import stat
import threading
import zipfile
from contextlib import contextmanager

from casedb.errors import CasedbError, InputError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_DOCX_ELEMENTS = 1_000_000
MAX_TEXT_CHARS = 2_000_000
MAX_NOTICE_CHARS = 1_000_000
MAX_CASES_PER_NOTICE = 5_000
MAX_PARSE_SECONDS = 300


class LimitExceeded(CasedbError):
    """The parser met a notice beyond a limit; ``str(err)`` is the reason (the caller adds the file name)."""


def path_text(path: str | os.PathLike) -> str:
    """A file name as text that a database can store: the name itself when it is valid Unicode, else (a name
    in GBK from an unzipped archive, read by Python as lone surrogates) each byte that is not UTF-8 written
    ``\\xNN``, which names the same bytes (``/data/\\xcd\\xa8.txt``)."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        return name.decode("utf-8", "backslashreplace")
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no byte gave (not from the file system)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def open_regular(path: str | os.PathLike, source: str | None = None) -> io.FileIO:
    """``path`` opened for reading (unbuffered), refusing with an ``InputError`` anything that is not a
    regular file: a named pipe (FIFO) would block the open and the read for ever, a device never ends.

    The file is opened non-blocking (a FIFO's open returns at once) and checked with ``fstat`` on the
    open descriptor, so a file swapped for a pipe after a check is refused too.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except ValueError as err:  # a NUL in the name, a surrogate no byte gave: no file can have that name
        raise InputError(path_text(source or os.fsdecode(path)), f"not a file name ({err})") from err
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise InputError(source or os.fsdecode(path), f"skipped: not a regular file ({kind})")
        os.set_blocking(descriptor, True)
        return io.FileIO(descriptor, "rb", closefd=True)
    except BaseException:
        os.close(descriptor)
        raise


def read_file(path: str | os.PathLike, source: str | None = None) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`), refusing (without reading it all) one
    larger than ``MAX_FILE_BYTES``.

    At most ``MAX_FILE_BYTES + 1`` bytes are read, so a file that grows while it is read is refused too.
    """
    source = source or str(path)
    with open_regular(path, source) as file:  # unbuffered: one read() call for the whole file
        size = os.fstat(file.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise too_large(source, size)
        data = file.read(size + 1)  # read(huge n) allocates n bytes first: 5x slower on small files
        if len(data) > size:       # it grew while being read
            data += file.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        raise too_large(source, len(data))
    return data


def too_large(source: str, size: int, limit: int | None = None) -> InputError:
    """The error for a file of ``size`` bytes over ``limit`` (default ``MAX_FILE_BYTES``)."""
    return InputError(source, f"skipped: file too large ({size} bytes; limit {limit or MAX_FILE_BYTES})")


def check_unpacked_size(data: bytes, source: str) -> None:
    """Refuse a zip (.docx) whose members unpack to more than ``MAX_UNPACKED_BYTES``, or whose XML parts
    hold more than ``MAX_DOCX_ELEMENTS`` elements.

    The sizes are those the zip declares; Python's zipfile never unpacks a member beyond its
    declared size, so they bound the bytes. They do not bound the memory of the parsed XML: 190 MB of
    ``<w:p/>`` (a 291 kB file) is 32 million elements, about 10 GB once python-docx has parsed them
    (some 330 bytes each). So every member that is XML is unpacked first as a stream, 1 MiB at a time,
    counting its start tags, and the file is refused as soon as the count passes the limit.
    A broken zip passes: its reader reports it.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            size = sum(member.file_size for member in members)
            if size > MAX_UNPACKED_BYTES:
                raise InputError(source, f"skipped: .docx unpacks to {size} bytes; limit {MAX_UNPACKED_BYTES}")
            elements = 0
            for member in members:
                elements += _count_elements(archive, member, MAX_DOCX_ELEMENTS - elements)
                if elements > MAX_DOCX_ELEMENTS:
                    raise InputError(source, f"skipped: .docx holds more than {MAX_DOCX_ELEMENTS} XML elements "
                                             f"(limit MAX_DOCX_ELEMENTS; a zip bomb?)")
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - a zip that cannot be unpacked: python-docx says why, in one line
        return


def _count_elements(archive: zipfile.ZipFile, member: zipfile.ZipInfo, room: int) -> int:
    """The start tags (``<`` not followed by ``/``: an upper bound of the elements) of one XML member,
    counted up to a little past ``room``; 0 for a member that is not XML (an image: lxml cannot parse it)."""
    count, first = 0, True
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            if first and not chunk.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
                return 0
            first = False
            count += chunk.count(b"<") - chunk.count(b"</")
            if count > room:
                break
    return count


def check_text(text: str, source: str) -> None:
    """Refuse a decoded document text longer than ``MAX_TEXT_CHARS``."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(source, f"skipped: text too long ({len(text)} characters; limit {MAX_TEXT_CHARS})")


def check_notice(number: int, start: int, end: int, cases: int) -> None:
    """Refuse notice ``number`` (1-based, page order) spanning ``[start, end)`` and opening ``cases`` cases."""
    if end - start > MAX_NOTICE_CHARS:
        raise LimitExceeded(f"skipped: notice {number} too long ({end - start} characters at {start}-{end}; "
                            f"limit {MAX_NOTICE_CHARS})")
    if cases > MAX_CASES_PER_NOTICE:
        raise LimitExceeded(f"skipped: notice {number} has too many cases ({cases}; limit {MAX_CASES_PER_NOTICE})")


@contextmanager
def parse_time_limit(source: str):
    """Raise ``InputError`` when the block runs longer than ``MAX_PARSE_SECONDS``.

    Uses SIGALRM, so it applies in a main thread only (elsewhere the block runs unbounded).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    seconds = MAX_PARSE_SECONDS

    def expire(_signum, _frame):
        raise InputError(source, f"skipped: reading and parsing took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
